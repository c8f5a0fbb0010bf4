//! The merchant dashboard under `/dashboard`: server-rendered pages for
//! merchants and the operator to see and act on payments without code.
//!
//! Same style as the hosted page: compiled askama templates
//! (`templates/dashboard/`), one stylesheet and one small script
//! (`assets/dashboard.*`), no inline CSS or JS, so the gateway's strict CSP
//! applies unchanged. Every action is a plain POST form with a CSRF token.
//! Every visible string of the templates and of the messages the handlers
//! write comes from the dashboard's Fluent catalogue ([`i18n`],
//! `locales/dashboard/en_US.ftl`): the dashboard is English, through the
//! same catalogue machinery as the hosted pages.
//!
//! | route | what |
//! |---|---|
//! | `GET/POST /dashboard/login`, `POST /dashboard/logout` | sessions ([`auth`]) |
//! | `GET/POST /dashboard/setup/{token}` | one-time password setup link |
//! | `GET /dashboard/payments`, `GET /dashboard/payments.csv` | filtered list, keyset pages, CSV export ([`payments`]) |
//! | `GET /dashboard/payments/{id}` | timeline, notifications and delivery attempts ([`detail`]) |
//! | `POST /dashboard/payments/{id}/refund`, `.../cancel`, `.../notifications/{nid}/resend` | actions |
//! | `GET /dashboard/overview`, `/dashboard/reports`, `/dashboard/developers` | charts, report downloads, keys, API request log ([`overview`]) |
//! | `POST /dashboard/developers/keys`, `.../keys/retire` | add a key version; retire one (never the last active one) |
//! | `POST /dashboard/developers/clock` | move the merchant's sandbox clock forward (`--sandbox-clocks` only) |
//! | `GET/POST /dashboard/settings`, `POST /dashboard/settings/test-notification` | brand, logo, accent, notify URL ([`settings`]) |
//!
//! Accounts, sessions and login throttling live in the store, so any node
//! serves any session. An admin sees every merchant; a merchant user sees
//! only its own `clientId`: every query is scoped by [`auth::Viewer::scope`]
//! and a payment of another merchant answers 404, as if it did not exist.

use std::sync::Arc;

use askama::Template;
use axum::extract::FromRef;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use cashier_protocol::time::antom_offset;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::merchant_cache::{MerchantCache, MerchantClocks};
use crate::metrics::Metrics;
use crate::notify::Dispatcher;
use crate::store::{Store, StoreError, Timestamp};
use crate::workers::Workers;

pub mod auth;
pub mod detail;
pub mod i18n;
pub mod overview;
pub mod payments;
pub mod settings;

pub use crate::api_log::ApiLog;
pub use auth::{create_user, NewUser, UserCreated};
pub use i18n::DashStrings;

const CSS: &str = include_str!("../../assets/dashboard.css");
const JS: &str = include_str!("../../assets/dashboard.js");

/// What the dashboard uses, and nothing else: built once per node by
/// `app::WebState::new`.
#[derive(Clone)]
pub struct DashboardState {
    /// Users, sessions, payments, merchants' settings and keys, reports.
    pub store: Arc<dyn Store>,
    /// The payments domain: expiry, refunds and cancels like the API's.
    pub payments: Arc<crate::payments::Ports>,
    /// The test notification's delivery.
    pub dispatcher: Arc<Dispatcher>,
    /// Wakes the dispatcher for a resent notification.
    pub notify_wake: Arc<tokio::sync::Notify>,
    /// What a moved sandbox clock decides (Developers page).
    pub workers: Arc<Workers>,
    /// Forgotten when a merchant's settings, keys or clock change.
    pub merchant_cache: Arc<MerchantCache>,
    /// Each merchant's clock, and real time for sessions and logins.
    pub clocks: MerchantClocks,
    /// The key of the dashboard's CSRF tokens, derived from the gateway key.
    pub csrf_key: aws_lc_rs::hmac::Key,
    /// The gateway's public key, shown on the Developers page.
    pub gateway_public_key: Arc<str>,
    /// The API request log (Developers page), flushed before it is read.
    pub api_log: Arc<ApiLog>,
    pub metrics: Arc<Metrics>,
    /// Password checks: bounded, and timed for unknown emails.
    pub password_checks: Arc<auth::PasswordChecks>,
    pub settings: DashboardSettings,
}

/// The configuration the dashboard reads.
#[derive(Clone, Copy, Debug)]
pub struct DashboardSettings {
    /// Cookies are `Secure`: TLS ends here or the public URL is https.
    pub secure_cookies: bool,
    /// `--sandbox-clocks`: the Developers page can move a merchant's clock.
    pub sandbox_clocks: bool,
    /// Whether a notify URL may point at a private address.
    pub allow_private_notify: bool,
}

pub fn routes<S>() -> Router<S>
where
    Arc<DashboardState>: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/dashboard", get(home))
        .route("/dashboard/", get(home))
        .route("/dashboard/login", get(auth::login_page).post(auth::login))
        .route("/dashboard/logout", post(auth::logout))
        .route(
            "/dashboard/setup/{token}",
            get(auth::setup_page).post(auth::setup),
        )
        .route("/dashboard/overview", get(overview::overview))
        .route("/dashboard/reports", get(overview::reports))
        .route(
            "/dashboard/reports/{date}/{file}",
            get(overview::report_file),
        )
        .route("/dashboard/developers", get(overview::developers))
        .route("/dashboard/developers/keys", post(overview::add_key))
        .route("/dashboard/developers/clock", post(overview::advance_clock))
        .route(
            "/dashboard/developers/keys/retire",
            post(overview::retire_key),
        )
        .route("/dashboard/payments", get(payments::list))
        .route("/dashboard/payments.csv", get(payments::export_csv))
        .route("/dashboard/payments/{id}", get(detail::show))
        .route("/dashboard/payments/{id}/refund", post(detail::refund))
        .route("/dashboard/payments/{id}/cancel", post(detail::cancel))
        .route(
            "/dashboard/payments/{id}/notifications/{nid}/resend",
            post(detail::resend),
        )
        .route(
            "/dashboard/settings",
            get(settings::show)
                .post(settings::save)
                .layer(settings::body_limit()),
        )
        .route(
            "/dashboard/settings/test-notification",
            post(settings::test_notification),
        )
        .route("/dashboard/assets/dashboard.css", get(css))
        .route("/dashboard/assets/dashboard.js", get(js))
        // Pages show merchant data: never cache them anywhere.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

async fn home(_viewer: auth::Viewer) -> Redirect {
    Redirect::to("/dashboard/overview")
}

async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        CSS,
    )
}

async fn js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        JS,
    )
}

/// The navigation bar of a logged-in page.
pub struct Nav {
    pub email: String,
    pub admin: bool,
    pub csrf: String,
    pub active: &'static str,
}

/// The strings the dashboard is written in: English, its only locale so far
/// ([`i18n`] says how to add one).
pub fn strings() -> &'static DashStrings {
    i18n::dash_strings(cashier_pages::Locale::EnUs)
}

#[derive(Template)]
#[template(path = "dashboard/message.html")]
struct MessagePage {
    t: &'static DashStrings,
    title: String,
    message: String,
    nav: Option<Nav>,
}

/// Failures of dashboard handlers, rendered as short pages.
#[derive(Debug)]
pub enum DashError {
    /// Not logged in: go to the login page.
    Login,
    /// Missing or not visible to this user (another merchant's payment).
    NotFound,
    /// A form without a valid CSRF token.
    Csrf,
    /// Refused, with the reason shown (a message of [`DashStrings`], or of
    /// the API or another module, shown as it is).
    BadRequest(String),
    /// Login throttling, with the message shown.
    TooManyAttempts(String),
    Internal,
}

impl From<StoreError> for DashError {
    fn from(e: StoreError) -> DashError {
        tracing::error!(error = %e, "store failure in the dashboard");
        DashError::Internal
    }
}

impl From<askama::Error> for DashError {
    fn from(e: askama::Error) -> DashError {
        tracing::error!(error = %e, "dashboard template failed");
        DashError::Internal
    }
}

impl IntoResponse for DashError {
    fn into_response(self) -> Response {
        let t = strings();
        let (status, title, message) = match self {
            DashError::Login => return Redirect::to("/dashboard/login").into_response(),
            DashError::NotFound => (
                StatusCode::NOT_FOUND,
                t.error_not_found_title,
                t.error_not_found_message.to_string(),
            ),
            DashError::Csrf => (
                StatusCode::FORBIDDEN,
                t.error_csrf_title,
                t.error_csrf_message.to_string(),
            ),
            DashError::BadRequest(m) => (StatusCode::BAD_REQUEST, t.error_bad_request_title, m),
            DashError::TooManyAttempts(m) => {
                (StatusCode::TOO_MANY_REQUESTS, t.error_too_many_title, m)
            }
            DashError::Internal => (
                StatusCode::SERVICE_UNAVAILABLE,
                t.error_unavailable_title,
                t.error_unavailable_message.to_string(),
            ),
        };
        let page = MessagePage {
            t,
            title: title.to_string(),
            message,
            nav: None,
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, title).into_response(),
        }
    }
}

pub type DashResult<T = Response> = Result<T, DashError>;

/// Renders a template as a 200 page.
fn page(t: &impl Template) -> DashResult {
    Ok(Html(t.render()?).into_response())
}

/// `2026-11-26 12:12:03` for an instant, in UTC+8.
///
/// The dashboard has one time zone, UTC+8 (Antom's): the API's datetimes
/// carry `+08:00`, reports and the cancel window use UTC+8 days, and so do
/// the dashboard's times, daily figures and date filters (issue #15: one
/// rule for days, said once — README "Dashboard").
pub(crate) fn fmt_time(t: Timestamp) -> String {
    chrono::DateTime::from_timestamp_millis(t.millis())
        .map(|t| {
            t.with_timezone(&antom_offset())
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default()
}

/// RFC 3339 with the `+08:00` offset, for `<time datetime>`.
pub(crate) fn iso_time(t: Timestamp) -> String {
    chrono::DateTime::from_timestamp_millis(t.millis())
        .map(|t| {
            t.with_timezone(&antom_offset())
                .format("%Y-%m-%dT%H:%M:%S%:z")
                .to_string()
        })
        .unwrap_or_default()
}

/// The instant at which a UTC+8 calendar day starts.
pub(crate) fn day_start(day: chrono::NaiveDate) -> Timestamp {
    crate::reports::day_window(day).0
}

/// `SGD 60.00` from minor units (one amount, or a total of any size); the
/// protocol crate knows the exponent.
pub(crate) fn money(currency: &str, minor: impl Into<i128>) -> String {
    let minor = minor.into();
    match cashier_protocol::Currency::from_code(currency) {
        Some(c) => cashier_protocol::amount::display_total(c, minor),
        None => format!("{currency} {minor}"),
    }
}
