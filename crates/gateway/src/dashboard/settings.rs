//! Merchant settings: brand name, logo, hosted-page accent colour, default
//! notify URL, and a signed test notification.
//!
//! - The logo goes through `merchants::save_logo`, the same checks as
//!   `cashier merchant create --logo` (PNG/JPEG/WebP by magic bytes, at most
//!   [`MAX_LOGO_BYTES`]), into the database; every node serves it at
//!   `/logos/{sha256}.{ext}`.
//! - The accent colour reaches the hosted page as a URL-keyed stylesheet
//!   (`/assets/accent/{rrggbb}.css` setting the `--accent` custom property),
//!   so the page's strict CSP needs no inline style. It must contrast at
//!   least 3:1 with white (WCAG 1.4.11, non-text contrast: it borders the
//!   selected method on a white card); button text on it is black or white,
//!   whichever contrasts more (always ≥ 4.5:1).
//! - The notify URL passes the same target check as the API's
//!   (`notify::check_target`: no private addresses unless allowed).
//! - Strict mode (docs/protocol.md §5.7): createPaymentSession requests with
//!   integration warnings are refused instead of recorded; the same switch
//!   as `cashier merchant update --strict`.
//! - Settlement currencies (`crate::settlement`): the contract, parsed like
//!   `cashier merchant update --settlement-currencies`.

use std::sync::Arc;

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect};
use axum::Form;
use cashier_protocol::time::format_datetime;
use serde::Deserialize;

use super::auth::{CsrfForm, Viewer};
use super::i18n::yes_no;
use super::DashboardState;
use super::{strings, DashError, DashResult, DashStrings, Nav};
use crate::merchants::{self, MAX_LOGO_BYTES};
use crate::store::{ClientId, Merchant, Notification};

/// Request body limit of the settings form: the logo plus the text fields.
pub fn body_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(MAX_LOGO_BYTES + 64 * 1024)
}

/// Minimum contrast of the accent against white.
pub const MIN_ACCENT_CONTRAST: f64 = 3.0;

#[derive(Template)]
#[template(path = "dashboard/settings.html")]
struct SettingsPage {
    t: &'static DashStrings,
    title: String,
    nav: Option<Nav>,
    csrf: String,
    client_id: Option<String>,
    merchants: Vec<String>,
    brand_name: String,
    logo_url: Option<String>,
    accent_color: String,
    notify_url: String,
    strict: bool,
    settlement_currencies: String,
    max_logo_kib: usize,
    done: Option<&'static str>,
    error: Option<String>,
    test_result: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SettingsQuery {
    client: String,
    done: String,
}

/// The merchant these settings are for: a merchant user's own; an admin's
/// choice (`?client=`), or `None` for the admin's merchant picker.
pub(super) async fn merchant_for(
    svc: &DashboardState,
    viewer: &Viewer,
    client: &str,
) -> DashResult<Option<Merchant>> {
    let id = match viewer.scope() {
        Some(c) => c.to_string(),
        None if client.is_empty() => return Ok(None),
        None => client.to_string(),
    };
    svc.store
        .merchant(&ClientId::from(&id))
        .await?
        .map(Some)
        .ok_or(DashError::NotFound)
}

async fn render(
    svc: &DashboardState,
    viewer: &Viewer,
    m: Option<Merchant>,
    status: StatusCode,
    done: Option<&'static str>,
    error: Option<String>,
    test_result: Option<String>,
) -> DashResult {
    let merchants = if m.is_none() && viewer.is_admin() {
        svc.store
            .merchants()
            .await?
            .into_iter()
            .map(|m| m.client_id.into_string())
            .collect()
    } else {
        Vec::new()
    };
    let t = strings();
    let view = SettingsPage {
        t,
        title: t.settings_title.into(),
        nav: Some(viewer.nav("settings")),
        csrf: viewer.session.csrf_token.clone(),
        client_id: m.as_ref().map(|m| m.client_id.to_string()),
        merchants,
        brand_name: m.as_ref().map(|m| m.brand_name.clone()).unwrap_or_default(),
        logo_url: m
            .as_ref()
            .and_then(|m| m.logo_file.as_ref())
            .map(|f| format!("/logos/{f}")),
        accent_color: m
            .as_ref()
            .and_then(|m| m.accent_color.clone())
            .unwrap_or_default(),
        notify_url: m
            .as_ref()
            .and_then(|m| m.notify_url.clone())
            .unwrap_or_default(),
        strict: m.as_ref().is_some_and(|m| m.strict),
        settlement_currencies: m
            .as_ref()
            .and_then(|m| m.settlement_currencies.as_deref())
            .unwrap_or("")
            .replace(',', ", "),
        max_logo_kib: MAX_LOGO_BYTES / 1024,
        done,
        error,
        test_result,
    };
    Ok((status, Html(view.render()?)).into_response())
}

pub async fn show(
    State(svc): State<Arc<DashboardState>>,
    viewer: Viewer,
    Query(q): Query<SettingsQuery>,
) -> DashResult {
    let m = merchant_for(&svc, &viewer, &q.client).await?;
    let done = (q.done == "saved").then_some(strings().settings_saved);
    render(&svc, &viewer, m, StatusCode::OK, done, None, None).await
}

/// WCAG 2 relative luminance of an sRGB colour.
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/// Contrast ratio of `rgb` against white (1 to 21).
pub fn contrast_with_white(rgb: [u8; 3]) -> f64 {
    1.05 / (luminance(rgb) + 0.05)
}

/// `#rrggbb` (lower case) if valid and contrasting enough; `Ok(None)` if
/// empty; else the message to show.
pub fn check_accent(t: &DashStrings, input: &str) -> Result<Option<String>, String> {
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    let rgb = cashier_pages::assets::parse_accent(input)
        .ok_or_else(|| t.settings_accent_format.to_string())?;
    let ratio = contrast_with_white(rgb);
    if ratio < MIN_ACCENT_CONTRAST {
        return Err(
            t.settings_accent_contrast(&format!("{ratio:.2}"), &MIN_ACCENT_CONTRAST.to_string())
        );
    }
    Ok(Some(format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2])))
}

pub async fn save(
    State(svc): State<Arc<DashboardState>>,
    viewer: Viewer,
    Query(q): Query<SettingsQuery>,
    mut form: Multipart,
) -> DashResult {
    let m = merchant_for(&svc, &viewer, &q.client)
        .await?
        .ok_or(DashError::NotFound)?;
    let (mut csrf, mut brand, mut accent, mut notify) = (None, None, None, None);
    // An unticked checkbox sends nothing.
    let mut strict = false;
    let mut settlement = None;
    let mut logo: Option<Vec<u8>> = None;
    let t = strings();
    let bad = |_| DashError::BadRequest(t.settings_unreadable.into());
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "logo" {
            let bytes = field.bytes().await.map_err(bad)?;
            if !bytes.is_empty() {
                logo = Some(bytes.to_vec());
            }
            continue;
        }
        let text = field.text().await.map_err(bad)?;
        match name.as_str() {
            "csrf" => csrf = Some(text),
            "brand_name" => brand = Some(text),
            "accent_color" => accent = Some(text),
            "notify_url" => notify = Some(text),
            "strict" => strict = text == "on",
            "settlement_currencies" => settlement = Some(text),
            _ => {}
        }
    }
    viewer.check_csrf(csrf.as_deref())?;
    let fail = |e: String| {
        let svc = svc.clone();
        let m = m.clone();
        let viewer = &viewer;
        async move {
            render(
                &svc,
                viewer,
                Some(m),
                StatusCode::BAD_REQUEST,
                None,
                Some(e),
                None,
            )
            .await
        }
    };
    let brand = brand.unwrap_or_default().trim().to_string();
    if brand.is_empty() || brand.chars().count() > 64 || brand.chars().any(char::is_control) {
        return fail(t.settings_brand_length.into()).await;
    }
    let accent = match check_accent(t, &accent.unwrap_or_default()) {
        Ok(a) => a,
        Err(e) => return fail(e).await,
    };
    let notify = notify.unwrap_or_default().trim().to_string();
    let notify_url = if notify.is_empty() {
        None
    } else {
        let ok = url::Url::parse(&notify)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
        if !ok {
            return fail(t.settings_notify_scheme.into()).await;
        }
        if let Err(e) = crate::notify::check_target(svc.settings.allow_private_notify, &notify) {
            return fail(t.settings_notify_refused(&e)).await;
        }
        Some(notify)
    };
    let settlement_currencies = match settlement {
        // A form from before the field existed keeps the contract.
        None => m.settlement_currencies.clone(),
        Some(text) => match crate::settlement::parse_contract(&text) {
            Ok(contract) => contract,
            Err(e) => return fail(t.settings_settlement_invalid(&e)).await,
        },
    };
    let logo_file = match logo {
        None => m.logo_file.clone(),
        Some(bytes) => {
            match merchants::save_logo(
                svc.store.as_ref(),
                &m.client_id,
                &bytes,
                svc.clocks.now_ts(),
            )
            .await
            {
                Ok(name) => Some(name),
                Err(merchants::MerchantError::Store(e)) => return Err(e.into()),
                Err(e) => return fail(e.to_string()).await,
            }
        }
    };
    let updated = Merchant {
        brand_name: brand,
        logo_file,
        accent_color: accent,
        notify_url,
        strict,
        settlement_currencies,
        ..m.clone()
    };
    svc.store.update_merchant_settings(&updated).await?;
    svc.merchant_cache.forget(&m.client_id);
    tracing::info!(user = %viewer.user.user_id, client_id = %m.client_id, strict, "dashboard settings saved");
    Ok(Redirect::to(&format!(
        "/dashboard/settings?client={}&done=saved",
        m.client_id
    ))
    .into_response())
}

/// Signs and POSTs a test notifyPayment to the default notify URL now, and
/// shows what came back. Nothing is stored: it is not a payment.
pub async fn test_notification(
    State(svc): State<Arc<DashboardState>>,
    viewer: Viewer,
    Query(q): Query<SettingsQuery>,
    Form(form): Form<CsrfForm>,
) -> DashResult {
    viewer.check_csrf(form.csrf.as_deref())?;
    let m = merchant_for(&svc, &viewer, &q.client)
        .await?
        .ok_or(DashError::NotFound)?;
    let Some(url) = m.notify_url.clone() else {
        return render(
            &svc,
            &viewer,
            Some(m),
            StatusCode::BAD_REQUEST,
            None,
            Some(strings().settings_notify_missing.into()),
            None,
        )
        .await;
    };
    let now = svc.clocks.now();
    let body = serde_json::json!({
        "notifyType": "PAYMENT_RESULT",
        "result": {"resultCode": "SUCCESS", "resultStatus": "S", "resultMessage": "success"},
        "paymentRequestId": "CASHIER_TEST_NOTIFICATION",
        "paymentId": format!("TEST{}", now.timestamp_millis()),
        "paymentAmount": {"currency": "USD", "value": "100"},
        "paymentCreateTime": format_datetime(now),
        "paymentTime": format_datetime(now),
        "paymentMethodType": "CARD"
    })
    .to_string();
    let n = Notification {
        notification_id: format!("test-{}", crate::ids::token(9)).into(),
        client_id: m.client_id.clone(),
        kind: "PAYMENT_RESULT".into(),
        subject_id: "CASHIER_TEST_NOTIFICATION".into(),
        url,
        body,
        status: "PENDING".into(),
        attempts: 0,
        next_attempt_at: now.into(),
        created_at: now.into(),
        delivered_at: None,
    };
    let started = std::time::Instant::now();
    let outcome = crate::notify::post(&svc.dispatcher, &n).await;
    let ms = started.elapsed().as_millis();
    let t = strings();
    let text = match outcome {
        Ok((status, body)) => {
            let ack = cashier_protocol::wire::is_acknowledgement(status, &body);
            let excerpt: String = String::from_utf8_lossy(&body).chars().take(200).collect();
            t.settings_test_result(status, ms, yes_no(ack), &excerpt)
        }
        Err(e) => t.settings_test_failed(ms, &e),
    };
    render(
        &svc,
        &viewer,
        Some(m),
        StatusCode::OK,
        None,
        None,
        Some(text),
    )
    .await
}
