//! Keys in every format merchants are handed: private keys as base64 DER or
//! PEM in PKCS#8 or PKCS#1, gateway keys as SPKI or PKCS#1, base64 or PEM —
//! each used for a real signed call whose answer is verified.

use crate::common::{b64, pem, Gateway};
use cashier_client::{Client, ClientConfig, Error, InquiryPayment, ResultCode};

/// The PKCS#1 `RSAPublicKey` inside an RSA-2048 SPKI (after the 24-byte
/// SPKI header).
fn pkcs1_public(spki: &[u8]) -> &[u8] {
    assert_eq!(spki.len(), 294, "an RSA-2048 SPKI");
    &spki[24..]
}

#[tokio::test]
async fn every_key_format_signs_and_verifies() {
    let gw = Gateway::start().await;
    let pkcs8 = gw.merchant_key.to_pkcs8_der();
    let pkcs1 = gw.merchant_key.to_pkcs1_der();
    let spki = gw.gateway_public_key.to_spki_der();
    let private_forms = [
        ("PKCS#8 base64", b64(&pkcs8)),
        ("PKCS#8 PEM", pem("PRIVATE KEY", &pkcs8)),
        ("PKCS#1 base64", b64(&pkcs1)),
        ("PKCS#1 PEM", pem("RSA PRIVATE KEY", &pkcs1)),
        // Line-wrapped base64 without armour, as copied from a terminal.
        ("PKCS#8 wrapped base64", {
            let p = pem("PRIVATE KEY", &pkcs8);
            p.lines()
                .filter(|l| !l.starts_with("-----"))
                .collect::<Vec<_>>()
                .join("\n")
        }),
    ];
    let public_forms = [
        ("SPKI base64", b64(&spki)),
        ("SPKI PEM", pem("PUBLIC KEY", &spki)),
        ("PKCS#1 PEM", pem("RSA PUBLIC KEY", pkcs1_public(&spki))),
        ("PKCS#1 base64", b64(pkcs1_public(&spki))),
    ];
    for (private_name, private_text) in &private_forms {
        for (public_name, public_text) in &public_forms {
            let config = ClientConfig::new(&gw.base_url, &gw.client_id, private_text, public_text)
                .unwrap_or_else(|e| panic!("{private_name} + {public_name}: {e}"));
            let client = Client::new(config).unwrap();
            // ORDER_NOT_EXIST proves the gateway accepted our signature (else
            // INVALID_SIGNATURE) and that we verified its answer (else
            // BadSignature).
            let err = client
                .send(&InquiryPayment::by_request_id("PAY-KEYS"))
                .await
                .unwrap_err();
            assert_eq!(
                err.code(),
                Some(ResultCode::ORDER_NOT_EXIST),
                "{private_name} + {public_name}: {err}"
            );
        }
    }
}

#[test]
fn unusable_keys_are_refused_up_front() {
    let good = b64(&cashier_client::PrivateKey::generate()
        .unwrap()
        .public_key()
        .to_spki_der());
    let private = b64(&cashier_client::PrivateKey::generate()
        .unwrap()
        .to_pkcs8_der());
    for (private_text, public_text) in [
        ("not base64 at all!", good.as_str()),
        ("bm90IGEga2V5", good.as_str()),
        (private.as_str(), "bm90IGEga2V5"),
        // A public key where the private key belongs.
        (good.as_str(), good.as_str()),
    ] {
        let err = ClientConfig::new("http://127.0.0.1:1", "SANDBOX_X", private_text, public_text)
            .unwrap_err();
        assert!(matches!(err, Error::Key(_)), "{err:?}");
    }
}
