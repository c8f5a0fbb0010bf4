//! Group commit for the SQLite store.
//!
//! With `synchronous=FULL` every COMMIT waits for an fsync of the WAL, and
//! SQLite has one writer at a time, so one transaction per request caps the
//! write rate at the disk's fsync rate (about 100–1,000 per second on cloud
//! disks) whatever the CPUs could do. The writes of a payment's life
//! (creating it, its attempts, finalize, cancel, refunds), the notification
//! claims and attempts and the API log therefore go to one writer, which
//! runs every write waiting at that moment inside one `BEGIN IMMEDIATE`
//! transaction — each multi-statement write in its own SAVEPOINT, so a
//! write that fails is undone alone — and commits once. No caller is
//! answered before that COMMIT, and its fsync, returned: durability is
//! exactly as before, only the fsync is shared. Under light load a batch holds one write; under
//! heavy load batches grow by themselves while the previous fsync runs (no
//! timer, no added latency).
//!
//! The writer is a dedicated OS thread that owns its own connection
//! (`direct`, rusqlite) and runs a batch's statements back to back. It used
//! to be a Tokio task driving a sqlx connection, where every statement was
//! a round trip to sqlx's connection thread and the task then waited for a
//! Tokio worker — busy signing responses — before its next statement; the
//! batches, and every create waiting on them, stretched accordingly.
//!
//! A write that changes data in one statement ([`GroupCommit::write_statement`])
//! runs without the SAVEPOINT / RELEASE pair around it: SQLite undoes a
//! failed statement by itself and keeps the transaction (and where it
//! cannot — I/O error, disk full — the whole transaction is gone and every
//! write of the batch gets the COMMIT's error, as it must).
//!
//! Rejected: `synchronous=NORMAL` (loses the last commits on power loss)
//! and a fixed batching delay (adds latency when the disk is fast).

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use rusqlite::Connection;
use tokio::sync::{mpsc, oneshot};

use super::{StoreError, StoreResult, WriterStats};

/// Most writes committed together.
const MAX_BATCH: usize = 512;
/// Writes waiting for the writer before callers wait to enqueue.
const QUEUE: usize = 4096;
/// A batch slower than this is logged (the disk or a lock held elsewhere).
const SLOW_BATCH: std::time::Duration = std::time::Duration::from_millis(250);

/// Called after the batch ended, with the COMMIT's error if it failed.
type Finish = Box<dyn FnOnce(Option<&str>) + Send>;
/// One write: runs its statements, says whether they are to stay.
type Run = Box<dyn FnOnce(&Connection) -> (bool, Finish) + Send>;

struct Work {
    run: Run,
    /// Wrap in a SAVEPOINT so that a failure undoes only this write's
    /// statements (needed when it has more than one statement that changes data).
    savepoint: bool,
}

#[derive(Clone)]
pub struct GroupCommit {
    queue: mpsc::Sender<Work>,
    stats: Arc<Stats>,
}

/// What the writer has done, for `/metrics` (relaxed atomics: each value is
/// exact, a scrape may see one batch in some and not yet in others).
#[derive(Default)]
struct Stats {
    batches: AtomicU64,
    writes: AtomicU64,
    busy_micros: AtomicU64,
    slowest_micros: AtomicU64,
}

impl GroupCommit {
    /// Opens the writer's connection and starts its thread; the thread ends
    /// when the last handle is dropped.
    pub fn start(path: &Path) -> StoreResult<GroupCommit> {
        let conn = super::direct::open(path, false)?;
        let (queue, rx) = mpsc::channel(QUEUE);
        let stats = Arc::new(Stats::default());
        let counts = stats.clone();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || run(conn, rx, &counts))
            .map_err(|e| commit_failed(&format!("cannot start the writer thread: {e}")))?;
        Ok(GroupCommit { queue, stats })
    }

    /// Totals so far; the slowest batch is the slowest since the previous call.
    pub fn stats(&self) -> WriterStats {
        let s = &self.stats;
        WriterStats {
            batches: s.batches.load(Ordering::Relaxed),
            writes: s.writes.load(Ordering::Relaxed),
            busy_seconds: s.busy_micros.load(Ordering::Relaxed) as f64 / 1e6,
            slowest_batch_seconds: s.slowest_micros.swap(0, Ordering::Relaxed) as f64 / 1e6,
        }
    }

    /// Runs `write` in the next batch and returns its result once the batch
    /// is durable. An error of `write` rolls back only its own statements.
    pub async fn write<T, F>(&self, write: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        self.enqueue(true, write, Result::is_ok).await
    }

    /// As [`Self::write`], for a conditional write that answers whether it
    /// took effect: `Ok(false)` undoes its statements too, so a write that
    /// finds its second condition unmet after its first statement changed a
    /// row leaves nothing behind.
    pub async fn write_or_undo<F>(&self, write: F) -> StoreResult<bool>
    where
        F: FnOnce(&Connection) -> StoreResult<bool> + Send + 'static,
    {
        self.enqueue(true, write, |r| matches!(r, Ok(true))).await
    }

    /// As [`Self::write`], for a write whose changes are made by a single
    /// statement (it may read before or after): no SAVEPOINT is needed, as
    /// SQLite rolls a failed statement back by itself.
    pub async fn write_statement<T, F>(&self, write: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        self.enqueue(false, write, Result::is_ok).await
    }

    /// `keep` tells from the write's result whether its statements stay
    /// (RELEASE) or are undone (ROLLBACK TO); without a savepoint a failed
    /// statement has undone itself.
    async fn enqueue<T, F>(
        &self,
        savepoint: bool,
        write: F,
        keep: fn(&StoreResult<T>) -> bool,
    ) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let run: Run = Box::new(move |conn| {
            let result = write(conn);
            let ok = keep(&result);
            let finish: Finish = Box::new(move |commit_error| {
                let out = match (result, commit_error) {
                    (Ok(_), Some(e)) => Err(commit_failed(e)),
                    (result, _) => result,
                };
                let _ = reply.send(out);
            });
            (ok, finish)
        });
        self.queue
            .send(Work { run, savepoint })
            .await
            .map_err(|_| commit_failed("the SQLite writer has stopped"))?;
        answer
            .await
            .map_err(|_| commit_failed("the write was not performed (batch aborted)"))?
    }
}

fn commit_failed(e: &str) -> StoreError {
    StoreError::Database(sqlx::Error::Protocol(format!("group commit: {e}")))
}

/// The writer thread: one batch per turn, until every handle is gone.
fn run(conn: Connection, mut rx: mpsc::Receiver<Work>, stats: &Stats) {
    while let Some(first) = rx.blocking_recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(w) => batch.push(w),
                Err(_) => break,
            }
        }
        let t0 = std::time::Instant::now();
        let n = batch.len();
        // Dropping a write unperformed answers its caller with an error.
        if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
            tracing::error!(error = %e, "group commit: cannot begin");
            continue;
        }
        let mut finishes = Vec::with_capacity(batch.len());
        let mut broken = None;
        for work in batch {
            if broken.is_some() {
                continue;
            }
            if !work.savepoint {
                // A failed statement undid itself; nothing else to undo.
                let (_, finish) = (work.run)(&conn);
                finishes.push(finish);
                continue;
            }
            if let Err(e) = conn.execute_batch("SAVEPOINT w") {
                broken = Some(e.to_string());
                continue;
            }
            let (ok, finish) = (work.run)(&conn);
            finishes.push(finish);
            let end = if ok {
                conn.execute_batch("RELEASE w")
            } else {
                conn.execute_batch("ROLLBACK TO w; RELEASE w")
            };
            if let Err(e) = end {
                broken = Some(e.to_string());
            }
        }
        let t1 = std::time::Instant::now();
        let outcome = match broken {
            Some(e) => Err(e),
            None => conn.execute_batch("COMMIT").map_err(|e| e.to_string()),
        };
        let t2 = std::time::Instant::now();
        let took = (t2 - t0).as_micros() as u64;
        stats.batches.fetch_add(1, Ordering::Relaxed);
        stats.writes.fetch_add(n as u64, Ordering::Relaxed);
        stats.busy_micros.fetch_add(took, Ordering::Relaxed);
        stats.slowest_micros.fetch_max(took, Ordering::Relaxed);
        if t2 - t0 >= SLOW_BATCH {
            tracing::warn!(
                writes = n,
                statements_ms = (t1 - t0).as_millis() as u64,
                commit_ms = (t2 - t1).as_millis() as u64,
                "slow group commit"
            );
        }
        if let Err(e) = &outcome {
            tracing::error!(error = %e, "group commit: batch rolled back");
            if !conn.is_autocommit() {
                let _ = conn.execute_batch("ROLLBACK");
            }
        }
        let error = outcome.err();
        for finish in finishes {
            finish(error.as_deref());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::payments::test_payment;
    use crate::{
        Inserted, Merchant, MerchantStore, Payment, PaymentStore, SqliteStore, StoreHealth,
    };

    fn payment(n: u32, request_id: &str) -> Payment {
        test_payment(&format!("PAY{n}"), "SANDBOX_GC", request_id)
    }

    /// Hundreds of concurrent inserts share commits: new ones are stored,
    /// repeats return the stored payment, and a write that fails (its
    /// payment id is taken) fails alone without undoing its batch-mates —
    /// all of it still there after the store is closed and reopened.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn batched_writes_fail_alone_and_survive_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gc.sqlite3");
        let store = Arc::new(SqliteStore::open(&path).await.unwrap());
        store
            .insert_merchant(&Merchant::for_tests(&"SANDBOX_GC".into(), "GC"))
            .await
            .unwrap();
        // Phase 1: 200 payments, concurrently.
        let mut tasks = tokio::task::JoinSet::new();
        for n in 0..200u32 {
            let store = store.clone();
            tasks
                .spawn(async move { store.insert_payment(&payment(n, &format!("req-{n}"))).await });
        }
        while let Some(r) = tasks.join_next().await {
            assert!(matches!(r.unwrap(), Ok(Inserted::New(_))));
        }
        // Phase 2: new payments, repeats and clashing writes, all at once.
        let mut tasks = tokio::task::JoinSet::new();
        for n in 0..300u32 {
            let store = store.clone();
            tasks.spawn(async move {
                let p = match n {
                    // New payments.
                    0..100 => payment(200 + n, &format!("req-{}", 200 + n)),
                    // Repeats of request ids 0..100 (other payment ids).
                    100..200 => payment(1000 + n, &format!("req-{}", n - 100)),
                    // New request ids whose payment id (PAY100..PAY199) is taken.
                    _ => payment(n - 100, &format!("clash-{n}")),
                };
                (n, store.insert_payment(&p).await)
            });
        }
        let (mut new, mut existing, mut failed) = (0, 0, 0);
        while let Some(r) = tasks.join_next().await {
            match r.unwrap() {
                (n, Ok(Inserted::New(p))) if n < 100 => {
                    assert_eq!(p.payment_id, format!("PAY{}", 200 + n));
                    new += 1;
                }
                (n, Ok(Inserted::Existing(p))) if (100..200).contains(&n) => {
                    assert_eq!(p.payment_id, format!("PAY{}", n - 100));
                    existing += 1;
                }
                (n, Err(_)) if n >= 200 => failed += 1,
                (n, other) => panic!("request {n}: unexpected {other:?}"),
            }
        }
        assert_eq!((new, existing, failed), (100, 100, 100));
        drop(store);
        let reopened = SqliteStore::open(&path).await.unwrap();
        assert_eq!(reopened.counts().await.unwrap().payments, 300);
        for n in [0, 99, 150, 250, 299] {
            let p = reopened
                .payment_by_request_id(&"SANDBOX_GC".into(), &format!("req-{n}").into())
                .await
                .unwrap()
                .expect("stored");
            assert_eq!(p.payment_id, format!("PAY{n}"));
        }
        assert!(reopened
            .payment_by_request_id(&"SANDBOX_GC".into(), &"clash-260".into())
            .await
            .unwrap()
            .is_none());
    }
}
