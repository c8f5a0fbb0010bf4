//! The recent-API-requests log of the dashboard's Developers page, kept in the store
//! (`api_requests`, migration 0007) so that every node's page shows the
//! requests every node answered.
//!
//! The API's hot path never waits for it: `api::entry` calls
//! [`ApiLog::record`], which only pushes an entry onto a bounded in-memory
//! buffer. Each node's [`run_flusher`] task writes the buffer to the store in
//! batched multi-row `INSERT`s every [`FLUSH_EVERY`], or as soon as
//! [`FLUSH_AT`] entries wait, whichever comes first. When [`CAPACITY`]
//! entries are waiting (the database is slow or down), new ones are dropped
//! and counted (`cashier_api_log_dropped_total{reason="buffer_full"}`; a
//! failed write counts its entries under `reason="store_error"`). A graceful
//! shutdown flushes what is buffered; a crash loses what was not yet
//! written, at most about the last second. It is diagnostics, not money.
//!
//! Each entry is time, API, result code and status, latency and the body's
//! `paymentRequestId` — never a body, header, key or signature. Only
//! requests naming a registered client id are kept, so forged client ids
//! cannot fill the table. Requests whose signature did not verify (anyone
//! who knows a client id can send them) go to a second, smaller list of
//! the merchant's, so they can never push its real requests out.
//!
//! Retention: the sweeper keeps the newest [`KEEP_PER_CLIENT`] rows per
//! merchant and [`KEEP_FAILED_AUTH_PER_CLIENT`] of those that failed
//! authentication ([`prune`], once a minute, for the merchants this node
//! wrote since its last prune); the page shows the newest [`PAGE_ROWS`]
//! and [`FAILED_AUTH_PAGE_ROWS`].

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cashier_protocol::{ResultCode, ResultStatus};
use tokio::sync::Notify;

use crate::metrics::Metrics;
use crate::store::{ApiRequestRecord, ClientId, Store, StoreError, Timestamp};

/// Rows the Developers page shows.
pub const PAGE_ROWS: u32 = 100;
/// Rows kept per merchant; older ones are pruned by the sweeper.
pub const KEEP_PER_CLIENT: u32 = 1_000;
/// Rows of requests that failed authentication the page shows.
pub const FAILED_AUTH_PAGE_ROWS: u32 = 20;
/// Rows of requests that failed authentication kept per merchant.
pub const KEEP_FAILED_AUTH_PER_CLIENT: u32 = 100;
/// The flusher writes at least this often while entries wait.
pub const FLUSH_EVERY: Duration = Duration::from_secs(1);
/// This many waiting entries wake the flusher at once; also the most rows
/// one `INSERT` carries.
pub const FLUSH_AT: usize = 500;
/// Entries waiting beyond this are dropped (and counted).
pub const CAPACITY: usize = 20 * FLUSH_AT;

/// What [`ApiLog::record`] did with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    Buffered,
    /// Not an API call of a registered client: not logged.
    Skipped,
    /// The buffer was full: dropped and counted.
    Dropped,
}

#[derive(Default)]
pub struct ApiLog {
    buffer: Mutex<Vec<ApiRequestRecord>>,
    wake: Notify,
    closed: AtomicBool,
    dropped: AtomicU64,
    /// Merchants this node wrote rows for since its last prune.
    written: Mutex<BTreeSet<ClientId>>,
}

fn status_str(code: ResultCode) -> &'static str {
    match code.status() {
        ResultStatus::S => "S",
        ResultStatus::F => "F",
        ResultStatus::U => "U",
    }
}

impl ApiLog {
    /// Buffers one answered API request. `client_known` says the client id
    /// named a registered merchant; requests that did not (forged ids,
    /// `INVALID_CLIENT`, requests rejected before the lookup) and paths that
    /// name no operation are not kept. `authenticated` says its signature
    /// verified; those that did not go to the failed-authentication list.
    #[allow(clippy::too_many_arguments)]
    pub fn record(
        &self,
        client_id: &str,
        client_known: bool,
        authenticated: bool,
        api: Option<&'static str>,
        code: ResultCode,
        latency: Duration,
        now: Timestamp,
        request_id: Option<&str>,
    ) -> Recorded {
        let Some(api) = api else {
            return Recorded::Skipped;
        };
        if !client_known
            || client_id.is_empty()
            || client_id.len() > 64
            || code == ResultCode::INVALID_CLIENT
        {
            return Recorded::Skipped;
        }
        let entry = ApiRequestRecord {
            client_id: client_id.into(),
            at: now,
            api: api.to_string(),
            result_code: code.as_str().to_string(),
            result_status: status_str(code).to_string(),
            latency_us: i64::try_from(latency.as_micros()).unwrap_or(i64::MAX),
            request_id: request_id.map(|r| r.chars().take(64).collect()),
            authenticated,
        };
        let waiting = {
            let mut buffer = self.buffer.lock().unwrap_or_else(|p| p.into_inner());
            if buffer.len() >= CAPACITY {
                drop(buffer);
                self.dropped.fetch_add(1, Ordering::Relaxed);
                return Recorded::Dropped;
            }
            buffer.push(entry);
            buffer.len()
        };
        if waiting % FLUSH_AT == 0 {
            self.wake.notify_one();
        }
        Recorded::Buffered
    }

    /// Entries waiting to be written.
    pub fn buffered(&self) -> usize {
        self.buffer.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Entries dropped since start (buffer full or a failed write).
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    fn take(&self) -> Vec<ApiRequestRecord> {
        std::mem::take(&mut *self.buffer.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Asks the flusher to write what is buffered and stop (graceful
    /// shutdown).
    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.wake.notify_one();
    }

    fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }
}

/// Writes everything buffered, [`FLUSH_AT`] rows per `INSERT`. A failed
/// write drops its entries (counted, logged): the log must not grow
/// without bound while the database is away. Returns how many were written.
pub async fn flush(log: &ApiLog, store: &dyn Store, metrics: &Metrics) -> usize {
    let entries = log.take();
    let mut written = 0;
    let mut chunks = entries.chunks(FLUSH_AT);
    while let Some(chunk) = chunks.next() {
        if let Err(e) = store.insert_api_requests(chunk).await {
            let lost = chunk.len() + chunks.map(<[_]>::len).sum::<usize>();
            log.dropped.fetch_add(lost as u64, Ordering::Relaxed);
            metrics.api_log_dropped("store_error", lost as u64);
            tracing::warn!(error = %e, lost, "cannot write the API request log; entries dropped");
            break;
        }
        written += chunk.len();
        let mut names = log.written.lock().unwrap_or_else(|p| p.into_inner());
        for e in chunk {
            if !names.contains(&e.client_id) {
                names.insert(e.client_id.clone());
            }
        }
    }
    written
}

/// The flusher of one node: runs until [`ApiLog::close`], then writes what
/// is left and returns.
pub async fn run_flusher(log: Arc<ApiLog>, store: Arc<dyn Store>, metrics: Arc<Metrics>) {
    loop {
        if !log.is_closed() {
            tokio::select! {
                _ = tokio::time::sleep(FLUSH_EVERY) => {}
                _ = log.wake.notified() => {}
            }
        }
        let closing = log.is_closed();
        flush(&log, store.as_ref(), &metrics).await;
        if closing {
            return;
        }
    }
}

/// Keeps the newest [`KEEP_PER_CLIENT`] rows (and
/// [`KEEP_FAILED_AUTH_PER_CLIENT`] that failed authentication) of each
/// merchant this node wrote since its last prune; returns how many rows
/// went. Other nodes prune the merchants they wrote.
pub async fn prune(log: &ApiLog, store: &dyn Store) -> Result<u64, StoreError> {
    let names = std::mem::take(&mut *log.written.lock().unwrap_or_else(|p| p.into_inner()));
    let mut deleted = 0;
    let mut names = names.into_iter();
    while let Some(client_id) = names.next() {
        let pruned = match store
            .prune_api_requests(&client_id, true, KEEP_PER_CLIENT)
            .await
        {
            Ok(n) => store
                .prune_api_requests(&client_id, false, KEEP_FAILED_AUTH_PER_CLIENT)
                .await
                .map(|m| n + m),
            Err(e) => Err(e),
        };
        match pruned {
            Ok(n) => deleted += n,
            Err(e) => {
                // Try these again at the next prune.
                let mut again = log.written.lock().unwrap_or_else(|p| p.into_inner());
                again.insert(client_id);
                again.extend(names);
                return Err(e);
            }
        }
    }
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_registered_clients_api_calls_are_buffered_and_the_buffer_is_bounded() {
        let log = ApiLog::default();
        let d = Duration::from_micros(1500);
        let op = Some("inquiryPayment");
        let ok = ResultCode::SUCCESS;
        assert_eq!(
            log.record(
                "C1",
                true,
                true,
                op,
                ok,
                d,
                Timestamp::from_millis(1),
                Some("PR-1")
            ),
            Recorded::Buffered
        );
        assert_eq!(
            log.record(
                "C1",
                true,
                true,
                None,
                ok,
                d,
                Timestamp::from_millis(2),
                None
            ),
            Recorded::Skipped,
            "no operation: not an API call"
        );
        assert_eq!(
            log.record("", true, true, op, ok, d, Timestamp::from_millis(3), None),
            Recorded::Skipped
        );
        assert_eq!(
            log.record(
                "C1",
                true,
                false,
                op,
                ResultCode::INVALID_SIGNATURE,
                d,
                Timestamp::from_millis(4),
                None
            ),
            Recorded::Buffered,
            "a known client id whose signature failed: kept, in its own list"
        );
        assert_eq!(
            log.record(
                "FORGED",
                false,
                false,
                op,
                ResultCode::INVALID_CLIENT,
                d,
                Timestamp::from_millis(4),
                None
            ),
            Recorded::Skipped
        );
        assert_eq!(
            log.record(
                "FORGED",
                false,
                false,
                op,
                ResultCode::METHOD_NOT_SUPPORTED,
                d,
                Timestamp::from_millis(5),
                None
            ),
            Recorded::Skipped,
            "rejected before the client lookup: the id proves nothing"
        );
        let got = log.take();
        assert_eq!(got.len(), 2);
        assert!(!got[1].authenticated);
        assert_eq!(
            got[0],
            ApiRequestRecord {
                client_id: "C1".into(),
                at: Timestamp::from_millis(1),
                api: "inquiryPayment".into(),
                result_code: "SUCCESS".into(),
                result_status: "S".into(),
                latency_us: 1500,
                request_id: Some("PR-1".into()),
                authenticated: true,
            }
        );
        for i in 0..CAPACITY {
            assert_eq!(
                log.record(
                    "C1",
                    true,
                    true,
                    op,
                    ResultCode::PARAM_ILLEGAL,
                    d,
                    Timestamp::from_millis(i as i64),
                    None
                ),
                Recorded::Buffered
            );
        }
        assert_eq!(
            log.record("C1", true, true, op, ok, d, Timestamp::from_millis(0), None),
            Recorded::Dropped
        );
        assert_eq!((log.buffered(), log.dropped()), (CAPACITY, 1));
        assert_eq!(log.take()[0].result_status, "F");
    }
}
