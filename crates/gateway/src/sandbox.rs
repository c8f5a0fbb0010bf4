//! `POST /sandbox/simulate/pay` (docs/protocol.md §9.3): completes a payment
//! without a browser, for automated tests and load generators. Off unless
//! the operator enables sandbox simulation (on in `cashier demo` and tests).
//!
//! Body: `{"clientId": "...", "paymentRequestId": "..." | "paymentId": "...",
//! "outcome": "SUCCESS" | "FAIL", "resultCode": "USER_BALANCE_NOT_ENOUGH",
//! "paymentMethodType": "ALIPAY_CN"}`. A `PENDING` payment (a wallet left
//! pending) is settled by the same call.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use cashier_protocol::{ResultCode, WireResult};
use serde::Deserialize;

use crate::error::ApiError;
use crate::merchant_cache::MerchantCache;
use crate::payments;
use crate::store::{ClientId, PaymentId, PaymentRequestId, Store};

/// What `POST /sandbox/simulate/pay` uses.
#[derive(Clone)]
pub struct SandboxState {
    pub payments: Arc<payments::Ports>,
    /// Finds the payment by id or request id.
    pub store: Arc<dyn Store>,
    /// The payment's merchant, read as the API reads it (trusted for
    /// [`TTL_MS`](crate::merchant_cache::TTL_MS)): a simulation stands in
    /// for the buyer's payment, once per test payment, and needs the
    /// merchant only for its default notify URL.
    pub merchant_cache: Arc<MerchantCache>,
    /// `--sandbox-simulation`: off, the route answers 404.
    pub enabled: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulateRequest {
    pub client_id: Option<String>,
    pub payment_request_id: Option<String>,
    pub payment_id: Option<String>,
    pub outcome: Option<String>,
    pub result_code: Option<String>,
    pub payment_method_type: Option<String>,
}

pub async fn simulate_pay(
    State(svc): State<Arc<SandboxState>>,
    body: Result<Json<SimulateRequest>, axum::extract::rejection::JsonRejection>,
) -> Response {
    if !svc.enabled {
        return (StatusCode::NOT_FOUND, Json(serde_json::json!({"result": WireResult::new(ResultCode::INVALID_API, "sandbox simulation is disabled on this gateway.")}))).into_response();
    }
    let outcome = match body {
        Ok(Json(req)) => run(&svc, req).await,
        Err(e) => Err(ApiError::param(format!("invalid JSON body: {e}"))),
    };
    match outcome {
        Ok(p) => Json(serde_json::json!({
            "result": WireResult::success(),
            "paymentId": p.payment_id,
            "paymentRequestId": p.payment_request_id,
            "paymentStatus": p.status.as_str(),
            "paymentResultCode": p.result_code,
        }))
        .into_response(),
        Err(e) => Json(serde_json::json!({ "result": e.to_result() })).into_response(),
    }
}

async fn run(svc: &SandboxState, req: SimulateRequest) -> Result<crate::store::Payment, ApiError> {
    let payment = match (&req.payment_id, &req.payment_request_id, &req.client_id) {
        (Some(id), _, client) => svc
            .store
            .payment(&PaymentId::from(id))
            .await?
            .filter(|p| client.as_ref().is_none_or(|c| *c == p.client_id)),
        (None, Some(rid), Some(client)) => {
            svc.store
                .payment_by_request_id(&ClientId::from(client), &PaymentRequestId::from(rid))
                .await?
        }
        _ => {
            return Err(ApiError::param(
                "give paymentId, or clientId and paymentRequestId.",
            ))
        }
    }
    .ok_or_else(|| ApiError::of(ResultCode::ORDER_NOT_EXIST))?;
    let success = match req.outcome.as_deref().unwrap_or("SUCCESS") {
        "SUCCESS" => true,
        "FAIL" => false,
        other => {
            return Err(ApiError::param(format!(
                "outcome must be SUCCESS or FAIL, not {other:?}."
            )))
        }
    };
    let code = match &req.result_code {
        None => None,
        Some(c) => Some(
            ResultCode::parse(c)
                .filter(|c| *c != ResultCode::SUCCESS)
                .ok_or_else(|| ApiError::param(format!("unknown failure resultCode {c:?}.")))?,
        ),
    };
    let method = req.payment_method_type.as_deref().unwrap_or("ALIPAY_CN");
    let merchant = svc
        .merchant_cache
        .merchant(
            svc.store.as_ref(),
            &payment.client_id,
            svc.payments.clocks.now_ts(),
        )
        .await?
        .ok_or_else(|| ApiError::of(ResultCode::ORDER_NOT_EXIST))?;
    Ok(payments::simulate(&svc.payments, &merchant, payment, success, code, method).await?)
}
