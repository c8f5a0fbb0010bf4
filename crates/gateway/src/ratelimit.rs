//! Rate limits (README.md, "Rate limiting and notification safety"), on `governor`'s keyed GCRA limiters.
//!
//! - **Per client**: each verified `clientId` may make `rate_limit` API
//!   requests per second with a burst of `rate_limit_burst`. Excess requests
//!   get `REQUEST_TRAFFIC_EXCEED_LIMIT` (status `U`: retry later with the
//!   same request), signed like every answer, and change nothing. The check
//!   runs after signature verification, so nobody can spend a merchant's
//!   budget without its key.
//! - **Failed authentication**: each remote IP may send
//!   `auth_failure_limit` API requests per second that fail authentication
//!   (a bad signature, an unknown client id or key version, missing
//!   headers) and get the usual signed answer. Signing an answer costs an
//!   RSA signature (~0.4 ms of CPU), so past the limit the failures get an
//!   unsigned HTTP 429 instead. The address's requests are still verified,
//!   so a merchant that shares it with a forger keeps working.
//! - **Checkout-token guessing**: each remote IP may open `token_guess_limit`
//!   unknown checkout or wallet links per minute. Past that, every token
//!   lookup from the IP, known or not, gets a readable 429 page until the
//!   budget refills, so a guesser learns nothing from the throttled answers.
//!
//! Limits use the monotonic clock: they are about load, not business time.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::config::Config;

/// Keys kept before idle limiter state is dropped.
const MAX_TRACKED_KEYS: usize = 50_000;

pub struct RateLimits {
    clients: Option<DefaultKeyedRateLimiter<String>>,
    auth_failures: Option<DefaultKeyedRateLimiter<IpAddr>>,
    guesses: Option<DefaultKeyedRateLimiter<IpAddr>>,
    /// IPs whose guessing budget ran out, until when.
    blocked: Mutex<HashMap<IpAddr, Instant>>,
}

impl RateLimits {
    pub fn new(config: &Config) -> RateLimits {
        let clients = NonZeroU32::new(config.rate_limit).map(|rate| {
            let burst = NonZeroU32::new(config.rate_limit_burst).unwrap_or(rate);
            DefaultKeyedRateLimiter::keyed(Quota::per_second(rate).allow_burst(burst))
        });
        let guesses = NonZeroU32::new(config.token_guess_limit)
            .map(|n| DefaultKeyedRateLimiter::keyed(Quota::per_minute(n)));
        let auth_failures = NonZeroU32::new(config.auth_failure_limit)
            .map(|n| DefaultKeyedRateLimiter::keyed(Quota::per_second(n)));
        RateLimits {
            clients,
            auth_failures,
            guesses,
            blocked: Mutex::new(HashMap::new()),
        }
    }

    /// May this verified client make another API request now?
    pub fn allow_client(&self, client_id: &str) -> bool {
        let Some(limiter) = &self.clients else {
            return true;
        };
        let allowed = limiter.check_key(&client_id.to_string()).is_ok();
        if limiter.len() > MAX_TRACKED_KEYS {
            limiter.retain_recent();
        }
        allowed
    }

    /// Counts a request from `ip` that failed authentication: may it still
    /// get a signed answer?
    pub fn allow_auth_failure(&self, ip: IpAddr) -> bool {
        let Some(limiter) = &self.auth_failures else {
            return true;
        };
        let allowed = limiter.check_key(&ip).is_ok();
        if limiter.len() > MAX_TRACKED_KEYS {
            limiter.retain_recent();
        }
        allowed
    }

    /// Whether token guessing is limited at all (`--token-guess-limit` > 0).
    pub fn limits_token_guessing(&self) -> bool {
        self.guesses.is_some()
    }

    /// Whether `ip` spent its token-guessing budget and still waits.
    pub fn is_blocked(&self, ip: IpAddr) -> bool {
        let mut blocked = self.blocked.lock().expect("limiter map poisoned");
        match blocked.get(&ip) {
            Some(until) if *until > Instant::now() => true,
            Some(_) => {
                blocked.remove(&ip);
                false
            }
            None => false,
        }
    }

    /// Counts an unknown-token lookup; false (and the IP blocked for a
    /// while) once the IP's budget is spent.
    pub fn record_miss(&self, ip: IpAddr) -> bool {
        let Some(limiter) = &self.guesses else {
            return true;
        };
        let result = limiter.check_key(&ip);
        if limiter.len() > MAX_TRACKED_KEYS {
            limiter.retain_recent();
        }
        match result {
            Ok(_) => true,
            Err(not_until) => {
                let wait = not_until
                    .wait_time_from(DefaultClock::default().now())
                    .max(Duration::from_secs(1));
                let now = Instant::now();
                let mut blocked = self.blocked.lock().expect("limiter map poisoned");
                if blocked.len() > MAX_TRACKED_KEYS {
                    blocked.retain(|_, until| *until > now);
                }
                blocked.insert(ip, now + wait);
                false
            }
        }
    }
}
