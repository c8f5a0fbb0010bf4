//! A merchant's answer to a notification (docs/protocol.md §3.12): two bytes of
//! HTTP status, then the body. Properties: only a 2xx can acknowledge; the
//! decision does not depend on which 2xx; an acknowledgement is a JSON
//! object whose result is exactly `S`/`SUCCESS`.
#![no_main]

use cashier_protocol::wire::{is_acknowledgement, ACK_BODY};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let status = u16::from_be_bytes([data[0], data[1]]);
    let body = &data[2..];
    let acked = is_acknowledgement(status, body);
    if !(200..=299).contains(&status) {
        assert!(!acked, "status {status} acknowledged");
        return;
    }
    assert_eq!(acked, is_acknowledgement(200, body));
    assert_eq!(acked, is_acknowledgement(299, body));
    if acked {
        let v: Value = serde_json::from_slice(body).expect("an acknowledgement is JSON");
        assert_eq!(v["result"]["resultStatus"], "S");
        assert_eq!(v["result"]["resultCode"], "SUCCESS");
    }
    assert!(is_acknowledgement(status, ACK_BODY.as_bytes()));
});
