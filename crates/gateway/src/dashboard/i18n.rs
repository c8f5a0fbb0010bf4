//! The dashboard's words: every visible string of its templates and of the messages its
//! own handlers write, from the Project Fluent catalogue
//! `crates/gateway/locales/dashboard/en_US.ftl` (compiled in, parsed once, on first use).
//!
//! The dashboard stays English; its strings go through the same machinery as the hosted
//! pages' ([`cashier_pages::catalogue`]), so a translation is a file and a line, not a
//! rewrite. [`DashStrings`] has a `&'static str` field per message without variables and a
//! method per message with variables; each template gets it as `t` (`{{ t.log_out }}`,
//! `{{ t.payment_title(p.request_id) }}`; askama passes arguments by reference, so a
//! number is written `*n`). What each message is and where it appears is the comment
//! above it in the catalogue. Data values (ids, amounts, dates, statuses, method and
//! result codes, API field names, CSV columns) are not messages, and neither are the
//! messages of the API and of other modules that the dashboard shows as they are (refund
//! and key rules, clock input errors, notify URL checks).
//!
//! A sentence with markup inside (a `<code>`, a `<strong>`, a link) is one message whose
//! variables for the markup the template fills with [`cashier_pages::catalogue::SLOTS`]: the
//! `*_pieces` methods below cut it there, and the template writes piece, markup, piece.
//!
//! # Adding a message
//! Declare it below (`plain` or `with_args`) and add it, with a comment saying where it
//! appears, to every catalogue; the tests name what is missing, unused or different.
//!
//! # Adding a locale
//! 1. Write `crates/gateway/locales/dashboard/<code>.ftl` (`<code>` as in
//!    [`Locale::code`], e.g. `zh_CN`): every message of `en_US.ftl`, translated, with the
//!    same variables and the markup slots in the same order.
//! 2. Add the locale to [`LOCALES`] and its file to `source` below.
//! 3. Choose the locale per request (the pages' [`Locale::negotiate`] over a `?locale=`
//!    or the browser's `Accept-Language`) and pass it to [`dash_strings`] where the
//!    handlers now call [`super::strings`]. The tests then check the new file like the
//!    English one, and that it is translated ([`cashier_pages::catalogue::untranslated`]).

use cashier_pages::catalogue::{pieces, SLOTS};
use cashier_pages::Locale;

/// The locales the dashboard has a catalogue for, English first.
pub const LOCALES: &[Locale] = &[Locale::EnUs];

const EN_US: &str = include_str!("../../locales/dashboard/en_US.ftl");

/// The text of the dashboard catalogue of `locale`; English for a locale without one
/// (never loaded: [`dash_strings`] only loads [`LOCALES`]).
fn source(locale: Locale) -> &'static str {
    match locale {
        // One arm per other entry of `LOCALES`, e.g.
        // Locale::ZhCn => include_str!("../../locales/dashboard/zh_CN.ftl"),
        Locale::EnUs => EN_US,
        _ => EN_US,
    }
}

/// The dashboard's strings in `locale`, or in English when the dashboard has no
/// catalogue for it.
pub fn dash_strings(locale: Locale) -> &'static DashStrings {
    let locale = if LOCALES.contains(&locale) {
        locale
    } else {
        Locale::EnUs
    };
    DashStrings::for_locale(locale)
}

cashier_pages::define_strings! {
    /// Every visible string of the dashboard in one language (see the module docs; each
    /// message's comment in `locales/dashboard/en_US.ftl` says where it appears).
    pub struct DashStrings;
    catalogue = source;
    plain {
        logo_text,
        nav_label,
        nav_overview,
        nav_payments,
        nav_reports,
        nav_developers,
        nav_settings,
        nav_admin,
        log_out,
        choose_merchant,
        back_to_dashboard,
        error_not_found_title,
        error_not_found_message,
        error_csrf_title,
        error_csrf_message,
        error_bad_request_title,
        error_too_many_title,
        error_unavailable_title,
        error_unavailable_message,
        login_title,
        login_email,
        login_password,
        login_wrong,
        login_busy,
        setup_title,
        setup_new_password,
        setup_repeat,
        setup_submit,
        setup_passwords_differ,
        overview_title,
        overview_today,
        overview_chart_none,
        overview_table_summary,
        overview_col_day,
        overview_col_volume,
        payments_title,
        payments_search,
        payments_merchant,
        payments_all_merchants,
        payments_status,
        payments_any_status,
        payments_method,
        payments_any_method,
        payments_currency,
        payments_from,
        payments_to,
        payments_filter,
        payments_clear,
        payments_export,
        payments_none,
        payments_table_label,
        payments_col_created,
        payments_col_merchant,
        payments_col_status,
        payments_col_method,
        payments_col_amount,
        payments_col_refunded,
        payments_pages,
        payments_newest,
        payments_older,
        payments_from_invalid,
        payments_to_invalid,
        payments_currency_invalid,
        payments_cursor_invalid,
        payment_back,
        payment_refund_done,
        payment_cancel_done,
        payment_resend_done,
        payment_summary,
        payment_status,
        payment_amount,
        payment_refunded,
        payment_merchant,
        payment_order,
        payment_method,
        payment_settlement,
        integration_warnings,
        payment_warnings_intro,
        warning_col_rule,
        warning_col_field,
        warning_col_found,
        warning_col_asks,
        payment_timeline,
        event_cancelled,
        payment_notifications,
        payment_no_notifications,
        payment_not_attempted,
        col_time,
        payment_col_http,
        col_latency,
        payment_col_acknowledged,
        payment_col_response,
        payment_acknowledged_yes,
        payment_acknowledged_no,
        payment_refund,
        payment_refund_confirm,
        payment_refund_reason,
        payment_refund_submit,
        payment_cancel,
        payment_cancel_confirm,
        payment_cancel_submit,
        payment_currency_unsupported,
        payment_reload,
        reports_title,
        reports_none,
        developers_title,
        developers_key_added,
        developers_key_retired,
        developers_clock_moved,
        developers_credentials,
        developers_client_id,
        developers_gateway_key,
        developers_copy,
        developers_your_keys,
        developers_keys_label,
        developers_col_added,
        developers_col_key_status,
        developers_col_action,
        developers_col_fingerprint,
        developers_active,
        developers_retire,
        developers_last_key,
        developers_last_key_add_first,
        developers_add_key,
        developers_public_key,
        developers_add_key_submit,
        developers_version_invalid,
        developers_clock,
        developers_advance,
        developers_advance_help,
        developers_advance_submit,
        developers_clocks_off,
        developers_warnings_intro,
        developers_strict_on,
        developers_strict_off,
        developers_settings_link,
        developers_warnings_by_rule,
        developers_col_payments,
        developers_col_last_seen,
        developers_newest,
        developers_newest_label,
        developers_col_payment,
        developers_log,
        developers_log_none,
        col_api,
        col_result_code,
        col_status,
        developers_failed,
        developers_failed_none,
        settings_title,
        settings_saved,
        settings_brand,
        settings_current_logo,
        settings_accent,
        settings_notify_url,
        settings_strict,
        settings_strict_help,
        settings_save,
        settings_test,
        settings_test_send,
        settings_notify_missing,
        settings_accent_format,
        settings_unreadable,
        settings_brand_length,
        settings_notify_scheme,
    }
    with_args {
        page_title(page: &str),
        latency_ms(ms: &str),
        login_throttled(minutes: i64),
        setup_intro(email: &str, count: usize),
        setup_password_length(min: usize, max: usize),
        overview_intro(days: i64),
        overview_intro_admin(days: i64),
        overview_none(days: i64),
        overview_last_days(days: i64),
        overview_figures(volume: &str, count: i64, rate: &str),
        overview_chart_title(currency: &str, from: &str, to: &str, max: &str),
        overview_table_label(currency: &str),
        payments_status_unknown(status: &str),
        payment_title(id: &str),
        payment_settlement_converted_at(amount: &str, rate: &str, from: &str, to: &str, time: &str),
        payment_settlement_converted(amount: &str, rate: &str, from: &str, to: &str),
        payment_settlement_own(currency: &str),
        event_created(amount: &str),
        event_attempt(method: &str, details: &str),
        event_attempt_state(method: &str, state: &str, details: &str),
        event_three_ds(challenged: &str, authenticated: &str, eci: &str),
        event_issuer_refusal(code: &str, reason: &str),
        event_virtual_account(bank: &str, account: &str),
        event_payment_code(code: &str),
        event_paid(status: &str, code: &str),
        event_closed(status: &str, code: &str),
        event_refund_requested(id: &str, amount: &str, status: &str),
        event_refund(id: &str, status: &str),
        payment_notification_state(status: &str, count: u32),
        payment_deliveries_label(kind: &str),
        payment_resend(kind: &str),
        payment_refund_up_to(amount: &str),
        payment_refund_amount(currency: &str, example: &str),
        payment_amount_invalid(currency: &str, decimals: usize, example: &str),
        payment_refund_failed(reason: &str),
        reports_intro(days: i64),
        developers_retired(time: &str),
        developers_retire_confirm(version: u32),
        developers_retire_label(version: u32),
        developers_retire_help(code: &str),
        developers_add_key_help(field: &str),
        developers_key_refused(reason: &str),
        developers_clock_intro(now: &str, ahead: &str, header: &str),
        developers_strict_mode(mode: &str, strict: &str, settings: &str),
        developers_warnings_none(days: i64),
        developers_warnings_caption(days: i64),
        developers_log_intro(count: u32),
        developers_failed_intro(count: u32),
        settings_logo(kib: usize),
        settings_settlement(example: &str),
        settings_settlement_help(field: &str),
        settings_test_intro(id: &str),
        settings_test_result(status: u16, ms: u128, acknowledged: &str, excerpt: &str),
        settings_test_failed(ms: u128, reason: &str),
        settings_accent_contrast(ratio: &str, min: &str),
        settings_notify_refused(reason: &str),
        settings_settlement_invalid(reason: &str),
    }
}

/// `yes` or `no`, the values of the messages' yes/no selectors.
pub fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// Sentences with markup inside, cut where the template puts it.
impl DashStrings {
    /// Setup page: before and after the user's email (bold); `min_len` = the minimum
    /// password length.
    pub fn setup_intro_pieces(&self, min_len: usize) -> [String; 2] {
        pieces(&self.setup_intro(SLOTS[0], min_len))
    }

    /// Developers: around `<code>KEY_NOT_FOUND</code>`.
    pub fn developers_retire_help_pieces(&self) -> [String; 2] {
        pieces(&self.developers_retire_help(SLOTS[0]))
    }

    /// Developers: around `<code>keyVersion</code>`.
    pub fn developers_add_key_help_pieces(&self) -> [String; 2] {
        pieces(&self.developers_add_key_help(SLOTS[0]))
    }

    /// Developers: around the merchant's time (bold), how far ahead it is, and
    /// `<code>request-time</code>`.
    pub fn developers_clock_intro_pieces(&self) -> [String; 4] {
        pieces(&self.developers_clock_intro(SLOTS[0], SLOTS[1], SLOTS[2]))
    }

    /// Developers: around the strict mode's state (bold) and the link to Settings.
    pub fn developers_strict_mode_pieces(&self, strict: bool) -> [String; 3] {
        let state = if strict { "on" } else { "off" };
        pieces(&self.developers_strict_mode(SLOTS[0], state, SLOTS[1]))
    }

    /// Settings: around `<code>USD, SGD</code>`.
    pub fn settings_settlement_pieces(&self) -> [String; 2] {
        pieces(&self.settings_settlement(SLOTS[0]))
    }

    /// Settings: around `<code>settlementStrategy.settlementCurrency</code>`.
    pub fn settings_settlement_help_pieces(&self) -> [String; 2] {
        pieces(&self.settings_settlement_help(SLOTS[0]))
    }

    /// Settings: around `<code>CASHIER_TEST_NOTIFICATION</code>`.
    pub fn settings_test_intro_pieces(&self) -> [String; 2] {
        pieces(&self.settings_test_intro(SLOTS[0]))
    }
}

#[cfg(test)]
mod tests {
    use cashier_pages::catalogue;

    use super::*;

    #[test]
    fn every_catalogue_has_every_message_with_its_variables_and_nothing_else() {
        // Also: every message formats without errors and is not empty.
        let sources: Vec<(Locale, &str)> = LOCALES.iter().map(|&l| (l, source(l))).collect();
        let problems = catalogue::check(DashStrings::MESSAGES, &sources);
        assert!(
            problems.is_empty(),
            "crates/gateway/locales/dashboard/:\n{}",
            problems.join("\n")
        );
        for &l in &LOCALES[1..] {
            let same = catalogue::untranslated(
                DashStrings::MESSAGES,
                (Locale::EnUs, source(Locale::EnUs)),
                (l, source(l)),
            );
            assert!(same.is_empty(), "{l}: still English: {same:?}");
        }
        assert!(std::ptr::eq(
            dash_strings(Locale::ZhCn),
            dash_strings(Locale::EnUs)
        ));
    }

    #[test]
    fn markup_slots_stay_in_order() {
        for &l in LOCALES {
            let t = dash_strings(l);
            let s = SLOTS;
            for (text, n) in [
                (t.setup_intro(s[0], 12), 1),
                (t.developers_retire_help(s[0]), 1),
                (t.developers_add_key_help(s[0]), 1),
                (t.developers_clock_intro(s[0], s[1], s[2]), 3),
                (t.developers_strict_mode(s[0], "on", s[1]), 2),
                (t.developers_strict_mode(s[0], "off", s[1]), 2),
                (t.settings_settlement(s[0]), 1),
                (t.settings_settlement_help(s[0]), 1),
                (t.settings_test_intro(s[0]), 1),
            ] {
                let want: Vec<usize> = (0..n).collect();
                assert_eq!(catalogue::slot_order(&text), want, "{l}: {text:?}");
            }
        }
    }

    #[test]
    fn english_reads_as_the_dashboard_always_did() {
        let t = dash_strings(Locale::EnUs);
        assert_eq!(t.page_title("Payments"), "Payments · Cashier dashboard");
        assert_eq!(
            t.overview_figures("SGD 120.00", 3, "100%"),
            "SGD 120.00 · 3 payment(s) · success rate 100%"
        );
        assert_eq!(
            t.overview_figures("SGD 1.00", 1, "—"),
            "SGD 1.00 · 1 payment(s) · success rate —"
        );
        assert_eq!(t.overview_last_days(30), "Last 30 days");
        assert_eq!(t.overview_none(30), "No payments in the last 30 days.");
        assert_eq!(
            t.login_throttled(15),
            "Too many failed logins. Try again in 15 minutes."
        );
        assert_eq!(
            t.setup_intro_pieces(12),
            ["For ".to_string(), ". At least 12 characters.".to_string()]
        );
        assert_eq!(
            t.setup_password_length(12, 1024),
            "the password must be 12 to 1024 characters"
        );
        assert_eq!(
            t.payment_notification_state("DELIVERED", 1),
            "DELIVERED, 1 attempt(s)"
        );
        assert_eq!(
            t.payment_amount_invalid("SGD", 2, "1.00"),
            "enter the amount in SGD with at most 2 decimals, e.g. 1.00"
        );
        assert_eq!(
            t.event_three_ds("yes", "no", "07"),
            "3-D Secure challenged, not authenticated (ECI 07)"
        );
        assert_eq!(
            t.event_three_ds("no", "yes", "05"),
            "3-D Secure frictionless, authenticated (ECI 05)"
        );
        assert_eq!(
            t.developers_strict_mode_pieces(false),
            [
                "Strict mode is ".to_string(),
                ": such requests are accepted and listed here (".to_string(),
                ").".to_string()
            ]
        );
        assert_eq!(
            t.developers_strict_mode_pieces(true)[1],
            ": such requests are refused with PARAM_ILLEGAL naming the rule ("
        );
        assert!(t
            .developers_log_intro(100)
            .starts_with("The last 100 requests answered for this client id"));
        assert!(t
            .developers_failed_intro(20)
            .starts_with("The last 20 requests that named"));
        assert_eq!(
            t.developers_warnings_caption(30),
            "Payments with each warning, last 30 days"
        );
        assert_eq!(
            t.settings_test_result(200, 12, "yes", "{}"),
            "HTTP 200 in 12 ms, acknowledged: {}"
        );
        assert_eq!(
            t.settings_test_result(500, 3, "no", "oops"),
            "HTTP 500 in 3 ms, not acknowledged: oops"
        );
        assert_eq!(
            t.developers_retire_confirm(12),
            "Retire keyVersion 12? Requests signed with it will be refused with KEY_NOT_FOUND. This cannot be undone."
        );
    }

    /// Words a template may show outside the catalogue: names of the API's fields (not
    /// translated, like every data value) and example inputs whose syntax the server
    /// reads whatever the language.
    const TECHNICAL: &[&str] = &[
        "keyVersion",
        "paymentId",
        "paymentRequestId",
        "referenceOrderId",
        // The sandbox clock's placeholder: the duration syntax `clock::parse_advance` reads.
        "25h",
        // The accent colour's placeholder: a colour, written as the field wants it.
        "#1d4ed8",
    ];

    /// Attributes whose values are read or heard by the user.
    const VISIBLE_ATTRIBUTES: &[&str] =
        &["aria-label", "alt", "title", "placeholder", "data-confirm"];

    /// `text` without template comments, tags (`{% … %}`) and expressions (`{{ … }}`).
    fn without_template_syntax(mut text: &str) -> String {
        let mut out = String::new();
        while let Some(i) = text.find('{') {
            let close = match &text[i..] {
                r if r.starts_with("{{") => "}}",
                r if r.starts_with("{%") => "%}",
                r if r.starts_with("{#") => "#}",
                _ => {
                    out.push_str(&text[..=i]);
                    text = &text[i + 1..];
                    continue;
                }
            };
            out.push_str(&text[..i]);
            let end = text[i..].find(close).expect("closed template syntax") + i;
            // An expression stands for a value: keep the words around it apart.
            out.push(' ');
            text = &text[end + close.len()..];
        }
        out.push_str(text);
        out
    }

    /// The words of `text` that are language: any run with a letter that is not a
    /// [`TECHNICAL`] token.
    fn words(text: &str) -> Vec<String> {
        text.split(|c: char| c.is_whitespace() || ",.;:()·—←".contains(c))
            .filter(|w| w.chars().any(char::is_alphabetic))
            .filter(|w| !TECHNICAL.contains(w))
            .map(str::to_owned)
            .collect()
    }

    /// The text nodes and the visible attribute values of an HTML file (after
    /// [`without_template_syntax`]). Text inside `<code>` is code (result codes, field
    /// paths, header names), the same in every language: left out.
    fn visible_text(html: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = html;
        let mut in_code = false;
        while let Some(open) = rest.find('<') {
            if !in_code {
                out.push(rest[..open].to_owned());
            }
            let close = rest[open..].find('>').expect("closed tag") + open;
            let tag = &rest[open + 1..close];
            let name = tag.split_whitespace().next().unwrap_or("");
            match name {
                "code" => in_code = true,
                "/code" => in_code = false,
                _ => {}
            }
            for attr in VISIBLE_ATTRIBUTES {
                let key = format!(" {attr}=\"");
                if let Some(start) = tag.find(&key) {
                    let value = &tag[start + key.len()..];
                    out.push(value[..value.find('"').unwrap_or(value.len())].to_owned());
                }
            }
            rest = &rest[close + 1..];
        }
        out.push(rest.to_owned());
        out
    }

    #[test]
    fn no_template_shows_words_outside_the_catalogue() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates/dashboard");
        let mut found = Vec::new();
        let mut files = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "html") {
                continue;
            }
            files += 1;
            let html = without_template_syntax(&std::fs::read_to_string(&path).unwrap());
            for text in visible_text(&html) {
                for w in words(&text) {
                    found.push(format!("{}: {w:?} in {:?}", path.display(), text.trim()));
                }
            }
        }
        assert!(files >= 10, "the templates are in {dir}");
        assert!(
            found.is_empty(),
            "visible words outside the catalogue:\n{}",
            found.join("\n")
        );
        // The scan itself sees words where they are.
        let sample = "<p title=\"Hello\">{{ t.x }} Goodbye{% if a %} there{% endif %}</p>\
                      <code>KEY_NOT_FOUND</code> keyVersion";
        let seen: Vec<String> = visible_text(&without_template_syntax(sample))
            .iter()
            .flat_map(|t| words(t))
            .collect();
        assert_eq!(seen, ["Hello", "Goodbye", "there"]);
    }
}
