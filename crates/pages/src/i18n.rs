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
//! The struct is declared with [`crate::define_strings!`], and the tests run
//! [`crate::catalogue::check`]: the machinery lives in [`crate::catalogue`], shared with
//! the gateway's dashboard.
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

use crate::Locale;

crate::define_strings! {
    /// Every visible string of the hosted pages in one language.
    #[non_exhaustive]
    pub struct Strings;
    catalogue = |locale| locale.catalogue();
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
        /// The card method's name in the method list. Contract (en): "Card".
        method_card,
        /// The FPX method's name in the method list.
        method_onlinebanking_fpx,
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
        /// 503 heading (for [`crate::ErrorView::unavailable`]).
        error_unavailable_title,
        /// 503 message.
        error_unavailable_message,
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
        /// Gateway message: the payment closed (failed, expired or cancelled) and
        /// cannot be paid any more.
        msg_payment_closed,
        /// Gateway message: no payment method can pay this amount.
        msg_method_unavailable,
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

/// The strings of one locale.
pub fn strings(locale: Locale) -> &'static Strings {
    Strings::for_locale(locale)
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
    use super::*;
    use crate::catalogue;

    #[test]
    fn every_catalogue_has_every_message_with_its_variables_and_nothing_else() {
        // Also: every message formats without errors and is not empty (`catalogue::check`).
        let sources = Locale::ALL.map(|l| (l, l.catalogue()));
        let problems = catalogue::check(Strings::MESSAGES, &sources);
        assert!(
            problems.is_empty(),
            "crates/pages/locales/:\n{}",
            problems.join("\n")
        );
        for l in Locale::ALL {
            assert!(!strings(l).checkout_title.is_empty(), "{l}");
        }
    }

    #[test]
    fn no_locale_falls_back_to_english() {
        // A message equal to English in another locale is a forgotten translation,
        // unless it is listed here: words those languages share with English.
        let same_allowed = [
            (None, "card_expiry_placeholder"), // MM/YY
            (Some(Locale::IdId), "total"),
            (Some(Locale::IdId), "bank_label"),
            (Some(Locale::IdId), "merchant"),
            (Some(Locale::IdId), "transfer_button"), // "Transfer { $amount }"
            (Some(Locale::MsMy), "bank_label"),
            (Some(Locale::DeDe), "bank_label"),
        ];
        let en = (Locale::EnUs, Locale::EnUs.catalogue());
        for l in Locale::ALL.into_iter().filter(|l| *l != Locale::EnUs) {
            for id in catalogue::untranslated(Strings::MESSAGES, en, (l, l.catalogue())) {
                let allowed = same_allowed
                    .iter()
                    .any(|(only, same)| *same == id && only.is_none_or(|o| o == l));
                assert!(allowed, "{l}: {id} is English");
            }
            assert_ne!(
                strings(l).checkout_title,
                strings(Locale::EnUs).checkout_title
            );
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
