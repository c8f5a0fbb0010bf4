//! axum integration (feature `axum`): an extractor that verifies and parses
//! notifications, and the acknowledgement response.
//!
//! ```
//! use std::sync::Arc;
//! use axum::{routing::post, Router};
//! use cashier_client::axum::{Acknowledge, VerifiedNotification};
//! use cashier_client::{Client, ClientConfig, Notification, NotificationVerifier, PrivateKey};
//!
//! async fn notify(VerifiedNotification(n): VerifiedNotification) -> Acknowledge {
//!     match &n {
//!         Notification::Payment(p) => println!("{} is {:?} ({:?})", p.payment_request_id, n.payment_status(), n.amount()),
//!         Notification::Refund(r) => println!("refund {} is {:?}", r.refund_request_id, n.refund_status()),
//!         // Unknown types too: they are yours and verified; an error would
//!         // only make the gateway send them again.
//!         other => println!("ignoring {}", other.notify_type()),
//!     }
//!     Acknowledge // 200 with the documented SUCCESS body
//! }
//!
//! # let config = ClientConfig::from_keys("https://pay.example.com", "SANDBOX_MYSHOP",
//! #     PrivateKey::generate().unwrap(), PrivateKey::generate().unwrap().public_key());
//! let client = Client::new(config).unwrap();
//! // The state must give a `NotificationVerifier` (here it is the whole state;
//! // with your own state type implement `FromRef<YourState> for NotificationVerifier`).
//! let app: Router = Router::new()
//!     .route("/antom/notify", post(notify))
//!     .with_state(client.notification_verifier());
//! ```
//!
//! A request whose headers are missing, whose signature does not verify
//! over the path it arrived at (the full original path, also under
//! `Router::nest`), or whose `client-id` is not the verifier's (a genuine
//! notification for another merchant) is answered `401`; a verified body
//! that is not JSON with a `notifyType`, or a notifyPayment/notifyRefund
//! missing its fields, is answered `400`. The gateway retries both. A
//! verified notification of an unknown type is extracted as
//! [`Notification::Other`] for the handler to acknowledge.

use ::axum::body::Bytes;
use ::axum::extract::{FromRef, FromRequest, OriginalUri, Request};
use ::axum::http::{header, StatusCode};
use ::axum::response::{IntoResponse, Response};

use crate::notify::{Notification, NotificationVerifier, ACK_BODY};
use crate::Error;

/// Extracts a notification whose signature and client id verified with the
/// [`NotificationVerifier`] of the state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedNotification(pub Notification);

/// Why [`VerifiedNotification`] refused a request.
#[derive(Debug, thiserror::Error)]
pub enum NotificationRejection {
    /// The body could not be read (its own status is kept).
    #[error("cannot read the notification body: {0}")]
    Body(#[source] ::axum::extract::rejection::BytesRejection),
    /// Headers missing, signature invalid, or `client-id` not yours:
    /// `401 Unauthorized`.
    #[error("notification refused: {0}")]
    Unauthorized(#[source] Error),
    /// Signed and yours, but not a notification this SDK can parse:
    /// `400 Bad Request`.
    #[error("notification not understood: {0}")]
    BadRequest(#[source] Error),
}

impl NotificationRejection {
    /// The HTTP status it is answered with.
    pub fn status(&self) -> StatusCode {
        match self {
            NotificationRejection::Body(r) => r.status(),
            NotificationRejection::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            NotificationRejection::BadRequest(_) => StatusCode::BAD_REQUEST,
        }
    }
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
    NotificationVerifier: FromRef<S>,
{
    type Rejection = NotificationRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let verifier = NotificationVerifier::from_ref(state);
        let path = req
            .extensions()
            .get::<OriginalUri>()
            .map(|u| u.0.path().to_string())
            .unwrap_or_else(|| req.uri().path().to_string());
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state)
            .await
            .map_err(NotificationRejection::Body)?;
        match verifier.verify_request(&path, &headers, &body) {
            Ok(n) => Ok(VerifiedNotification(n)),
            Err(
                e
                @ (Error::MissingHeader(_) | Error::BadSignature | Error::ClientIdMismatch { .. }),
            ) => Err(NotificationRejection::Unauthorized(e)),
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
