//! Sandbox clocks (issue #16): `advanceClock` and `inquiryClock` under
//! `/ams/{sandbox/}api/v1/testing/`. Not Antom APIs: Cashier's own, signed
//! and answered like every other so any official SDK can call them as a
//! custom request.
//!
//! A merchant's clock starts at real time and only moves forward: its
//! offset (`merchants.clock_offset_ms`) grows by one conditional `UPDATE`.
//! Before `advanceClock` answers, everything that became due on the new
//! clock is decided ([`crate::workers::catch_up`]): expired sessions are
//! closed, asynchronous payments and refunds settled, closed days' reports
//! generated, and the dispatcher woken for the notifications that are now
//! due. Without `--sandbox-clocks` both APIs answer `ACCESS_DENIED` and
//! change nothing.

use crate::clock::format_timestamp;
use crate::store::Timestamp;
use cashier_protocol::validate::{parse_json, validate_advance_clock, MAX_ADVANCE_SECONDS};
use cashier_protocol::wire::{AdvanceClockRequest, ClockResponse, InquiryClockRequest};
use cashier_protocol::ResultCode;

use super::ApiState;
use super::{success_body, success_result, Answer, Authenticated};
use crate::error::ApiError;
use crate::merchant_cache::MerchantCache;
use crate::store::{ClientId, Store};
use crate::workers::Workers;

fn require_clocks(svc: &ApiState) -> Result<(), ApiError> {
    if svc.settings.sandbox_clocks {
        Ok(())
    } else {
        Err(ApiError::new(
            ResultCode::ACCESS_DENIED,
            "sandbox clocks are off on this gateway: start it with --sandbox-clocks (CASHIER_SANDBOX_CLOCKS=true) to move a merchant's clock.",
        ))
    }
}

fn answer(clock_time: Timestamp) -> Answer {
    success_body(&ClockResponse {
        result: success_result(),
        clock_time: Some(format_timestamp(clock_time)),
    })
}

#[tracing::instrument(skip_all, fields(client_id = %auth.merchant.client_id))]
pub async fn advance(svc: &ApiState, auth: &Authenticated) -> Result<Answer, ApiError> {
    require_clocks(svc)?;
    let request: AdvanceClockRequest = parse_json(&auth.body)?;
    let seconds = validate_advance_clock(&request)?;
    let client_id = &auth.merchant.client_id;
    let merchant = advance_merchant_clock(
        svc.store.as_ref(),
        &svc.merchant_cache,
        &svc.workers,
        client_id,
        seconds,
    )
    .await?;
    tracing::info!(
        seconds,
        offset_ms = merchant.clock_offset_ms,
        "sandbox clock advanced"
    );
    Ok(answer(svc.clocks.merchant_now(&merchant)))
}

/// Moves `client_id`'s clock `seconds` forward and decides everything that
/// became due; returns the merchant as it now is. Shared with the
/// dashboard.
pub async fn advance_merchant_clock(
    store: &dyn Store,
    merchant_cache: &MerchantCache,
    workers: &Workers,
    client_id: &ClientId,
    seconds: i64,
) -> Result<crate::store::Merchant, ApiError> {
    debug_assert!((1..=MAX_ADVANCE_SECONDS).contains(&seconds));
    let offset = store
        .advance_clock(client_id, seconds * 1000)
        .await?
        .ok_or_else(|| {
            ApiError::param(format!(
                "the clock cannot be moved {seconds} seconds further: a merchant's clock stays within {} days of real time.",
                crate::store::MAX_CLOCK_OFFSET_MS / 86_400_000
            ))
        })?;
    merchant_cache.forget(client_id);
    let mut merchant = store
        .merchant(client_id)
        .await?
        .ok_or_else(|| ApiError::of(ResultCode::INVALID_CLIENT))?;
    // What another advance may have added since ours is theirs to report.
    merchant.clock_offset_ms = merchant.clock_offset_ms.max(offset);
    crate::workers::catch_up(workers, &merchant).await?;
    Ok(merchant)
}

#[tracing::instrument(skip_all, fields(client_id = %auth.merchant.client_id))]
pub async fn inquiry(svc: &ApiState, auth: &Authenticated) -> Result<Answer, ApiError> {
    require_clocks(svc)?;
    // Any JSON object; its fields are not used.
    let _: InquiryClockRequest = parse_json(&auth.body)?;
    let merchant = svc
        .store
        .merchant(&auth.merchant.client_id)
        .await?
        .ok_or_else(|| ApiError::of(ResultCode::INVALID_CLIENT))?;
    Ok(answer(svc.clocks.merchant_now(&merchant)))
}
