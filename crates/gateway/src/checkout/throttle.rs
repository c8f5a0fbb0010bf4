//! The hosted pages' guard against checkout-token guessing (the limit
//! itself is [`crate::ratelimit`]'s), and its localized 429 page.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::CheckoutState;

/// Middleware on the token-bearing page routes (`/checkout/{token}/…`,
/// `/sandbox/wallet/{token}`): a 404 is an unknown token.
pub async fn limit_token_guessing(
    State(svc): State<Arc<CheckoutState>>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if !(path.starts_with("/checkout/") || path.starts_with("/sandbox/wallet/")) {
        return next.run(request).await;
    }
    let ip = request
        .extensions()
        .get::<crate::client_addr::ClientAddr>()
        .map(|c| c.0);
    let Some(ip) = ip.filter(|_| svc.limits.limits_token_guessing()) else {
        return next.run(request).await;
    };
    // For the 429 page's language, decided only if it is shown (cheap clones:
    // both are reference-counted bytes).
    let uri = request.uri().clone();
    let accept = request.headers().get(header::ACCEPT_LANGUAGE).cloned();
    let throttled = || {
        svc.metrics.rate_limited("checkout_token");
        too_many_requests_page(request_locale(&uri, accept.as_ref()))
    };
    if svc.limits.is_blocked(ip) {
        return throttled();
    }
    let response = next.run(request).await;
    if response.status() == StatusCode::NOT_FOUND && !svc.limits.record_miss(ip) {
        tracing::warn!(%ip, "checkout token guessing throttled");
        return throttled();
    }
    response
}

/// The language of a page request that has no session to ask: its `?locale=`, else
/// its `Accept-Language`.
pub fn request_locale(
    uri: &axum::http::Uri,
    accept_language: Option<&axum::http::HeaderValue>,
) -> cashier_pages::Locale {
    let accept = accept_language.and_then(|v| v.to_str().ok());
    cashier_pages::Locale::negotiate(super::query_locale(uri).as_deref(), None, accept)
}

/// 429 page for throttled hosted-page lookups.
pub fn too_many_requests_page(locale: cashier_pages::Locale) -> Response {
    let page = cashier_pages::render_error(&cashier_pages::ErrorView::too_many_requests(locale));
    (
        StatusCode::TOO_MANY_REQUESTS,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::RETRY_AFTER, "60"),
        ],
        page,
    )
        .into_response()
}
