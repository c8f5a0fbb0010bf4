//! The HTTP side of metrics: `GET /metrics`, the hosted pages' timing
//! middleware, and the 429 page of the rate limits. The registry itself is
//! [`crate::metrics`].

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use std::sync::Arc;

use crate::merchant_cache::MerchantClocks;
use crate::metrics::Metrics;
use crate::store::Store;

/// What `GET /metrics`, `/readyz` and the pages' timing middleware use.
#[derive(Clone)]
pub struct TelemetryState {
    pub metrics: Arc<Metrics>,
    /// Gauges read at scrape time, and `/readyz`'s ping.
    pub store: Arc<dyn Store>,
    /// Real time, for the scrape's gauges.
    pub clocks: MerchantClocks,
    /// `--metrics-token`: the bearer token `/metrics` requires.
    pub metrics_token: Option<Arc<str>>,
}

/// `GET /metrics`.
pub async fn metrics_handler(
    State(svc): State<Arc<TelemetryState>>,
    headers: HeaderMap,
) -> Response {
    if let Some(token) = &svc.metrics_token {
        if !bearer_matches(&headers, token) {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer realm=\"cashier-metrics\"")],
                "/metrics needs Authorization: Bearer <the --metrics-token>\n",
            )
                .into_response();
        }
    }
    let body = svc
        .metrics
        .render(svc.store.as_ref(), svc.clocks.now_ts())
        .await;
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

/// Whether `headers` carry `Authorization: Bearer <token>`; compared in
/// constant time.
fn bearer_matches(headers: &HeaderMap, token: &str) -> bool {
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return false;
    };
    let Some(given) = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")) else {
        return false;
    };
    aws_lc_rs::constant_time::verify_slices_are_equal(given.trim().as_bytes(), token.as_bytes())
        .is_ok()
}

/// Middleware for the hosted pages: counts and times each request by its
/// route template (never the token itself).
pub async fn track_pages(
    State(svc): State<Arc<TelemetryState>>,
    request: Request,
    next: Next,
) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| page_route(m.as_str()))
        .unwrap_or("other");
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    svc.metrics
        .page_request(route, response.status().as_u16(), started.elapsed());
    response
}

/// Route templates as static label values (bounded cardinality); keep in
/// step with `checkout::routes`.
fn page_route(template: &str) -> &'static str {
    const KNOWN: &[&str] = &[
        "/checkout/{token}",
        "/checkout/{token}/pay",
        "/checkout/{token}/status",
        "/checkout/{token}/attempts/{attempt}",
        "/checkout/{token}/attempts/{attempt}/status",
        "/checkout/{token}/attempts/{attempt}/challenge",
        "/sandbox/wallet/{wallet}",
        "/assets/checkout.css",
        "/assets/checkout.js",
        "/logos/{file}",
    ];
    KNOWN
        .iter()
        .find(|k| **k == template)
        .copied()
        .unwrap_or_else(|| {
            if template.starts_with("/checkout/") {
                "/checkout/other"
            } else {
                "other"
            }
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_page_route_has_its_own_label() {
        for template in [
            "/checkout/{token}",
            "/checkout/{token}/pay",
            "/checkout/{token}/status",
            "/checkout/{token}/attempts/{attempt}",
            "/checkout/{token}/attempts/{attempt}/status",
            "/checkout/{token}/attempts/{attempt}/challenge",
            "/sandbox/wallet/{wallet}",
            "/assets/checkout.css",
            "/assets/checkout.js",
            "/logos/{file}",
        ] {
            assert_eq!(super::page_route(template), template);
        }
        assert_eq!(
            super::page_route("/checkout/{token}/new"),
            "/checkout/other"
        );
        assert_eq!(super::page_route("/elsewhere"), "other");
    }
}
