//! Signs or verifies one message with `cashier-client`, for the interop
//! test against the official Python SDK (`tests/e2e/test_client_interop.py`).
//!
//! ```text
//! interop sign   KEY_FILE CLIENT_ID PATH TIME_MS          < body
//!     signs as Client::sign_request does (request-time = TIME_MS, the path
//!     sandbox-rewritten for SANDBOX_ client ids) and prints one JSON line:
//!     {"path": ..., "clientId": ..., "requestTime": ..., "signature": ...}
//! interop verify KEY_FILE CLIENT_ID PATH TIME SIGNATURE   < body
//!     verifies a full `signature` header value as a notification or
//!     response is verified; prints "verified" (exit 0) or the error (exit 1)
//! ```
//!
//! KEY_FILE holds a private key (sign) or public key (verify) in any
//! format the client accepts: base64 DER or PEM, PKCS#8/PKCS#1/SPKI.

use std::io::Read;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Context};
use cashier_client::{Client, ClientConfig, PrivateKey, PublicKey};

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("interop: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> anyhow::Result<ExitCode> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut body = Vec::new();
    std::io::stdin().read_to_end(&mut body)?;
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["sign", key_file, client_id, path, time_ms] => {
            let key = PrivateKey::from_text(&std::fs::read_to_string(key_file)?)
                .context("private key")?;
            let millis: i64 = time_ms.parse().context("TIME_MS must be epoch milliseconds")?;
            let at = chrono::DateTime::from_timestamp_millis(millis).context("TIME_MS")?;
            // The gateway key is irrelevant for signing; any key will do.
            let unused = key.public_key();
            let config = ClientConfig::from_keys("http://127.0.0.1:1", client_id, key, unused)
                .with_time_source(Arc::new(move || at));
            let signed = Client::new(config)?.sign_request(path, &body)?;
            println!(
                "{}",
                serde_json::json!({
                    "path": signed.path,
                    "clientId": signed.client_id,
                    "requestTime": signed.request_time,
                    "signature": signed.signature,
                })
            );
            Ok(ExitCode::SUCCESS)
        }
        ["verify", key_file, client_id, path, time, signature] => {
            let key = PublicKey::from_text(&std::fs::read_to_string(key_file)?)
                .context("public key")?;
            match cashier_client::verify_signature(&key, path, client_id, time, signature, &body) {
                Ok(()) => {
                    println!("verified");
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    println!("{e}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        _ => bail!("usage: interop sign KEY CLIENT_ID PATH TIME_MS | interop verify KEY CLIENT_ID PATH TIME SIGNATURE (body on stdin)"),
    }
}
