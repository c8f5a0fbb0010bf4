//! Retrying the way docs/protocol.md §5.1 asks.
//!
//! Every API Cashier (and Antom) serves is idempotent on its request id:
//! `paymentRequestId` for createPaymentSession, `refundRequestId` for
//! refund; cancel and the inquiries are naturally repeatable. So when an
//! answer is `U` (`UNKNOWN_EXCEPTION`, `REQUEST_TRAFFIC_EXCEED_LIMIT`,
//! `REFUND_IN_PROCESS`, ...) or never arrives (timeout, connection reset),
//! the right move is to send **the same request again** — same request id,
//! same content — a bounded number of times with growing pauses, and then
//! to query (inquiryPayment / inquiryRefund) or try later. Never retry an
//! `F`: it is final, and the same request gets the same answer. Never
//! retry with a *new* request id: that could pay or refund twice.
//!
//! [`RetryPolicy::run`] implements exactly that around any call, and
//! [`crate::Client::send_with_retry`] around a typed request:
//!
//! ```no_run
//! # async fn demo(client: cashier_client::Client) -> Result<(), cashier_client::Error> {
//! use std::time::Duration;
//! use cashier_client::{Amount, Currency, RefundPayment, RetryPolicy};
//!
//! let sgd = Currency::from_code("SGD").unwrap();
//! let refund = RefundPayment::new("REFUND-1", "2025010112345", Amount::new(sgd, 1000));
//! let policy = RetryPolicy::default().max_attempts(4).initial_backoff(Duration::from_millis(500));
//! match client.send_with_retry(&refund, &policy).await {
//!     Ok(done) => println!("refunded as {}", done.refund_id),
//!     // Still U after every attempt: the refund is in process; query it later.
//!     Err(e) if e.is_retryable() => println!("not known yet: {e}"),
//!     Err(e) => println!("refused: {:?}", e.code()),
//! }
//! # Ok(()) }
//! ```

use std::future::Future;
use std::time::Duration;

use crate::Error;

/// How often and how patiently to repeat a retryable call.
///
/// Attempt `n` (from 1) waits `initial_backoff × multiplier^(n-2)`, capped
/// at `max_backoff`, before it starts; the first attempt starts at once.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    multiplier: u32,
}

impl Default for RetryPolicy {
    /// Three attempts, pausing 1 s and then 2 s (at most 10 s).
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(10),
            multiplier: 2,
        }
    }
}

impl RetryPolicy {
    /// Total number of attempts, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> RetryPolicy {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Pause before the second attempt.
    pub fn initial_backoff(mut self, backoff: Duration) -> RetryPolicy {
        self.initial_backoff = backoff;
        self
    }

    /// Longest pause between two attempts.
    pub fn max_backoff(mut self, backoff: Duration) -> RetryPolicy {
        self.max_backoff = backoff;
        self
    }

    /// Factor by which the pause grows after each attempt (at least 1).
    pub fn multiplier(mut self, multiplier: u32) -> RetryPolicy {
        self.multiplier = multiplier.max(1);
        self
    }

    /// The pause before attempt `attempt` (1-based; zero for the first).
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = cashier_client::RetryPolicy::default();
    /// assert_eq!(p.backoff(1), Duration::ZERO);
    /// assert_eq!(p.backoff(2), Duration::from_secs(1));
    /// assert_eq!(p.backoff(3), Duration::from_secs(2));
    /// assert_eq!(p.backoff(30), Duration::from_secs(10));
    /// ```
    pub fn backoff(&self, attempt: u32) -> Duration {
        if attempt <= 1 {
            return Duration::ZERO;
        }
        let factor = self.multiplier.saturating_pow(attempt - 2);
        self.initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
    }

    /// Runs `call` (given the 1-based attempt number) until it succeeds,
    /// fails with an error that is not [retryable](Error::is_retryable), or
    /// the attempts are used up; returns the last outcome. The closure must
    /// send the same request every time.
    pub async fn run<T, F, Fut>(&self, mut call: F) -> Result<T, Error>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let mut attempt = 1;
        loop {
            match call(attempt).await {
                Err(e) if e.is_retryable() && attempt < self.max_attempts => {
                    attempt += 1;
                    tokio::time::sleep(self.backoff(attempt)).await;
                }
                outcome => return outcome,
            }
        }
    }
}
