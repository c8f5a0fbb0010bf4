//! Buyer-facing HTML pages of the Cashier hosted checkout.
//!
//! This crate turns plain view-model structs into HTML `String`s. It has no HTTP server
//! code, no database and no I/O: the gateway loads the session, decides what to show,
//! fills a view and sends the returned HTML with the status code and security headers
//! of its choice. Keeping the pages here lets them be tested (contract names, escaping,
//! every locale) without a server.
//!
//! Design choices and why:
//! - **Compiled templates** (askama): templates are checked and compiled into Rust at
//!   build time, so a typo in a field name is a compile error and rendering is a few
//!   string writes (no template parsing per request). Askama HTML-escapes every
//!   interpolated value by default; merchant data is never marked `|safe`. The only
//!   `|safe` value is the QR code SVG that this crate generates itself ([`qr_svg`]).
//! - **No inline JS or CSS**: the gateway sends a strict CSP (`default-src 'none';
//!   style-src 'self'; script-src 'self'; img-src 'self' data:; …`). Pages therefore
//!   contain no `<script>` without `src`, no `<style>`, no `style=""` and no `on*=`
//!   handlers. Behaviour lives in one external script ([`assets::CHECKOUT_JS`]) that
//!   reads `data-*` attributes; looks live in one stylesheet ([`assets::CHECKOUT_CSS`]);
//!   the merchant accent colour is a separate, URL-keyed stylesheet
//!   ([`assets::accent_href`]).
//! - **Works without JS**: every form is a plain POST; the card fields are always in
//!   the checkout form (not `required` in the HTML, the server validates); results
//!   redirect with JS, or without it through a `<meta http-equiv="refresh">` inside
//!   `<noscript>`. JS only enhances: live countdown, hiding card fields for wallets,
//!   status polling, double-submit guard.
//! - **No external requests**: no web fonts (system font stack), no CDN, no images
//!   other than the merchant logo the gateway serves and the inline QR SVG.
//! - **Localized**: every visible string comes from [`i18n::strings`]; the locale is
//!   chosen with [`Locale::negotiate`]. The machinery behind it ([`catalogue`]: the
//!   [`define_strings!`] macro, the Fluent bundles, the catalogue checks) is public, so
//!   the gateway's dashboard declares its own strings the same way.
//!
//! Amounts arrive preformatted (`"SGD 60.00"`): the currency exponent lives in the
//! protocol crate only.

use std::sync::OnceLock;

use askama::Template;

pub mod assets;
pub mod catalogue;
pub mod dates;
pub mod i18n;
mod locale;
pub mod money;
mod qr;
mod urls;

pub use i18n::{strings, Strings};
pub use locale::Locale;
pub use qr::qr_svg;

/// Merchant branding shown at the top of the pages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Brand {
    /// Merchant display name (escaped; shown in the checkout `h1`).
    pub name: String,
    /// Logo URL: a same-origin path served by the gateway (e.g. `/logos/{client}.png`)
    /// or a `data:image/…` URL. Anything else (e.g. `javascript:`) is not rendered.
    pub logo_url: Option<String>,
    /// Accent colour `#RRGGBB` (or `#RGB`). Invalid values are ignored. Applied through
    /// the stylesheet at [`assets::accent_href`] (the gateway must serve
    /// `/assets/accent/{rrggbb}.css` with [`assets::accent_css_for_file`]).
    pub accent_color: Option<String>,
}

/// One line of the goods list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoodsLine {
    /// Goods name as the merchant sent it.
    pub name: String,
    /// Quantity (`goodsQuantity`, 1 if absent).
    pub quantity: u64,
    /// Formatted unit price, e.g. `"SGD 20.00"`.
    pub unit_price: String,
    /// Formatted line total, e.g. `"SGD 40.00"`.
    pub line_total: String,
}

/// One payment method radio on the checkout page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MethodOption {
    /// `paymentMethodType`, submitted as `method`, e.g. `"CARD"`, `"ALIPAY_CN"`.
    pub code: String,
    /// Label, e.g. `"Card"`, `"Alipay"` (exact text of the radio's label).
    pub display_name: String,
    /// Whether choosing it needs the card fields.
    pub is_card: bool,
    /// Pre-selected. If no method is selected, the first one is.
    pub selected: bool,
}

/// The checkout page (`GET {normalUrl}`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckoutView {
    pub locale: Locale,
    pub brand: Brand,
    /// `order.orderDescription`.
    pub order_description: String,
    /// Goods lines; the list is omitted when empty.
    pub goods: Vec<GoodsLine>,
    /// Formatted total, e.g. `"SGD 60.00"`; also the Pay button text ("Pay SGD 60.00").
    pub total: String,
    /// Session expiry as RFC 3339 (`<time datetime>`), e.g. `2025-01-31T12:00:00+08:00`.
    pub expires_at_iso: String,
    /// Session expiry in Unix milliseconds (drives the JS countdown).
    pub expires_at_epoch_ms: i64,
    /// Methods in display order (at least one, here or in `express`).
    pub methods: Vec<MethodOption>,
    /// Express methods (Apple Pay, Google Pay, or what the request marked
    /// `expressCheckout`): buttons above the list that submit
    /// `express=<code>` and skip the card fields' checks.
    pub express: Vec<MethodOption>,
    /// Form POST URL.
    pub pay_action: String,
    /// Status endpoint (JSON `{"state":"pending"|"final"|"retry","redirect":url}`);
    /// currently unused on this page, kept for symmetry with the wallet page.
    pub status_url: String,
    /// Hidden `csrf_token` field.
    pub csrf_token: String,
    /// Hidden `attempt_nonce` field (makes the POST idempotent / double-click safe).
    pub attempt_nonce: String,
    /// Message after a declined attempt or bad card input (`role="alert"`).
    pub error: Option<String>,
    /// Re-filled `card_name` after an error.
    pub card_name_value: String,
    /// Re-filled `card_expiry` after an error. Card number and CVC are never re-filled.
    pub card_expiry_value: String,
    /// The brand of the number submitted (e.g. `"American Express"`) shown
    /// beside the number field after an error; the script fills the same
    /// element as the buyer types. Empty: nothing shown.
    pub card_brand: String,
}

/// The page shown after choosing a wallet: QR code (desktop) and "Open …" link (mobile).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WalletView {
    pub locale: Locale,
    pub brand: Brand,
    /// e.g. `"Alipay"`.
    pub method_display_name: String,
    /// Formatted amount.
    pub total: String,
    /// Absolute URL of the sandbox wallet page; encoded in the QR code and linked.
    pub wallet_url: String,
    /// Accepted for API compatibility and ignored: [`render_wallet`] always renders
    /// the QR code itself from `wallet_url` with the localized label (so no
    /// caller-supplied markup is ever emitted unescaped). Pass `String::new()`.
    pub qr_svg: String,
    /// Status endpoint polled every 1.5 s; `{status_url}?html=1` is the no-JS
    /// "I have paid" link (should answer with the result page, or the wallet page again
    /// while pending).
    pub status_url: String,
    /// Link back to the method choice.
    pub checkout_url: String,
    pub expires_at_iso: String,
    pub expires_at_epoch_ms: i64,
    /// A mobile journey (`env.terminalType` `WAP` or `APP`): no QR code; the
    /// buyer opens the wallet app by a link and comes back to a status
    /// check.
    pub mobile: bool,
    /// The buyer came back from the wallet app (mobile only): the page
    /// offers "Check payment status" and polls.
    pub returned: bool,
    /// Where the page goes when the buyer comes back from the app (the
    /// script follows it); empty: nowhere.
    pub returned_url: String,
    /// The method's family: what the page asks the buyer to do.
    pub journey: Journey,
}

/// How the buyer completes a payment away from the checkout page, per method
/// family; the gateway's sandbox stands in for the wallet, bank, store or
/// lender.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Journey {
    /// A QR code (desktop) or the wallet's app (mobile).
    #[default]
    Wallet,
    /// Online banking: the banks to choose from, each `(name, url of its
    /// sandbox online banking)`.
    Bank { banks: Vec<(String, String)> },
    /// Bank transfer to a virtual account, paid before the session expires.
    Transfer { bank: String, account: String },
    /// Cash at a convenience store, with a payment code.
    Store { code: String },
    /// Buy now, pay later: the buyer continues to the lender.
    PayLater,
    /// An express wallet's payment sheet (Apple Pay, Google Pay).
    Sheet,
}

/// The sandbox wallet page opened on the buyer's phone (no cookies).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SandboxWalletView {
    pub locale: Locale,
    pub merchant_name: String,
    pub method_display_name: String,
    pub total: String,
    pub order_description: String,
    /// Form POST URL; the form sends `decision=approve|decline|pending` and `csrf_token`.
    pub action: String,
    pub csrf_token: String,
    /// After the buyer acted: the message shown instead of the buttons
    /// (see `i18n::Strings::msg_wallet_*_done`).
    pub done: Option<String>,
    /// The buyer's checkout page, linked once the buyer acted, so that a
    /// buyer on one device (one tab) gets back to the outcome and from
    /// there to the merchant.
    pub checkout_url: String,
    /// Mobile journeys: the page the app would return to without paying
    /// (the buyer's status check); empty: no such link.
    pub return_url: String,
    /// Which sandbox this page stands in for.
    pub journey: SandboxJourney,
}

/// What the sandbox page stands in for, and so which buttons it has.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SandboxJourney {
    /// A wallet app: approve, decline or leave pending.
    #[default]
    Wallet,
    /// A bank's online banking (`bank` is the bank the buyer chose): approve
    /// or decline.
    Bank { bank: String },
    /// The buyer's bank paying a virtual account: transfer.
    Transfer { account: String },
    /// A store's counter: pay the code in cash.
    Store { code: String },
    /// A lender: pick an instalment plan (months), approve or decline.
    PayLater { plans: Vec<u32> },
    /// An express wallet's payment sheet: pay or cancel.
    Sheet,
}

/// The sandbox 3-D Secure challenge page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChallengeView {
    pub locale: Locale,
    pub brand: Brand,
    pub total: String,
    /// e.g. `"Visa •••• 3220"`.
    pub card_label: String,
    /// Form POST URL; the form sends `outcome=complete|fail` and `csrf_token`.
    pub action: String,
    pub csrf_token: String,
}

/// What the result page reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ResultKind {
    #[default]
    Success,
    Failed,
    Processing,
    Expired,
    Cancelled,
}

impl ResultKind {
    /// Class suffix used by the stylesheet (`result-success`, …).
    pub(crate) fn css(&self) -> &'static str {
        match self {
            ResultKind::Success => "success",
            ResultKind::Failed => "failed",
            ResultKind::Processing => "processing",
            ResultKind::Expired => "expired",
            ResultKind::Cancelled => "cancelled",
        }
    }
}

/// The result page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResultView {
    pub locale: Locale,
    pub brand: Brand,
    pub kind: ResultKind,
    /// Optional paragraph under the heading (e.g. `msg_already_paid`, a decline reason).
    pub detail: Option<String>,
    /// Formatted amount; omitted when empty.
    pub total: String,
    /// `paymentRedirectUrl` exactly as supplied. Rendered only if it is an absolute
    /// `http(s)` URL (a `javascript:` URL yields no link and no redirect).
    pub redirect_url: Option<String>,
    /// Delay of the automatic redirect; values below 3 are raised to 3.
    pub redirect_after_secs: u32,
    /// Back to the checkout after a failed attempt while the session is open. When set
    /// on a `Failed` result, there is no automatic redirect.
    pub try_again_url: Option<String>,
    /// For `Processing`: status endpoint to poll; the page navigates to its `redirect`
    /// (or reloads) once the state is no longer pending.
    pub status_url: Option<String>,
}

/// A readable error page (the gateway sets the HTTP status).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorView {
    pub locale: Locale,
    /// 404 (unknown token), 410 (expired), 400 (bad request)…; shown as "Error {status}".
    pub status: u16,
    pub title: String,
    pub message: String,
}

impl ErrorView {
    /// 404 page for an unknown checkout token.
    pub fn not_found(locale: Locale) -> Self {
        let t = strings(locale);
        ErrorView {
            locale,
            status: 404,
            title: t.error_not_found_title.into(),
            message: t.error_not_found_message.into(),
        }
    }

    /// 410 page for an expired checkout.
    pub fn expired(locale: Locale) -> Self {
        let t = strings(locale);
        ErrorView {
            locale,
            status: 410,
            title: t.error_expired_title.into(),
            message: t.error_expired_message.into(),
        }
    }

    /// 400 page; `message` defaults to a generic localized text.
    pub fn bad_request(locale: Locale, message: Option<String>) -> Self {
        let t = strings(locale);
        ErrorView {
            locale,
            status: 400,
            title: t.error_bad_request_title.into(),
            message: message.unwrap_or_else(|| t.error_bad_request_message.into()),
        }
    }

    /// 503 page: the gateway cannot reach its database for a moment.
    pub fn unavailable(locale: Locale) -> Self {
        let t = strings(locale);
        ErrorView {
            locale,
            status: 503,
            title: t.error_unavailable_title.into(),
            message: t.error_unavailable_message.into(),
        }
    }

    /// 429 page: too many unknown checkout links from one network.
    pub fn too_many_requests(locale: Locale) -> Self {
        let t = strings(locale);
        ErrorView {
            locale,
            status: 429,
            title: t.error_too_many_title.into(),
            message: t.error_too_many_message.into(),
        }
    }
}

// ---------------------------------------------------------------------------------
// Template contexts (private): the views plus everything precomputed in Rust, so the
// templates stay declarative.

/// `languages.html`: the language list.
#[derive(Template)]
#[template(path = "languages.html")]
struct LanguageList {
    label: &'static str,
    current: Locale,
    locales: &'static [Locale],
}

/// What `base.html` needs.
struct Head {
    lang: &'static str,
    dir: &'static str,
    title: String,
    css_href: &'static str,
    js_href: &'static str,
    accent_href: Option<String>,
    /// `content` of `<meta http-equiv="refresh">`.
    refresh: Option<String>,
    /// Same, inside `<noscript>` (only when JS is off).
    noscript_refresh: Option<String>,
    brand: Option<BrandHeader>,
    /// The brand name is the page's `h1` (checkout) rather than a paragraph.
    brand_h1: bool,
    /// Class on `<body>` (page-specific styling hook).
    body_class: &'static str,
    /// The language list at the foot of the page ([`language_list`]).
    languages: &'static str,
}

struct BrandHeader {
    name: String,
    logo: Option<String>,
    logo_alt: String,
}

impl Head {
    fn new(locale: Locale, title: String, body_class: &'static str) -> Self {
        Head {
            lang: locale.tag(),
            dir: locale.dir(),
            title,
            css_href: assets::CSS_HREF,
            js_href: assets::JS_HREF,
            accent_href: None,
            refresh: None,
            noscript_refresh: None,
            brand: None,
            brand_h1: false,
            body_class,
            languages: language_list(locale),
        }
    }

    fn with_brand(mut self, brand: &Brand, t: &Strings, as_h1: bool) -> Self {
        self.brand = Some(BrandHeader {
            name: brand.name.clone(),
            logo: brand
                .logo_url
                .as_deref()
                .and_then(urls::image)
                .map(str::to_owned),
            logo_alt: t.logo_alt(&brand.name),
        });
        self.brand_h1 = as_h1;
        self.accent_href = brand.accent_color.as_deref().and_then(assets::accent_href);
        self
    }
}

/// The language list at the foot of every page in `locale`: a link per locale to the
/// current address with `?locale=<code>`, each language named in itself, this one
/// marked. The same for every page of a locale, so it is made once. (A page that
/// answers a form post, at `/checkout/<token>/pay`, is reached again by GET as a
/// redirect to the checkout: the gateway routes it.)
fn language_list(locale: Locale) -> &'static str {
    static MADE: [OnceLock<String>; Locale::ALL.len()] =
        [const { OnceLock::new() }; Locale::ALL.len()];
    MADE[locale.index()].get_or_init(|| {
        let list = LanguageList {
            label: strings(locale).language_switcher,
            current: locale,
            locales: &Locale::ALL,
        };
        list.render().expect("the language list renders")
    })
}

/// Page `<title>`: "{page} – {brand}" (or just the page when there is no brand).
fn page_title(page: &str, brand: &str) -> String {
    if brand.is_empty() {
        page.to_owned()
    } else {
        format!("{page} – {brand}")
    }
}

/// The expiry time in the locale's form ([`dates::format`]), else [`display_time`].
fn local_time(locale: Locale, iso: &str) -> String {
    dates::format(locale, iso).unwrap_or_else(|| display_time(iso))
}

/// Locale-free rendering of the expiry time: `2025-01-31T12:00:00+08:00` →
/// `2025-01-31 12:00 UTC+08:00` (JS replaces it with a live countdown). Input that
/// does not look like RFC 3339 is shown as is.
fn display_time(iso: &str) -> String {
    let b = iso.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| r.clone().all(|i| b.get(i).is_some_and(u8::is_ascii_digit));
    if b.len() < 16
        || !digits(0..4)
        || b[4] != b'-'
        || !digits(5..7)
        || b[7] != b'-'
        || !digits(8..10)
        || !matches!(b[10], b'T' | b't' | b' ')
        || !digits(11..13)
        || b[13] != b':'
        || !digits(14..16)
    {
        return iso.to_owned();
    }
    let mut rest = &iso[16..];
    // Skip seconds and fractions.
    if let Some(r) = rest.strip_prefix(':') {
        rest = r.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    }
    let zone = match rest {
        "Z" | "z" | "" | "+00:00" => "UTC".to_owned(),
        z if z.starts_with(['+', '-']) => format!("UTC{z}"),
        _ => return iso.to_owned(),
    };
    format!("{} {} {zone}", &iso[..10], &iso[11..16])
}

struct MethodRow<'a> {
    code: &'a str,
    label: &'a str,
    is_card: bool,
    checked: bool,
}

#[derive(Template)]
#[template(path = "checkout.html", whitespace = "minimize")]
struct CheckoutPage<'a> {
    head: Head,
    t: &'static Strings,
    v: &'a CheckoutView,
    methods: Vec<MethodRow<'a>>,
    has_card: bool,
    pay_action: &'a str,
    pay_label: String,
    expires_display: String,
}

#[derive(Template)]
#[template(path = "wallet.html", whitespace = "minimize")]
struct WalletPage<'a> {
    head: Head,
    t: &'static Strings,
    v: &'a WalletView,
    heading: String,
    qr: String,
    scan: String,
    wallet_href: Option<&'a str>,
    open_label: String,
    app_intro: String,
    returned_note: String,
    returned_href: Option<&'a str>,
    poll_url: Option<&'a str>,
    paid_href: Option<String>,
    checkout_href: Option<&'a str>,
    expires_display: String,
    /// The family's own lines (`Journey`), already filled in.
    intro: String,
    waiting: &'static str,
    banks: Vec<(&'a str, &'a str)>,
    /// "Pay before" for a code or account paid later, else "Expires at".
    deadline_label: &'static str,
    /// The no-JavaScript "I have paid" link: desktop wallets only.
    show_paid_link: bool,
    /// A visible status check for the families paid away from the page.
    show_check_link: bool,
}

#[derive(Template)]
#[template(path = "sandbox_wallet.html", whitespace = "minimize")]
struct SandboxWalletPage<'a> {
    head: Head,
    t: &'static Strings,
    v: &'a SandboxWalletView,
    intro: String,
    action: &'a str,
    /// Empty when the URL is not a safe link.
    checkout: &'a str,
    return_href: &'a str,
    heading: &'static str,
    approve_label: String,
    plans: Vec<(u32, String)>,
}

#[derive(Template)]
#[template(path = "challenge.html", whitespace = "minimize")]
struct ChallengePage<'a> {
    head: Head,
    t: &'static Strings,
    v: &'a ChallengeView,
    action: &'a str,
}

#[derive(Template)]
#[template(path = "result.html", whitespace = "minimize")]
struct ResultPage<'a> {
    head: Head,
    t: &'static Strings,
    v: &'a ResultView,
    heading: &'static str,
    redirect_href: Option<&'a str>,
    try_again_href: Option<&'a str>,
    /// Auto-redirect target and delay, for final results.
    auto_redirect: Option<(&'a str, u32)>,
    note_before: String,
    note_after: String,
    poll_url: Option<&'a str>,
    status_href: Option<String>,
}

#[derive(Template)]
#[template(path = "error.html", whitespace = "minimize")]
struct ErrorPage<'a> {
    head: Head,
    v: &'a ErrorView,
    code_line: String,
}

fn render<T: Template>(page: &T) -> String {
    match page.render() {
        Ok(html) => html,
        // Rendering only fails if a `Display` impl fails, which none of ours do; never
        // panic in a request path regardless.
        Err(_) => String::from(
            "<!doctype html><html lang=\"en\"><title>Error</title><h1>Something went wrong</h1></html>",
        ),
    }
}

/// Renders the checkout page.
pub fn render_checkout(v: &CheckoutView) -> String {
    let t = strings(v.locale);
    let any_selected = v.methods.iter().any(|m| m.selected);
    let mut first_checked = false;
    let methods: Vec<MethodRow<'_>> = v
        .methods
        .iter()
        .enumerate()
        .map(|(i, m)| {
            // Exactly one radio is checked: the first selected one, else the first.
            let checked = !first_checked && (m.selected || (!any_selected && i == 0));
            first_checked |= checked;
            MethodRow {
                code: &m.code,
                label: &m.display_name,
                is_card: m.is_card,
                checked,
            }
        })
        .collect();
    let page = CheckoutPage {
        head: Head::new(
            v.locale,
            page_title(t.checkout_title, &v.brand.name),
            "checkout",
        )
        .with_brand(&v.brand, t, true),
        t,
        v,
        has_card: v.methods.iter().any(|m| m.is_card),
        methods,
        pay_action: urls::link(&v.pay_action).unwrap_or(""),
        pay_label: t.pay(&v.total),
        expires_display: local_time(v.locale, &v.expires_at_iso),
    };
    render(&page)
}

/// Renders the wallet (QR code / open-in-app) page.
pub fn render_wallet(v: &WalletView) -> String {
    let t = strings(v.locale);
    let heading = t.wallet_title(&v.method_display_name);
    let wallet_href = urls::link(&v.wallet_url);
    let qr = match wallet_href {
        // A phone cannot scan its own screen: mobile journeys open the app.
        Some(url) if !v.mobile => qr_svg(url, &t.wallet_qr_label(&v.method_display_name)),
        _ => String::new(),
    };
    let poll_url = urls::link(&v.status_url);
    let name = &v.method_display_name;
    let (intro, waiting) = match &v.journey {
        Journey::Wallet => (String::new(), t.wallet_waiting),
        Journey::Bank { .. } => (t.bank_intro(name), t.journey_waiting),
        Journey::Transfer { .. } => (t.transfer_intro(&v.total), t.transfer_waiting),
        Journey::Store { .. } => (t.store_intro(name), t.store_waiting),
        Journey::PayLater => (t.paylater_intro(name), t.journey_waiting),
        Journey::Sheet => (t.sheet_intro(name), t.journey_waiting),
    };
    let banks = match &v.journey {
        Journey::Bank { banks } => banks
            .iter()
            .filter_map(|(bank, url)| Some((bank.as_str(), urls::link(url)?)))
            .collect(),
        _ => Vec::new(),
    };
    let open_label = match v.journey {
        Journey::Transfer { .. } => t.open_sandbox_bank.to_string(),
        Journey::Store { .. } => t.open_sandbox_store.to_string(),
        Journey::PayLater => t.continue_to(name),
        _ => t.wallet_open(name),
    };
    let paid_later = matches!(v.journey, Journey::Transfer { .. } | Journey::Store { .. });
    let page = WalletPage {
        intro,
        waiting,
        banks,
        deadline_label: if paid_later {
            t.pay_before
        } else {
            t.expires_at
        },
        show_paid_link: !v.mobile && v.journey == Journey::Wallet,
        show_check_link: v.journey != Journey::Wallet,
        head: Head::new(v.locale, page_title(&heading, &v.brand.name), "wallet")
            .with_brand(&v.brand, t, false),
        t,
        v,
        qr,
        scan: t.wallet_scan(&v.method_display_name),
        wallet_href,
        open_label,
        app_intro: t.wallet_app_intro(&v.method_display_name),
        returned_note: t.wallet_returned(&v.method_display_name),
        returned_href: urls::link(&v.returned_url),
        poll_url,
        paid_href: poll_url.map(urls::with_html_param),
        checkout_href: urls::link(&v.checkout_url),
        expires_display: local_time(v.locale, &v.expires_at_iso),
        heading,
    };
    render(&page)
}

/// Renders the sandbox wallet page (Approve / Decline / Leave pending).
pub fn render_sandbox_wallet(v: &SandboxWalletView) -> String {
    let t = strings(v.locale);
    let name = &v.method_display_name;
    let (heading, intro) = match &v.journey {
        SandboxJourney::Wallet => (t.sandbox_wallet, t.sandbox_wallet_intro(name)),
        SandboxJourney::Bank { bank } if !bank.is_empty() => {
            (t.sandbox_bank, t.sandbox_bank_intro(bank))
        }
        SandboxJourney::Bank { .. } | SandboxJourney::Transfer { .. } => {
            (t.sandbox_bank, t.sandbox_bank_intro(name))
        }
        SandboxJourney::Store { .. } => (t.sandbox_store, t.sandbox_store_intro(name)),
        SandboxJourney::PayLater { .. } => (t.sandbox_paylater, t.sandbox_paylater_intro(name)),
        SandboxJourney::Sheet => (t.sandbox_sheet, t.sandbox_sheet_intro(name)),
    };
    let approve_label = match v.journey {
        SandboxJourney::Transfer { .. } => t.transfer_button(&v.total),
        SandboxJourney::Store { .. } => t.cash_button(&v.total),
        SandboxJourney::Sheet => t.sheet_pay(name),
        _ => t.approve_payment.to_string(),
    };
    let plans = match &v.journey {
        SandboxJourney::PayLater { plans } => {
            plans.iter().map(|&m| (m, t.instalment_months(m))).collect()
        }
        _ => Vec::new(),
    };
    let page = SandboxWalletPage {
        head: Head::new(v.locale, page_title(heading, &v.merchant_name), "sandbox"),
        t,
        v,
        heading,
        approve_label,
        plans,
        intro,
        action: urls::link(&v.action).unwrap_or(""),
        checkout: urls::link(&v.checkout_url).unwrap_or(""),
        return_href: urls::link(&v.return_url).unwrap_or(""),
    };
    render(&page)
}

/// Renders the sandbox 3-D Secure challenge page.
pub fn render_challenge(v: &ChallengeView) -> String {
    let t = strings(v.locale);
    let page = ChallengePage {
        head: Head::new(
            v.locale,
            page_title(t.challenge_title, &v.brand.name),
            "challenge",
        )
        .with_brand(&v.brand, t, false),
        t,
        v,
        action: urls::link(&v.action).unwrap_or(""),
    };
    render(&page)
}

/// Renders the result page.
pub fn render_result(v: &ResultView) -> String {
    let t = strings(v.locale);
    let heading = match v.kind {
        ResultKind::Success => t.result_success,
        ResultKind::Failed => t.result_failed,
        ResultKind::Processing => t.result_processing,
        ResultKind::Expired => t.result_expired,
        ResultKind::Cancelled => t.result_cancelled,
    };
    let redirect_href = v.redirect_url.as_deref().and_then(urls::absolute_http);
    let try_again_href = v.try_again_url.as_deref().and_then(urls::link);
    let is_final = match v.kind {
        ResultKind::Success | ResultKind::Expired | ResultKind::Cancelled => true,
        ResultKind::Failed => try_again_href.is_none(),
        ResultKind::Processing => false,
    };
    let secs = v.redirect_after_secs.max(3);
    let auto_redirect = redirect_href.filter(|_| is_final).map(|u| (u, secs));
    let poll_url = match v.kind {
        ResultKind::Processing => v.status_url.as_deref().and_then(urls::link),
        _ => None,
    };
    let status_href = poll_url.map(urls::with_html_param);
    let mut head = Head::new(v.locale, page_title(heading, &v.brand.name), "result")
        .with_brand(&v.brand, t, false);
    // The automatic return is the script's countdown; the meta refresh only
    // stands in without JS (inside <noscript>), so assistive technology is
    // not hit by a timed refresh (axe-core `meta-refresh`, WCAG 2.2.1).
    head.noscript_refresh = auto_redirect
        .as_ref()
        .map(|(u, s)| format!("{s};url={u}"))
        .or_else(|| status_href.as_ref().map(|u| format!("5;url={u}")));
    let (note_before, note_after) = t.redirect_note_parts(secs);
    let page = ResultPage {
        head,
        t,
        v,
        heading,
        redirect_href,
        try_again_href,
        auto_redirect,
        note_before,
        note_after,
        poll_url,
        status_href,
    };
    render(&page)
}

/// Renders an error page (404 unknown token, 410 expired, 400 …).
pub fn render_error(v: &ErrorView) -> String {
    let t = strings(v.locale);
    let page = ErrorPage {
        head: Head::new(v.locale, v.title.clone(), "error"),
        v,
        code_line: t.error_code(u32::from(v.status)),
    };
    render(&page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_time_formats() {
        assert_eq!(
            display_time("2025-01-31T12:00:00+08:00"),
            "2025-01-31 12:00 UTC+08:00"
        );
        assert_eq!(display_time("2025-01-31T12:00:00Z"), "2025-01-31 12:00 UTC");
        assert_eq!(
            display_time("2025-01-31T12:00:00.123-05:00"),
            "2025-01-31 12:00 UTC-05:00"
        );
        assert_eq!(display_time("soon"), "soon");
        assert_eq!(
            display_time("2025-01-31T12:00:00junk"),
            "2025-01-31T12:00:00junk"
        );
    }
}
