//! The `Signature` request header (docs/protocol.md §2.4), as the API reads it
//! before any key lookup. Property: a header that parses re-serialises, in
//! the gateway's own format, to a header that parses to the same value.
#![no_main]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use cashier_protocol::signing::{signature_header, SignatureHeader};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(parsed) = SignatureHeader::parse(text) else {
        return;
    };
    assert!(parsed.key_version > 0, "key version 0 accepted: {text:?}");
    assert!(
        !parsed.signature.is_empty(),
        "empty signature accepted: {text:?}"
    );
    let again = signature_header(parsed.key_version, &STANDARD.encode(&parsed.signature));
    assert!(again.is_ascii(), "header not ASCII: {again:?}");
    assert_eq!(
        SignatureHeader::parse(&again).as_ref(),
        Ok(&parsed),
        "{text:?} re-serialised as {again:?}"
    );
});
