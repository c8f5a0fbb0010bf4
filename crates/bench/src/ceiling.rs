//! The cryptographic ceiling of this machine: RSA-2048 PKCS#1 v1.5 SHA-256
//! signatures made and verified per second on all cores, with the same
//! library and key handling the gateway uses (`cashier_protocol::signing`,
//! i.e. aws-lc-rs). An API call costs the gateway one verification (the
//! request) and one signature (the response), so no gateway on this machine
//! can answer more than `1 / (1/sign + 1/verify)` calls per second.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Result;
use base64::Engine as _;
use cashier_protocol::signing::{content_to_sign, PrivateKey};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Ceiling {
    pub threads: usize,
    pub seconds_each: f64,
    /// RSA-2048 signatures per second, all threads.
    pub sign_per_s: f64,
    /// RSA-2048 verifications per second, all threads.
    pub verify_per_s: f64,
    /// API calls per second if each cost exactly one verify + one sign and
    /// nothing else: `1 / (1/sign + 1/verify)`.
    pub api_calls_per_s: f64,
    /// The same for one core (what one gateway CPU-second can do at best).
    pub api_calls_per_core_s: f64,
}

fn per_second(threads: usize, dur: Duration, work: impl Fn() + Send + Sync) -> f64 {
    let count = AtomicU64::new(0);
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut n = 0u64;
                while start.elapsed() < dur {
                    work();
                    n += 1;
                }
                count.fetch_add(n, Ordering::Relaxed);
            });
        }
    });
    count.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}

/// Measures for `dur` per operation on `threads` threads (blocking; run it
/// off the async runtime).
pub fn measure(threads: usize, dur: Duration) -> Result<Ceiling> {
    let key = Arc::new(PrivateKey::generate()?);
    let public = key.public_key();
    // A typical createPaymentSession body size.
    let body = vec![b'x'; 900];
    let content = content_to_sign(
        "POST",
        "/ams/api/v1/payments/createPaymentSession",
        "SANDBOX_BENCH",
        "2026-01-01T00:00:00+08:00",
        &body,
    );
    let sig = base64::engine::general_purpose::STANDARD.decode(key.sign_base64(&content)?)?;
    let sign_per_s = per_second(threads, dur, || {
        key.sign_base64(&content).expect("signing works");
    });
    let verify_per_s = per_second(threads, dur, || {
        public.verify(&content, &sig).expect("verifies");
    });
    let api = 1.0 / (1.0 / sign_per_s + 1.0 / verify_per_s);
    Ok(Ceiling {
        threads,
        seconds_each: dur.as_secs_f64(),
        sign_per_s,
        verify_per_s,
        api_calls_per_s: api,
        api_calls_per_core_s: api / threads as f64,
    })
}
