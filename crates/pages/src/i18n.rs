//! Translations: every visible string of every page, per [`Locale`], from the Project
//! Fluent catalogues in `crates/pages/locales/<code>.ftl` (one file per locale, compiled
//! into the binary and parsed once, on first use).
//!
//! [`Strings`] has a `&'static str` field per message without variables (formatted once
//! per locale) and a method per message with variables (`t.pay(&amount)`), so a message
//! the code uses but no catalogue has is a compile error, and the tests below fail when a
//! catalogue misses a message, has one nobody uses, or names other variables than the
//! code passes. Variables are substituted *before* HTML escaping, so merchant-supplied
//! values stay escaped; numbers (`$months`, `$seconds`) select the locale's plural form.
//!
//! The `msg_*` messages are not used by the templates themselves: they are the messages
//! the gateway puts into [`crate::CheckoutView::error`], [`crate::ResultView::detail`],
//! [`crate::SandboxWalletView::done`] and [`crate::ErrorView`], so that those are
//! localized too.
//!
//! # Adding a message
//! Declare it below (`plain` or `with_args`), then add it to every `.ftl` file; the
//! tests name each file and key that is missing.
//!
//! # Adding a locale
//! See [`crate::Locale`]: one line in its list, and `locales/<code>.ftl` with every
//! message of `en_US.ftl` translated (the tests check it is complete).

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::Locale;

type Bundle = FluentBundle<FluentResource>;

macro_rules! define_strings {
    (
        plain { $( $(#[doc = $doc:literal])+ $name:ident, )* }
        with_args { $( $(#[doc = $adoc:literal])+ $aname:ident ( $( $arg:ident : $ty:ty ),+ ), )* }
    ) => {
        /// Every visible string of the hosted pages in one language.
        #[non_exhaustive]
        pub struct Strings {
            $( $(#[doc = $doc])+ pub $name: &'static str, )*
            bundle: Bundle,
        }

        impl Strings {
            /// Every message id with the variables the code passes to it.
            pub const MESSAGES: &'static [(&'static str, &'static [&'static str])] = &[
                $( (stringify!($name), &[]), )*
                $( (stringify!($aname), &[$( stringify!($arg) ),+]), )*
            ];

            fn load(bundle: Bundle) -> Strings {
                Strings {
                    $( $name: leak(format(&bundle, stringify!($name), None)), )*
                    bundle,
                }
            }

            $(
                $(#[doc = $adoc])+
                pub fn $aname(&self, $( $arg: $ty ),+) -> String {
                    let mut args = FluentArgs::new();
                    $( args.set(stringify!($arg), FluentValue::from($arg)); )+
                    format(&self.bundle, stringify!($aname), Some(&args))
                }
            )*
        }

        impl std::fmt::Debug for Strings {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Strings").field("locales", &self.bundle.locales).finish()
            }
        }
    };
}

define_strings! {
    plain {
        /// Accessible name of the language list at the foot of every page.
        language_switcher,
        /// `<title>` suffix of the checkout page.
        checkout_title,
        /// Heading of the order panel.
        order_summary,
        /// Label before the total amount.
        total,
        /// Label before an amount (wallet, sandbox wallet, challenge pages).
        amount,
        /// Accessible text before a goods line's quantity and unit price.
        quantity,
        /// Label before the server-rendered absolute expiry time.
        expires_at,
        /// Label JS shows before the live countdown.
        time_left,
        /// Shown when the countdown reaches zero; also the Expired result heading.
        checkout_expired,
        /// Legend of the method radios. Contract (en): "Payment method".
        payment_method,
        /// Legend of the card fields.
        card_details,
        /// Contract (en): "Card number".
        card_number,
        /// Contract (en): "Expiry date".
        card_expiry,
        /// Placeholder of the expiry input. Contract: "MM/YY".
        card_expiry_placeholder,
        /// Contract (en): "Security code".
        card_cvc,
        /// Contract (en): "Name on card".
        card_name,
        /// Hint above the open-in-app link.
        wallet_on_phone,
        /// Status line while polling.
        wallet_waiting,
        /// No-JS link to re-check the payment status.
        wallet_paid,
        /// Link back to the method choice.
        wallet_other_method,
        /// Mobile wallet page, back from the app: the status check link.
        check_payment_status,
        /// Sandbox wallet page (mobile): back to the merchant's page without paying.
        wallet_back_unpaid,
        /// Online banking page: the list of banks.
        bank_choose,
        /// Online banking / pay later: waiting line.
        journey_waiting,
        /// Bank transfer page: label before the bank's name.
        bank_label,
        /// Bank transfer page: label before the account number. Contract (en): "Virtual account number".
        virtual_account,
        /// Bank transfer page: label before the deadline.
        pay_before,
        /// Bank transfer page: waiting line.
        transfer_waiting,
        /// Bank transfer page: link to the sandbox bank. Contract (en): "Open the sandbox bank".
        open_sandbox_bank,
        /// Store page: label before the code. Contract (en): "Payment code".
        payment_code,
        /// Store page: waiting line.
        store_waiting,
        /// Store page: link to the sandbox store. Contract (en): "Open the sandbox store".
        open_sandbox_store,
        /// Sandbox bank heading. Contract (en): "Sandbox bank".
        sandbox_bank,
        /// Sandbox store heading. Contract (en): "Sandbox store".
        sandbox_store,
        /// Sandbox pay-later heading. Contract (en): "Sandbox pay later".
        sandbox_paylater,
        /// Sandbox pay later: the plan fieldset's legend. Contract (en): "Instalment plan".
        instalment_plan,
        /// Checkout: the express buttons' group name. Contract (en): "Express checkout".
        express_checkout,
        /// Checkout: under the express buttons, that the sandbox loads no wallet.
        express_note,
        /// Checkout: between the express buttons and the method list.
        express_or,
        /// Sandbox sheet heading. Contract (en): "Sandbox payment sheet".
        sandbox_sheet,
        /// Sandbox sheet: the button that closes it. Contract (en): "Cancel".
        sheet_cancel,
        /// Sandbox wallet heading. Contract (en): "Sandbox wallet".
        sandbox_wallet,
        /// Label before the merchant name.
        merchant,
        /// Label before the order description.
        description,
        /// Contract (en): "Approve payment".
        approve_payment,
        /// Contract (en): "Decline payment".
        decline_payment,
        /// Contract (en): "Leave pending".
        leave_pending,
        /// 3-D Secure page heading.
        challenge_title,
        /// 3-D Secure page explanation.
        challenge_intro,
        /// Label before the card being authenticated.
        card,
        /// Contract (en): "Complete authentication".
        complete_authentication,
        /// Contract (en): "Fail authentication".
        fail_authentication,
        /// Result heading. Contract (en): "Payment successful".
        result_success,
        /// Result heading. Contract (en): "Payment failed".
        result_failed,
        /// Result heading. Contract (en): "Payment is processing".
        result_processing,
        /// Result heading. Contract (en): "This checkout has expired".
        result_expired,
        /// Result heading. Contract (en): "This payment was cancelled".
        result_cancelled,
        /// Contract (en): "Return to merchant".
        return_to_merchant,
        /// Contract (en): "Try again".
        try_again,
        /// Note on the processing result page.
        processing_note,
        /// No-JS link on the processing result page.
        check_status,
        /// 404 heading (for [`crate::ErrorView::not_found`]).
        error_not_found_title,
        /// 404 message.
        error_not_found_message,
        /// 410 heading (for [`crate::ErrorView::expired`]).
        error_expired_title,
        /// 410 message.
        error_expired_message,
        /// 400 heading (for [`crate::ErrorView::bad_request`]).
        error_bad_request_title,
        /// 400 default message.
        error_bad_request_message,
        /// 429 heading (for [`crate::ErrorView::too_many_requests`]).
        error_too_many_title,
        /// 429 message.
        error_too_many_message,
        /// Gateway message: card number fails Luhn or length.
        msg_card_number_invalid,
        /// Gateway message: expiry not MM/YY.
        msg_card_expiry_invalid,
        /// Gateway message: expiry in the past.
        msg_card_expired,
        /// Gateway message: bad security code.
        msg_card_cvc_invalid,
        /// Gateway message: a 3-digit code was needed (all brands but American Express).
        msg_card_cvc_three,
        /// Gateway message: a 4-digit code was needed (American Express).
        msg_card_cvc_four,
        /// Gateway message: the issuer said the security code does not match.
        msg_card_cvc_incorrect,
        /// Gateway message: empty name.
        msg_card_name_missing,
        /// Gateway message: no method chosen.
        msg_choose_method,
        /// Gateway message: declined attempt (retry allowed).
        msg_declined,
        /// Gateway message: insufficient funds (retry allowed).
        msg_insufficient_funds,
        /// Gateway message: 3-D Secure failed (retry allowed).
        msg_authentication_failed,
        /// Gateway message: buyer declined in the wallet (retry allowed).
        msg_wallet_declined,
        /// Gateway message: final rejection (risk).
        msg_risk_rejected,
        /// Gateway message for a second buyer on a paid session (contains "already paid").
        msg_already_paid,
        /// Gateway message: CSRF token or attempt nonce no longer valid.
        msg_form_stale,
        /// Sandbox wallet `done` after approving.
        msg_wallet_approved_done,
        /// Sandbox wallet `done` after declining.
        msg_wallet_declined_done,
        /// Sandbox wallet `done` after leaving pending.
        msg_wallet_pending_done,
        /// Sandbox wallet, after the buyer acted: the link back to the checkout
        /// (which shows the outcome and returns to the merchant).
        back_to_checkout,
    }
    with_args {
        /// Alt text of the merchant logo; `brand` = brand name. Contract (en): "{brand} logo".
        logo_alt(brand: &str),
        /// Pay button; `amount` = formatted total. Contract (en): "Pay {}".
        pay(amount: &str),
        /// Wallet page heading and title; `method` = method name.
        wallet_title(method: &str),
        /// Accessible name of the QR code; `method` = method name. Contract (en): "QR code for {}".
        wallet_qr_label(method: &str),
        /// Instruction under the QR code; `method` = method name.
        wallet_scan(method: &str),
        /// Link into the wallet; `method` = method name. Contract (en): "Open {}".
        wallet_open(method: &str),
        /// Mobile wallet page, before opening the app; `method` = wallet.
        wallet_app_intro(method: &str),
        /// Mobile wallet page, back from the app; `method` = wallet.
        wallet_returned(method: &str),
        /// Online banking page: explanation; `method` = method.
        bank_intro(method: &str),
        /// Bank transfer page: explanation; `amount` = amount.
        transfer_intro(amount: &str),
        /// Store page: explanation; `store` = store.
        store_intro(store: &str),
        /// Pay-later page: explanation; `provider` = provider.
        paylater_intro(provider: &str),
        /// Pay-later page: the link to the provider; `provider` = provider. Contract (en): "Continue to …".
        continue_to(provider: &str),
        /// Sandbox bank explanation; `bank` = bank or method.
        sandbox_bank_intro(bank: &str),
        /// Sandbox store explanation; `store` = store.
        sandbox_store_intro(store: &str),
        /// Sandbox pay-later explanation; `provider` = provider.
        sandbox_paylater_intro(provider: &str),
        /// Sandbox bank (transfer): the button that pays; `amount` = amount. Contract (en): "Transfer …".
        transfer_button(amount: &str),
        /// Sandbox store: the button that pays; `amount` = amount. Contract (en): "Pay … in cash".
        cash_button(amount: &str),
        /// Sandbox pay later: one plan; `months` = number of months. Contract (en): "… monthly instalments".
        instalment_months(months: u32),
        /// Sandbox pay later, after approval; `months` = number of months.
        msg_paylater_approved_done(months: u32),
        /// Attempt page of an express wallet; `wallet` = wallet.
        sheet_intro(wallet: &str),
        /// Sandbox sheet explanation; `wallet` = wallet.
        sandbox_sheet_intro(wallet: &str),
        /// Sandbox sheet: the button that pays; `wallet` = wallet. Contract (en): "Pay with …".
        sheet_pay(wallet: &str),
        /// Sandbox wallet explanation; `method` = method name.
        sandbox_wallet_intro(method: &str),
        /// Auto-redirect note; `seconds` = seconds. Contract (en): "You will be returned to the merchant in {} seconds."
        redirect_note(seconds: u32),
        /// Small line above an error heading; `status` = HTTP status.
        error_code(status: u32),
    }
}

/// A message formatted once per locale lives as long as the process: at most
/// [`Locale::ALL`] × [`Strings::MESSAGES`] short strings.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// `id` formatted with `args`. A message or variable missing from a catalogue is a bug
/// the tests catch; at run time the buyer then sees Fluent's `{$name}` marker or the
/// id rather than nothing.
fn format(bundle: &Bundle, id: &str, args: Option<&FluentArgs<'_>>) -> String {
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        return id.to_owned();
    };
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    debug_assert!(errors.is_empty(), "{id}: {errors:?}");
    text.into_owned()
}

/// The catalogue of `locale` parsed into a bundle. Panics on a syntax error in a
/// compiled-in file (the tests parse every file, so this never reaches a buyer).
fn bundle(locale: Locale) -> Bundle {
    let resource = FluentResource::try_new(locale.catalogue().to_owned())
        .unwrap_or_else(|(_, e)| panic!("locales/{}.ftl: {e:?}", locale.code()));
    let tag = locale
        .tag()
        .parse()
        .unwrap_or_else(|e| panic!("{}: {e}", locale.tag()));
    let mut bundle = Bundle::new_concurrent(vec![tag]);
    // Isolation marks (U+2068/U+2069) only matter around right-to-left values; every
    // locale and value here is left to right, and the marks would end up in titles.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .unwrap_or_else(|e| panic!("locales/{}.ftl: {e:?}", locale.code()));
    bundle
}

/// The strings of one locale.
pub fn strings(locale: Locale) -> &'static Strings {
    static LOADED: [OnceLock<Strings>; Locale::ALL.len()] =
        [const { OnceLock::new() }; Locale::ALL.len()];
    LOADED[locale.index()].get_or_init(|| Strings::load(bundle(locale)))
}

impl Strings {
    /// [`Strings::redirect_note`] split around the number of seconds, which the page
    /// counts down: `("You will be returned to the merchant in ", " seconds.")`.
    pub(crate) fn redirect_note_parts(&self, seconds: u32) -> (String, String) {
        let note = self.redirect_note(seconds);
        let n = seconds.to_string();
        match note.split_once(&n) {
            Some((before, after)) => (before.to_owned(), after.to_owned()),
            None => (note, String::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use fluent_syntax::ast;

    use super::*;

    /// message id → the variables its value uses (in any variant).
    fn variables(locale: Locale) -> BTreeMap<String, BTreeSet<String>> {
        let resource = fluent_syntax::parser::parse(locale.catalogue())
            .unwrap_or_else(|(_, e)| panic!("locales/{}.ftl: {e:?}", locale.code()));
        let mut out = BTreeMap::new();
        for entry in resource.body {
            match entry {
                ast::Entry::Message(m) => {
                    let mut vars = BTreeSet::new();
                    if let Some(p) = &m.value {
                        pattern_vars(p, &mut vars);
                    }
                    let id = m.id.name.to_owned();
                    assert!(
                        out.insert(id.clone(), vars).is_none(),
                        "{locale}: {id} is defined twice"
                    );
                }
                ast::Entry::Term(t) => panic!("{locale}: unexpected term -{}", t.id.name),
                ast::Entry::Junk { content } => panic!("{locale}: cannot parse {content:?}"),
                _ => {}
            }
        }
        out
    }

    fn pattern_vars(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
        for el in &p.elements {
            if let ast::PatternElement::Placeable { expression } = el {
                match expression {
                    ast::Expression::Inline(e) => inline_vars(e, out),
                    ast::Expression::Select { selector, variants } => {
                        inline_vars(selector, out);
                        for v in variants {
                            pattern_vars(&v.value, out);
                        }
                    }
                }
            }
        }
    }

    fn inline_vars(e: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
        match e {
            ast::InlineExpression::VariableReference { id } => {
                out.insert(id.name.to_owned());
            }
            ast::InlineExpression::Placeable { expression } => {
                if let ast::Expression::Inline(e) = expression.as_ref() {
                    inline_vars(e, out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn every_catalogue_has_every_message_with_its_variables_and_nothing_else() {
        let code: BTreeMap<&str, BTreeSet<String>> = Strings::MESSAGES
            .iter()
            .map(|(id, vars)| (*id, vars.iter().map(|v| v.to_string()).collect()))
            .collect();
        for l in Locale::ALL {
            let file = variables(l);
            for (id, vars) in &code {
                let Some(found) = file.get(*id) else {
                    panic!("locales/{}.ftl: {id} is missing", l.code());
                };
                assert_eq!(found, vars, "locales/{}.ftl: {id} variables", l.code());
            }
            for id in file.keys() {
                assert!(
                    code.contains_key(id.as_str()),
                    "locales/{}.ftl: {id} is not used by the pages",
                    l.code()
                );
            }
        }
    }

    #[test]
    fn every_message_formats_without_errors_and_is_not_empty() {
        for l in Locale::ALL {
            let t = strings(l);
            let b = bundle(l);
            for (id, vars) in Strings::MESSAGES {
                let mut args = FluentArgs::new();
                for v in *vars {
                    args.set(*v, FluentValue::from(if *v == "status" { 404 } else { 3 }));
                }
                for n in [0, 1, 2, 5, 21] {
                    for v in *vars {
                        if matches!(*v, "months" | "seconds") {
                            args.set(*v, FluentValue::from(n));
                        }
                    }
                    let pattern = b.get_message(id).and_then(|m| m.value()).unwrap();
                    let mut errors = Vec::new();
                    let text = b.format_pattern(pattern, Some(&args), &mut errors);
                    assert!(errors.is_empty(), "{l}: {id}: {errors:?}");
                    assert!(!text.trim().is_empty(), "{l}: {id} is empty");
                }
            }
            assert!(!t.checkout_title.is_empty());
        }
    }

    #[test]
    fn no_locale_falls_back_to_english() {
        // A message equal to English in another locale is a forgotten translation,
        // unless it is listed here: words those languages share with English.
        let en = strings(Locale::EnUs);
        let same_allowed = [
            (None, "card_expiry_placeholder"), // MM/YY
            (Some(Locale::IdId), "total"),
            (Some(Locale::IdId), "bank_label"),
            (Some(Locale::IdId), "merchant"),
            (Some(Locale::IdId), "transfer_button"), // "Transfer { $amount }"
            (Some(Locale::MsMy), "bank_label"),
            (Some(Locale::DeDe), "bank_label"),
        ];
        for l in Locale::ALL.into_iter().filter(|l| *l != Locale::EnUs) {
            let t = strings(l);
            let b = bundle(l);
            let eb = bundle(Locale::EnUs);
            for (id, _) in Strings::MESSAGES {
                if same_allowed
                    .iter()
                    .any(|(only, same)| same == id && only.is_none_or(|o| o == l))
                {
                    continue;
                }
                let text = |b: &Bundle| {
                    let p = b.get_message(id).and_then(|m| m.value()).unwrap();
                    let mut args = FluentArgs::new();
                    for v in [
                        "brand", "amount", "method", "wallet", "store", "provider", "bank",
                    ] {
                        args.set(v, FluentValue::from("X"));
                    }
                    for v in ["months", "seconds", "status"] {
                        args.set(v, FluentValue::from(3));
                    }
                    b.format_pattern(p, Some(&args), &mut Vec::new())
                        .into_owned()
                };
                assert_ne!(text(&b), text(&eb), "{l}: {id} is English");
            }
            assert_ne!(t.checkout_title, en.checkout_title);
        }
    }

    #[test]
    fn plurals_follow_the_locale() {
        let en = strings(Locale::EnUs);
        assert_eq!(en.instalment_months(1), "1 monthly instalment");
        assert_eq!(en.instalment_months(3), "3 monthly instalments");
        assert_eq!(
            en.redirect_note_parts(5),
            (
                "You will be returned to the merchant in ".to_owned(),
                " seconds.".to_owned()
            )
        );
        assert_eq!(en.pay("SGD 60.00"), "Pay SGD 60.00");
    }

    #[test]
    fn already_paid_message_contains_contract_phrase() {
        assert!(strings(Locale::EnUs)
            .msg_already_paid
            .contains("already paid"));
    }
}
