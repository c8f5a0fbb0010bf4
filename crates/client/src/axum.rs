//! axum integration (feature `axum`): an extractor that verifies and parses
//! notifications, and the acknowledgement response.
//!
//! ```
//! use std::sync::Arc;
//! use axum::{routing::post, Router};
//! use cashier_client::axum::{Acknowledge, GatewayKey, VerifiedNotification};
//! use cashier_client::{Notification, PrivateKey};
//!
//! async fn notify(VerifiedNotification(n): VerifiedNotification) -> Acknowledge {
//!     match n {
//!         Notification::Payment(p) => println!("{} is {:?}", p.payment_request_id, p.result.result_status),
//!         Notification::Refund(r) => println!("refund {} is {}", r.refund_request_id, r.refund_status),
//!     }
//!     Acknowledge // 200 with the documented SUCCESS body
//! }
//!
//! # let gateway_public_key = PrivateKey::generate().unwrap().public_key();
//! // The state must give a `GatewayKey` (here it is the whole state; with your
//! // own state type implement `FromRef<YourState> for GatewayKey`).
//! let app: Router = Router::new()
//!     .route("/antom/notify", post(notify))
//!     .with_state(GatewayKey::new(gateway_public_key));
//! ```
//!
//! A request whose headers are missing or whose signature does not verify
//! over the path it arrived at (the full original path, also under
//! `Router::nest`) is answered `401`; a verified body that is not a
//! notifyPayment/notifyRefund is answered `400`. The gateway retries both.

use std::sync::Arc;

use ::axum::body::Bytes;
use ::axum::extract::{FromRef, FromRequest, OriginalUri, Request};
use ::axum::http::{header, StatusCode};
use ::axum::response::{IntoResponse, Response};
use cashier_protocol::signing::PublicKey;

use crate::notify::{verify_notification_request, Notification, ACK_BODY};
use crate::Error;

/// The gateway public key the extractor verifies with; put it in (or make it
/// reachable from, via `FromRef`) your router state.
#[derive(Debug, Clone)]
pub struct GatewayKey(pub Arc<PublicKey>);

impl GatewayKey {
    /// Wraps a parsed key.
    pub fn new(key: PublicKey) -> GatewayKey {
        GatewayKey(Arc::new(key))
    }

    /// Parses the gateway public key text (base64 SPKI DER or PEM), as
    /// [`crate::ClientConfig::new`] does.
    pub fn from_text(text: &str) -> Result<GatewayKey, Error> {
        Ok(GatewayKey::new(PublicKey::from_text(text)?))
    }
}

/// Extracts a notification whose signature verified with the
/// [`GatewayKey`] of the state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedNotification(pub Notification);

/// Why [`VerifiedNotification`] refused a request.
#[derive(Debug)]
pub enum NotificationRejection {
    /// The body could not be read (its own status is kept).
    Body(::axum::extract::rejection::BytesRejection),
    /// Headers missing or signature invalid: `401 Unauthorized`.
    Unauthorized(Error),
    /// Signed, but not a notification this SDK understands: `400 Bad Request`.
    BadRequest(Error),
}

impl IntoResponse for NotificationRejection {
    fn into_response(self) -> Response {
        match self {
            NotificationRejection::Body(r) => r.into_response(),
            NotificationRejection::Unauthorized(e) => {
                (StatusCode::UNAUTHORIZED, e.to_string()).into_response()
            }
            NotificationRejection::BadRequest(e) => {
                (StatusCode::BAD_REQUEST, e.to_string()).into_response()
            }
        }
    }
}

impl<S> FromRequest<S> for VerifiedNotification
where
    S: Send + Sync,
    GatewayKey: FromRef<S>,
{
    type Rejection = NotificationRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let key = GatewayKey::from_ref(state);
        let path = req
            .extensions()
            .get::<OriginalUri>()
            .map(|u| u.0.path().to_string())
            .unwrap_or_else(|| req.uri().path().to_string());
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state)
            .await
            .map_err(NotificationRejection::Body)?;
        match verify_notification_request(&key.0, &path, &headers, &body) {
            Ok(n) => Ok(VerifiedNotification(n)),
            Err(e @ (Error::MissingHeader(_) | Error::BadSignature)) => {
                Err(NotificationRejection::Unauthorized(e))
            }
            Err(e) => Err(NotificationRejection::BadRequest(e)),
        }
    }
}

/// The acknowledgement: HTTP 200 with
/// `{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Acknowledge;

impl IntoResponse for Acknowledge {
    fn into_response(self) -> Response {
        acknowledge()
    }
}

/// The acknowledgement response (see [`Acknowledge`]).
pub fn acknowledge() -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json; charset=UTF-8")],
        ACK_BODY,
    )
        .into_response()
}
