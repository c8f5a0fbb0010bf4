//! Antom request/response/notification signatures (docs/protocol.md §2).
//!
//! The signed content is `POST <path>\n<client-id>.<time>.<body>`, signed with
//! RSASSA-PKCS1-v1_5 over SHA-256 (`algorithm=RSA256`). The signature travels
//! base64-encoded and then URL-encoded in a header of the form
//! `algorithm=RSA256,keyVersion=1,signature=<...>`.
//!
//! RSA is done by `aws-lc-rs` (constant-time, and the fastest vetted option on
//! our machines); this module only adds key-format handling and the header
//! grammar. The RustCrypto `rsa` crate is deliberately not used (timing
//! advisory).

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256};
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Base64 that accepts input with or without padding (docs/protocol.md §2.4 step 4).
const LENIENT_B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Characters that stay literal when URL-encoding a base64 signature: the
/// unreserved set of `application/x-www-form-urlencoded`. `+`, `/` and `=` are
/// encoded, as every official SDK does.
const FORM_ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'*');

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("the key is not valid base64 or PEM")]
    Encoding,
    #[error("the key is not an RSA key in a supported format (SPKI, PKCS#1, PKCS#8)")]
    Format,
    #[error("RSA keys must be 2048 to 8192 bits")]
    Size,
    #[error("key generation failed")]
    Generation,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("signature header is missing the {0} part")]
    MissingPart(&'static str),
    #[error("unsupported signature algorithm {0:?}; only RSA256 is accepted")]
    UnsupportedAlgorithm(String),
    #[error("keyVersion must be a positive integer")]
    BadKeyVersion,
    #[error("signature is not valid base64")]
    BadEncoding,
    #[error("the {0} part appears more than once")]
    RepeatedPart(&'static str),
    #[error("signature does not verify")]
    Mismatch,
    #[error("signing failed")]
    Signing,
}

/// Builds the exact bytes that are signed (docs/protocol.md §2.2).
pub fn content_to_sign(
    method: &str,
    path: &str,
    client_id: &str,
    time: &str,
    body: &[u8],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(
        method.len() + path.len() + client_id.len() + time.len() + body.len() + 4,
    );
    out.extend_from_slice(method.as_bytes());
    out.push(b' ');
    out.extend_from_slice(path.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(client_id.as_bytes());
    out.push(b'.');
    out.extend_from_slice(time.as_bytes());
    out.push(b'.');
    out.extend_from_slice(body);
    out
}

/// Strips PEM armour if present, then base64-decodes (line breaks tolerated).
fn decode_key_text(text: &str) -> Result<Vec<u8>, KeyError> {
    let trimmed = text.trim();
    if trimmed.starts_with("-----BEGIN") {
        return pem::parse(trimmed)
            .map(|p| p.into_contents())
            .map_err(|_| KeyError::Encoding);
    }
    let compact: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
    LENIENT_B64.decode(compact).map_err(|_| KeyError::Encoding)
}

/// A private RSA key used to sign (the gateway key, or a merchant key in the SDK).
pub struct PrivateKey {
    pair: KeyPair,
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        f.write_str("PrivateKey(<redacted>)")
    }
}

impl PrivateKey {
    /// Generates a fresh RSA-2048 key.
    pub fn generate() -> Result<PrivateKey, KeyError> {
        let pair = KeyPair::generate(KeySize::Rsa2048).map_err(|_| KeyError::Generation)?;
        Ok(PrivateKey { pair })
    }

    /// Parses PKCS#8 or PKCS#1 DER.
    pub fn from_der(der: &[u8]) -> Result<PrivateKey, KeyError> {
        let pair = KeyPair::from_pkcs8(der)
            .or_else(|_| KeyPair::from_der(der))
            .map_err(|_| KeyError::Format)?;
        if pair.public_modulus_len() * 8 < 2048 {
            return Err(KeyError::Size);
        }
        Ok(PrivateKey { pair })
    }

    /// Parses base64 DER (PKCS#8 as the Java/Go/.NET SDKs take, or PKCS#1 as
    /// Python/PHP take) or PEM of either.
    pub fn from_text(text: &str) -> Result<PrivateKey, KeyError> {
        PrivateKey::from_der(&decode_key_text(text)?)
    }

    /// PKCS#8 DER of the key.
    pub fn to_pkcs8_der(&self) -> Vec<u8> {
        self.pair
            .as_der()
            .map(|d| d.as_ref().to_vec())
            .expect("an RSA key pair always serialises to PKCS#8")
    }

    /// PKCS#1 `RSAPrivateKey` DER of the key (what the Python and PHP SDKs load).
    pub fn to_pkcs1_der(&self) -> Vec<u8> {
        let pkcs8 = self.to_pkcs8_der();
        let info = pkcs8::PrivateKeyInfo::try_from(pkcs8.as_slice())
            .expect("aws-lc-rs emits well-formed PKCS#8");
        info.private_key.to_vec()
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        use aws_lc_rs::signature::KeyPair as _;
        let spki = self
            .pair
            .public_key()
            .as_der()
            .expect("an RSA public key always serialises to SPKI");
        PublicKey::from_der(spki.as_ref()).expect("our own public key parses")
    }

    /// Signs `content` and returns the standard base64 signature.
    pub fn sign_base64(&self, content: &[u8]) -> Result<String, SignatureError> {
        let rng = SystemRandom::new();
        let mut sig = vec![0u8; self.pair.public_modulus_len()];
        self.pair
            .sign(&RSA_PKCS1_SHA256, &rng, content, &mut sig)
            .map_err(|_| SignatureError::Signing)?;
        Ok(STANDARD.encode(sig))
    }
}

/// A parsed RSA public key, ready to verify many signatures.
#[derive(Debug)]
pub struct PublicKey {
    parsed: ParsedPublicKey,
}

impl PublicKey {
    /// Parses SPKI or PKCS#1 `RSAPublicKey` DER. PKCS#1 input is wrapped
    /// into SPKI first, so [`PublicKey::to_spki_der`] is always SPKI. Keys
    /// outside 2048 to 8192 bits are refused here ([`KeyError::Size`]):
    /// verification refuses them anyway, so a key that parsed but could
    /// never verify a signature would only look usable.
    pub fn from_der(der: &[u8]) -> Result<PublicKey, KeyError> {
        use pkcs8::der::asn1::{AnyRef, BitStringRef};
        use pkcs8::der::Encode;
        use pkcs8::spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};

        let spki = if SubjectPublicKeyInfoRef::try_from(der).is_ok() {
            der.to_vec()
        } else {
            const RSA_ENCRYPTION: pkcs8::ObjectIdentifier =
                pkcs8::ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
            SubjectPublicKeyInfoRef {
                algorithm: AlgorithmIdentifierRef {
                    oid: RSA_ENCRYPTION,
                    parameters: Some(AnyRef::NULL),
                },
                subject_public_key: BitStringRef::from_bytes(der).map_err(|_| KeyError::Format)?,
            }
            .to_der()
            .map_err(|_| KeyError::Format)?
        };
        let parsed = ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &spki)
            .map_err(|_| KeyError::Format)?;
        // The parse above does not look at the size; aws-lc's own RSA key
        // check does (2048..=8192 bits, as the verification above needs).
        aws_lc_rs::rsa::PublicEncryptingKey::from_der(&spki).map_err(|e| {
            match e.description_() {
                "TooSmall" | "TooLarge" => KeyError::Size,
                _ => KeyError::Format,
            }
        })?;
        Ok(PublicKey { parsed })
    }

    /// Parses base64 SPKI DER (the Antom/gateway public key format), or PEM
    /// (`PUBLIC KEY` or `RSA PUBLIC KEY`).
    pub fn from_text(text: &str) -> Result<PublicKey, KeyError> {
        PublicKey::from_der(&decode_key_text(text)?)
    }

    /// Canonical SubjectPublicKeyInfo DER.
    pub fn to_spki_der(&self) -> Vec<u8> {
        self.parsed.as_ref().to_vec()
    }

    /// Base64 of the SPKI DER, without PEM markers: what the official SDKs take
    /// as the "Antom public key".
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.to_spki_der())
    }

    /// Verifies a raw signature over `content`.
    pub fn verify(&self, content: &[u8], signature: &[u8]) -> Result<(), SignatureError> {
        self.parsed
            .verify_sig(content, signature)
            .map_err(|_| SignatureError::Mismatch)
    }
}

/// The parsed `Signature` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHeader {
    pub key_version: u32,
    /// Raw signature bytes (percent- and base64-decoded).
    pub signature: Vec<u8>,
}

impl SignatureHeader {
    /// Parses `algorithm=RSA256,keyVersion=1,signature=...` following
    /// docs/protocol.md §2.4: parts split on `,` and trimmed, each split on its first
    /// `=`, keys case-insensitive; the signature is percent-decoded (hex digits
    /// in either case, `+` kept as `+`) and then base64-decoded with or without
    /// padding. A missing `keyVersion` defaults to 1 as in every SDK; a missing
    /// `algorithm` is taken as RSA256. A part named twice is refused: a proxy
    /// or limiter reading the other copy would see another key than Cashier.
    pub fn parse(header: &str) -> Result<SignatureHeader, SignatureError> {
        let mut algorithm = None;
        let mut key_version = None;
        let mut signature = None;
        for part in header.split(',') {
            let part = part.trim();
            let Some((key, value)) = part.split_once('=') else {
                continue;
            };
            let key = key.trim();
            let value = value.trim();
            let (slot, name) = if key.eq_ignore_ascii_case("algorithm") {
                (&mut algorithm, "algorithm")
            } else if key.eq_ignore_ascii_case("keyVersion") {
                (&mut key_version, "keyVersion")
            } else if key.eq_ignore_ascii_case("signature") {
                (&mut signature, "signature")
            } else {
                continue;
            };
            if slot.replace(value).is_some() {
                return Err(SignatureError::RepeatedPart(name));
            }
        }
        if let Some(alg) = algorithm {
            if alg != "RSA256" {
                return Err(SignatureError::UnsupportedAlgorithm(alg.to_string()));
            }
        }
        let key_version = match key_version {
            None => 1,
            Some(v) => v
                .parse::<u32>()
                .ok()
                .filter(|v| *v > 0)
                .ok_or(SignatureError::BadKeyVersion)?,
        };
        let encoded = signature
            .filter(|s| !s.is_empty())
            .ok_or(SignatureError::MissingPart("signature"))?;
        let base64 = percent_decode_str(encoded)
            .decode_utf8()
            .map_err(|_| SignatureError::BadEncoding)?;
        let signature = LENIENT_B64
            .decode(base64.as_bytes())
            .map_err(|_| SignatureError::BadEncoding)?;
        Ok(SignatureHeader {
            key_version,
            signature,
        })
    }
}

/// Formats the header value for a base64 signature.
pub fn signature_header(key_version: u32, signature_base64: &str) -> String {
    format!(
        "algorithm=RSA256,keyVersion={key_version},signature={}",
        utf8_percent_encode(signature_base64, FORM_ENCODE)
    )
}

/// Signs `POST <path>\n<client_id>.<time>.<body>` and returns the full header value.
pub fn sign_message(
    key: &PrivateKey,
    key_version: u32,
    path: &str,
    client_id: &str,
    time: &str,
    body: &[u8],
) -> Result<String, SignatureError> {
    let content = content_to_sign("POST", path, client_id, time, body);
    Ok(signature_header(key_version, &key.sign_base64(&content)?))
}

/// Verifies a full signature header value against `POST <path>\n<client_id>.<time>.<body>`.
pub fn verify_message(
    key: &PublicKey,
    header: &str,
    path: &str,
    client_id: &str,
    time: &str,
    body: &[u8],
) -> Result<(), SignatureError> {
    let parsed = SignatureHeader::parse(header)?;
    let content = content_to_sign("POST", path, client_id, time, body);
    key.verify(&content, &parsed.signature)
}

#[cfg(test)]
mod tests {
    use super::*;

    // docs/protocol.md Appendix A.
    const VECTOR_PKCS8_PEM: &str = include_str!("../testdata/appendix_a_private_pkcs8.pem");
    const VECTOR_PKCS1_B64: &str = include_str!("../testdata/appendix_a_private_pkcs1.b64");
    const VECTOR_PUBLIC_B64: &str = include_str!("../testdata/appendix_a_public_spki.b64");
    const REQUEST_PATH: &str = "/ams/sandbox/api/v1/payments/inquiryPayment";
    const CLIENT_ID: &str = "SANDBOX_5YEZ0000000000000";
    const REQUEST_BODY: &str = r#"{"paymentRequestId":"REQ_20250101_0001"}"#;
    const REQUEST_HEADER: &str = "algorithm=RSA256,keyVersion=1,signature=m7mZOkYuSijQ2HPuP8PpGKMOQve5zp%2Bxx8uuplXM%2F1aiqJiSDMfD6WvqqYCaC%2Bp2%2BHqDd9xqbpMNQ4YoGJ1h43Klv%2BeQGQbfOcjNWVql7Wjq2Hun6I%2FKRFaPMRebXiQ8xnQSEgciS9KDPTr6tCsC4i1qmQCGdr%2BfsRA%2F7x73mZfdazrnJziOgbIo6cKPl4Xfglhb8psT7nqKK%2BuOWVpXWm%2B3Hm3OQbRiAOYPcBPnEDhxADUFQ6Jm2lRk82Z4XTBwSYZJw%2F7HpAFOYol7wtBZAsnQit%2BzQecDYbHtNODQZLSSyqjkBrHFaj85732IE7LXuW46IkdTKMZY%2FaCOxazebw%3D%3D";
    const RESPONSE_BODY: &str = r#"{"result":{"resultCode":"ORDER_NOT_EXIST","resultStatus":"F","resultMessage":"order does not exist."}}"#;
    const RESPONSE_TIME: &str = "2025-01-01T08:00:00+08:00";
    const RESPONSE_HEADER: &str = "algorithm=RSA256,keyVersion=1,signature=SI8jfHnkSExhdY6DokRUQzcUUDe2OnvdThtkZO5ibAH1VQt41LwJx4hxe5kvh4QTJSd1mP%2FOILvNrpVCQqngaAPr1IMFAVzvO4LxuKQr3knPMhJS38vbtb7rt%2BX%2BL6NdL4r%2Fdb24Gkwtdmd1J%2B5NIK5YAJSanE%2FawwhsgnM%2FM6%2BtiNI6QbEF8pcLA30pK61S3quF4ququ9MzPjvSFXcbeHQJu5mkmZwdva0ddFPtPsHbJerNHJZnHdS6m65OmudiDDkv1WXUQZ%2F9ZluH%2FZ3HqIJnpgRx21dbhm7xz9hkASnBPSon3yy%2B%2Fnps5LHjrfTDLmp7IzEDiXzsMLFQeeDeQQ%3D%3D";

    #[test]
    fn appendix_a_request_signature_is_reproduced_exactly() {
        let key = PrivateKey::from_text(VECTOR_PKCS8_PEM).unwrap();
        let header = sign_message(
            &key,
            1,
            REQUEST_PATH,
            CLIENT_ID,
            "1735689600000",
            REQUEST_BODY.as_bytes(),
        )
        .unwrap();
        assert_eq!(header, REQUEST_HEADER);
    }

    #[test]
    fn appendix_a_response_signature_is_reproduced_exactly() {
        let key = PrivateKey::from_text(VECTOR_PKCS1_B64).unwrap();
        let header = sign_message(
            &key,
            1,
            REQUEST_PATH,
            CLIENT_ID,
            RESPONSE_TIME,
            RESPONSE_BODY.as_bytes(),
        )
        .unwrap();
        assert_eq!(header, RESPONSE_HEADER);
    }

    #[test]
    fn appendix_a_signatures_verify_with_the_public_key() {
        let public = PublicKey::from_text(VECTOR_PUBLIC_B64).unwrap();
        verify_message(
            &public,
            REQUEST_HEADER,
            REQUEST_PATH,
            CLIENT_ID,
            "1735689600000",
            REQUEST_BODY.as_bytes(),
        )
        .unwrap();
        verify_message(
            &public,
            RESPONSE_HEADER,
            REQUEST_PATH,
            CLIENT_ID,
            RESPONSE_TIME,
            RESPONSE_BODY.as_bytes(),
        )
        .unwrap();
        // Any change to path, client, time or body breaks it.
        for (path, client, time, body) in [
            (
                "/ams/api/v1/payments/inquiryPayment",
                CLIENT_ID,
                "1735689600000",
                REQUEST_BODY,
            ),
            (
                REQUEST_PATH,
                "SANDBOX_5YEZ0000000000001",
                "1735689600000",
                REQUEST_BODY,
            ),
            (REQUEST_PATH, CLIENT_ID, "1735689600001", REQUEST_BODY),
            (
                REQUEST_PATH,
                CLIENT_ID,
                "1735689600000",
                r#"{"paymentRequestId":"REQ_20250101_0002"}"#,
            ),
        ] {
            assert_eq!(
                verify_message(&public, REQUEST_HEADER, path, client, time, body.as_bytes()),
                Err(SignatureError::Mismatch)
            );
        }
    }

    #[test]
    fn pkcs8_and_pkcs1_forms_are_the_same_key() {
        let a = PrivateKey::from_text(VECTOR_PKCS8_PEM).unwrap();
        let b = PrivateKey::from_text(VECTOR_PKCS1_B64).unwrap();
        assert_eq!(a.public_key().to_base64(), b.public_key().to_base64());
        assert_eq!(
            a.public_key().to_base64(),
            VECTOR_PUBLIC_B64.split_whitespace().collect::<String>()
        );
        // Round trip of the exports.
        let pkcs1 = a.to_pkcs1_der();
        assert_eq!(
            PrivateKey::from_der(&pkcs1).unwrap().to_pkcs8_der(),
            a.to_pkcs8_der()
        );
        let pkcs1_b64 = VECTOR_PKCS1_B64.split_whitespace().collect::<String>();
        assert_eq!(STANDARD.encode(pkcs1), pkcs1_b64);
    }

    #[test]
    fn public_keys_load_from_pem_and_pkcs1() {
        let b64 = VECTOR_PUBLIC_B64.split_whitespace().collect::<String>();
        let pem = format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
            b64
        );
        assert_eq!(PublicKey::from_text(&pem).unwrap().to_base64(), b64);
        let key = PrivateKey::from_text(VECTOR_PKCS8_PEM).unwrap();
        // PKCS#1 RSAPublicKey is the BIT STRING content inside SPKI; aws-lc-rs reads both.
        let spki = key.public_key().to_spki_der();
        let pkcs1 = &spki[24..];
        assert_eq!(PublicKey::from_der(pkcs1).unwrap().to_base64(), b64);
        assert!(matches!(
            PublicKey::from_text("not a key!"),
            Err(KeyError::Encoding)
        ));
        assert!(matches!(
            PublicKey::from_text("bm90IGEga2V5"),
            Err(KeyError::Format)
        ));
    }

    /// A 1024-bit RSA public key (SPKI, base64), made with
    /// `openssl genrsa 1024`: too small for RSA-SHA256 here.
    const RSA_1024_SPKI_B64: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwhxDhP9nkJ21ZeMqyXOU4QR6TgXFng9ku9Dn5LF4v0ZmLMks7rVdebR56N2QNS8lyjP9OO25wm3YB2JkRdU7AQ9ta47l4BwaHGWB0Y7ZIxHaJIUrsCuCwRRYQXrS6O48eA1kAx10kglyvFQCVqPAKq34dyr5sjn0f5blgXjJY/wIDAQAB";

    #[test]
    fn keys_that_could_never_verify_are_refused_when_parsed() {
        assert_eq!(
            PublicKey::from_text(RSA_1024_SPKI_B64).unwrap_err(),
            KeyError::Size
        );
        let pkcs1 = "-----BEGIN RSA PUBLIC KEY-----
MIGJAoGBAPRoL3+mgrboqMYgbrySwBZqa3a1ZK/0qVZLlthYEnVqepthzsOEyvY5
uWr6oNWSmV+sNeRlGgM1/o0+wEznm/l+7bTl1c5cfotNLEhOutMJ7FP1ICkHzcd7
3b4Ev8oNxYxng9mZ56+R+jnFVZu2me8ICK8hsEupcLP19Rp8xNzXAgMBAAE=
-----END RSA PUBLIC KEY-----";
        assert_eq!(PublicKey::from_text(pkcs1).unwrap_err(), KeyError::Size);
        assert!(PublicKey::from_text(VECTOR_PUBLIC_B64).is_ok());
    }

    #[test]
    fn header_parsing_tolerates_sdk_variants() {
        let canonical = SignatureHeader::parse(REQUEST_HEADER).unwrap();
        // .NET lower-case hex.
        let lower = REQUEST_HEADER
            .replace("%2B", "%2b")
            .replace("%2F", "%2f")
            .replace("%3D", "%3d");
        assert_eq!(SignatureHeader::parse(&lower).unwrap(), canonical);
        // Documentation style with spaces, reordered, mixed-case keys.
        let sig = REQUEST_HEADER.split("signature=").nth(1).unwrap();
        let spaced = format!("signature={sig}, KEYVERSION=1, Algorithm=RSA256");
        assert_eq!(SignatureHeader::parse(&spaced).unwrap(), canonical);
        // Not URL-encoded at all: '+' must stay '+', missing padding is fine.
        let raw = percent_decode_str(sig)
            .decode_utf8()
            .unwrap()
            .trim_end_matches('=')
            .to_string();
        let unencoded = format!("algorithm=RSA256,keyVersion=1,signature={raw}");
        assert_eq!(SignatureHeader::parse(&unencoded).unwrap(), canonical);
        // keyVersion defaults to 1 and is read when present.
        assert_eq!(
            SignatureHeader::parse(&format!("signature={sig}"))
                .unwrap()
                .key_version,
            1
        );
        assert_eq!(
            SignatureHeader::parse(&format!("algorithm=RSA256,keyVersion=7,signature={sig}"))
                .unwrap()
                .key_version,
            7
        );
    }

    #[test]
    fn header_parsing_rejects_garbage() {
        assert_eq!(
            SignatureHeader::parse(""),
            Err(SignatureError::MissingPart("signature"))
        );
        assert_eq!(
            SignatureHeader::parse("algorithm=RSA256,keyVersion=1,signature="),
            Err(SignatureError::MissingPart("signature"))
        );
        assert_eq!(
            SignatureHeader::parse("algorithm=ECC224,keyVersion=1,signature=AAAA"),
            Err(SignatureError::UnsupportedAlgorithm("ECC224".into()))
        );
        assert_eq!(
            SignatureHeader::parse("algorithm=RSA256,keyVersion=x,signature=AAAA"),
            Err(SignatureError::BadKeyVersion)
        );
        assert_eq!(
            SignatureHeader::parse("algorithm=RSA256,keyVersion=0,signature=AAAA"),
            Err(SignatureError::BadKeyVersion)
        );
        assert_eq!(
            SignatureHeader::parse("algorithm=RSA256,keyVersion=1,signature=%%%"),
            Err(SignatureError::BadEncoding)
        );
        assert_eq!(
            SignatureHeader::parse("algorithm=RSA256,keyVersion=1,keyVersion=2,signature=AAAA"),
            Err(SignatureError::RepeatedPart("keyVersion"))
        );
        assert_eq!(
            SignatureHeader::parse("algorithm=RSA256,signature=AAAA,Signature=BBBB"),
            Err(SignatureError::RepeatedPart("signature"))
        );
    }

    #[test]
    fn generated_keys_sign_and_verify() {
        let key = PrivateKey::generate().unwrap();
        let header =
            sign_message(&key, 3, "/notify", "C1", "2025-01-01T00:00:00+08:00", b"{}").unwrap();
        assert!(header.starts_with("algorithm=RSA256,keyVersion=3,signature="));
        assert!(!header
            .split("signature=")
            .nth(1)
            .unwrap()
            .contains(['+', '/', '=']));
        verify_message(
            &key.public_key(),
            &header,
            "/notify",
            "C1",
            "2025-01-01T00:00:00+08:00",
            b"{}",
        )
        .unwrap();
        assert_eq!(format!("{key:?}"), "PrivateKey(<redacted>)");
    }
}
