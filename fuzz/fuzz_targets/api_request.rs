//! Request bodies of every API operation, through the same steps as the
//! gateway: `parse_json` into the wire type, then the operation's
//! `validate_*` (docs/protocol.md §3, §4). The first byte picks the operation,
//! the rest is the body. Properties:
//! - a rejection carries an `F` result with a message within the protocol's
//!   256 characters;
//! - the wire type is a fixed point of serialise → parse, and validating the
//!   re-serialised request gives the same outcome, so a merchant SDK that
//!   round-trips a request cannot change its meaning (nor the idempotency
//!   fingerprint of a session or refund).
#![no_main]

use cashier_gateway::api::fetch_report;
use cashier_protocol::result::{ResultStatus, MAX_RESULT_MESSAGE};
use cashier_protocol::time::parse_datetime;
use cashier_protocol::validate::{
    parse_json, validate_cancel, validate_create_session, validate_inquiry,
    validate_inquiry_refund, validate_refund,
};
use cashier_protocol::wire::{
    CancelRequest, CreatePaymentSessionRequest, InquiryPaymentRequest, InquiryRefundRequest,
    RefundRequest,
};
use cashier_protocol::Rejection;
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::fmt::Debug;

fn check_rejection(r: &Rejection) {
    let result = r.to_wire_result();
    assert_eq!(result.result_status, ResultStatus::F, "{r:?}");
    let message = result.result_message.unwrap_or_default();
    assert!(message.chars().count() <= MAX_RESULT_MESSAGE, "{r:?}");
}

/// Parses, validates, and checks that a serialise → parse round trip changes
/// neither the request nor its validation.
fn run<T, V>(body: &[u8], validate: impl Fn(&T) -> Result<V, Rejection>)
where
    T: DeserializeOwned + Serialize + PartialEq + Debug,
    V: PartialEq + Debug,
{
    let request: T = match parse_json(body) {
        Ok(r) => r,
        Err(rejection) => return check_rejection(&rejection),
    };
    let outcome = validate(&request);
    if let Err(e) = &outcome {
        check_rejection(e);
    }
    let text = serde_json::to_vec(&request).expect("wire requests serialise");
    let again: T = parse_json(&text).unwrap_or_else(|e| {
        panic!(
            "re-serialised request does not parse: {e:?}\n{}",
            String::from_utf8_lossy(&text)
        )
    });
    assert_eq!(again, request, "round trip changed the request");
    assert_eq!(
        validate(&again),
        outcome,
        "round trip changed the validation"
    );
}

fuzz_target!(|data: &[u8]| {
    let Some((&op, body)) = data.split_first() else {
        return;
    };
    let now = parse_datetime("2025-01-01T12:00:00+08:00").expect("fixed time parses");
    match op % 6 {
        0 => run::<CreatePaymentSessionRequest, _>(body, |r| {
            validate_create_session(r, now).map(|v| v.fingerprint())
        }),
        1 => run::<InquiryPaymentRequest, _>(body, validate_inquiry),
        2 => run::<CancelRequest, _>(body, validate_cancel),
        3 => run::<RefundRequest, _>(body, |r| validate_refund(r).map(|v| v.fingerprint())),
        4 => run::<InquiryRefundRequest, _>(body, validate_inquiry_refund),
        _ => {
            // fetchReport reads a plain JSON object.
            if let Ok(request) = parse_json::<Value>(body) {
                let _ = fetch_report::validate(&request);
            }
        }
    }
});
