//! Synchronous SQLite connections (rusqlite) for the hot paths: the
//! group-commit writer's own connection, and a small pool of read
//! connections used inline by the API's point lookups.
//!
//! Why not sqlx here: sqlx runs each SQLite connection on a thread of its
//! own and every statement is a message to it and a wake-up back, two
//! context switches per statement. Profiles of inquiryPayment showed that
//! thread and the switches at about a fifth of the gateway's CPU, and the
//! group-commit writer, a task on the same two Tokio workers that sign
//! responses, waited behind RSA work between each of its statements. A point
//! lookup by a unique index takes a few microseconds when SQLite runs it on
//! the calling thread — less than the hand-off did — so reads run inline on
//! the Tokio worker (as the RSA signing does), and writes run on a dedicated
//! OS thread that owns its connection (`group_commit`).
//!
//! Both libraries link the same SQLite build (one `libsqlite3-sys`), so
//! SQLite's per-process file-lock bookkeeping is shared and the connections
//! coordinate exactly as sqlx's own pool connections do. The schema and
//! migrations stay with sqlx; these connections only run statements.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::types::FromSql;
use rusqlite::{Connection, OpenFlags, ToSql};

use crate::StoreResult;

/// Read connections kept open between lookups.
const IDLE_READERS: usize = 8;

/// Opens a connection with the store's settings: WAL (already set on the
/// file by the migrating pool), `synchronous=FULL` so a COMMIT returns only
/// once it is on disk, foreign keys, and a lock wait of up to about 30 s
/// that polls ([`wait_for_lock`]) instead of backing off. A
/// reader is opened read-write (a read-only open would use SQLite's slower
/// read-only shared-memory mode) and made `query_only`.
pub fn open(path: &Path, reader: bool) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_handler(Some(wait_for_lock))?;
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
    if reader {
        conn.execute_batch("PRAGMA query_only = ON;")?;
    }
    conn.set_prepared_statement_cache_capacity(32);
    Ok(conn)
}

/// Busy handler: called with the number of earlier calls for this lock
/// wait; `true` tries again. SQLite's own `busy_timeout` handler sleeps
/// 1, 2, 5, 10 … 100 ms between tries, so a writer that finds another
/// connection's short transaction in the way slept through up to 228 ms of
/// back-off after the lock had long been free (seen as create latency spikes
/// whenever the API log was flushed). Polling every 100 µs for the first
/// 2 ms, then every millisecond, takes the lock within that much of its
/// release; the wait still ends after about 30 s, as before. (Polling at
/// 100 µs for the first 100 ms cost the full payment path 14% of its
/// throughput: sqlx writers waiting on the group-commit writer woke
/// thousands of times a second on the same two cores.)
fn wait_for_lock(calls: i32) -> bool {
    const FAST: i32 = 20;
    let pause = if calls < FAST {
        Duration::from_micros(100)
    } else {
        Duration::from_millis(1)
    };
    if calls >= FAST + 30_000 {
        return false;
    }
    std::thread::sleep(pause);
    true
}

/// [`wait_for_lock`] in the shape SQLite's C API calls.
extern "C" fn wait_for_lock_c(
    _: *mut std::os::raw::c_void,
    calls: std::os::raw::c_int,
) -> std::os::raw::c_int {
    std::os::raw::c_int::from(wait_for_lock(calls))
}

/// Gives a sqlx pool connection the same polling lock wait as the direct
/// connections (sqlx can only set SQLite's back-off `busy_timeout`, which
/// made payment-path writes meeting the group-commit writer sleep through
/// up to 100 ms per try, and a merchant-cache refresh that met a WAL reset
/// stall every request behind it for 228 ms).
pub async fn poll_when_busy(conn: &mut sqlx::SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: sqlx has no busy-handler setter, so this goes through the C
    // API. `db` is the live connection handle, and holding `handle` (sqlx's
    // lock on its worker) guarantees no other call runs on it meanwhile;
    // the handler is a plain function that touches no SQLite state, and the
    // null argument is never read. sqlx and rusqlite link one and the same
    // `libsqlite3-sys`, so the types are the same. This replaces the
    // `busy_timeout` handler set at connect, as SQLite documents.
    let rc = unsafe {
        rusqlite::ffi::sqlite3_busy_handler(db, Some(wait_for_lock_c), std::ptr::null_mut())
    };
    drop(handle);
    if rc == rusqlite::ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(sqlx::Error::Protocol(format!(
            "sqlite3_busy_handler failed: {rc}"
        )))
    }
}

/// Read connections, used on the calling thread.
pub struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl Readers {
    pub fn new(path: &Path) -> Readers {
        Readers {
            path: path.to_path_buf(),
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Runs `f` on an idle read connection (opening one if none is idle).
    /// Meant for lookups by key that take microseconds; anything that scans
    /// belongs on the sqlx pool.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> StoreResult<T>) -> StoreResult<T> {
        let idle = self.lock().pop();
        let conn = match idle {
            Some(c) => c,
            None => open(&self.path, true)?,
        };
        let out = f(&conn);
        let mut idle = self.lock();
        if idle.len() < IDLE_READERS {
            idle.push(conn);
        }
        out
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Connection>> {
        // A panic while holding this lock cannot leave the Vec inconsistent.
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A rusqlite row with the `try_get(name)` of sqlx's rows, so the shared
/// row mappers serve it too.
pub struct Row<'a, 'b>(&'a rusqlite::Row<'b>);

impl Row<'_, '_> {
    pub(super) fn try_get<T: FromSql>(&self, col: &str) -> rusqlite::Result<T> {
        self.0.get(col)
    }
}

// The shared mappers; only some are used on these connections.
#[allow(dead_code)]
mod mappers {
    use std::str::FromStr;

    use super::Row;
    use crate::*;

    crate::rows::row_mappers!(Row<'_, '_>);
}
pub(super) use mappers::{attempt_from, notification_from, parse, payment_from, refund_from};

/// Prepares `sql` (cached). rusqlite binds parameters by position and
/// SQLite numbers `$n` parameters in the order they first appear, so a
/// statement shared with PostgreSQL must name `$1`, `$2`, … in that order:
/// debug builds check it.
pub(super) fn prepare<'c>(
    conn: &'c Connection,
    sql: &str,
) -> StoreResult<rusqlite::CachedStatement<'c>> {
    let stmt = conn.prepare_cached(sql)?;
    debug_assert!(
        (1..=stmt.parameter_count()).all(|i| stmt
            .parameter_name(i)
            .and_then(|name| name.strip_prefix('$'))
            .is_none_or(|n| n == i.to_string())),
        "the parameters of {sql:?} are not numbered in the order they appear"
    );
    Ok(stmt)
}

/// Runs a query expected to return at most one row.
pub(super) fn one<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    map: impl FnOnce(&Row) -> StoreResult<T>,
) -> StoreResult<Option<T>> {
    let mut stmt = prepare(conn, sql)?;
    let mut rows = stmt.query(params)?;
    match rows.next()? {
        Some(r) => map(&Row(r)).map(Some),
        None => Ok(None),
    }
}

/// Runs a query and maps every row.
pub(super) fn all<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    map: impl Fn(&Row) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    let mut stmt = prepare(conn, sql)?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(map(&Row(r))?);
    }
    Ok(out)
}

/// Executes `sql`, whose parameters are `fixed` followed by a list
/// ([`among`]) of `list`; returns the rows changed.
pub(super) fn execute_with_list(
    conn: &Connection,
    sql: &str,
    fixed: &[&dyn ToSql],
    list: &[&str],
) -> StoreResult<usize> {
    let mut values = fixed.to_vec();
    values.extend(list.iter().map(|s| s as &dyn ToSql));
    Ok(prepare(conn, sql)?.execute(&values[..])?)
}

/// `IN ($first, …)`: a column among `n` values bound from parameter
/// `$first` on.
pub(super) fn among(first: usize, n: usize) -> String {
    let params: Vec<String> = (first..first + n).map(|i| format!("${i}")).collect();
    format!("IN ({})", params.join(", "))
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::open;
    use crate::ReportStore;

    /// A connection that finds the write lock taken waits for it (polling)
    /// and gets it once the other transaction ends, instead of failing.
    #[test]
    fn a_writer_waits_for_the_lock_and_then_gets_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lock.sqlite3");
        // The store's migrating pool creates the file; here, plain rusqlite.
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (x INTEGER);")
            .unwrap();
        let holder = open(&path, false).unwrap();
        holder.execute_batch("BEGIN IMMEDIATE").unwrap();
        holder.execute("INSERT INTO t VALUES (1)", []).unwrap();
        let release = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            holder.execute_batch("COMMIT").unwrap();
        });
        let waiter = open(&path, false).unwrap();
        let started = Instant::now();
        waiter.execute_batch("BEGIN IMMEDIATE").unwrap();
        assert!(started.elapsed() >= Duration::from_millis(40));
        waiter.execute("INSERT INTO t VALUES (2)", []).unwrap();
        waiter.execute_batch("COMMIT").unwrap();
        release.join().unwrap();
        let n: i64 = waiter
            .query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 2);
        // A reader cannot write.
        let reader = open(&path, true).unwrap();
        assert!(reader.execute("INSERT INTO t VALUES (3)", []).is_err());
    }

    /// The report's range queries still use the time indexes after they
    /// became partial (migration 0009): a comparison implies IS NOT NULL.
    #[tokio::test]
    async fn report_range_queries_use_the_partial_time_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.sqlite3");
        let _store = crate::SqliteStore::open(&path).await.unwrap();
        let conn = open(&path, true).unwrap();
        for (col, index) in [
            ("paid_at", "payments_by_paid"),
            ("closed_at", "payments_by_closed"),
            ("cancel_time", "payments_by_cancel"),
        ] {
            let sql = format!(
                "EXPLAIN QUERY PLAN SELECT payment_id FROM payments
                 WHERE client_id = ?1 AND {col} >= ?2 AND {col} < ?3"
            );
            let plan: Vec<String> = conn
                .prepare(&sql)
                .unwrap()
                .query_map(["C", "1", "2"], |r| r.get::<_, String>(3))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            assert!(plan.iter().any(|d| d.contains(index)), "{col}: {plan:?}");
        }
    }

    /// The sqlx pool's connections wait for a busy lock by polling too:
    /// SQLite's back-off would have slept from 178 ms to 228 ms and taken
    /// the lock released at 180 ms only then.
    #[tokio::test]
    async fn pool_connections_poll_for_the_lock_instead_of_backing_off() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pool.sqlite3");
        let store = crate::SqliteStore::open(&path).await.unwrap();
        let holder = open(&path, false).unwrap();
        holder.execute_batch("BEGIN IMMEDIATE").unwrap();
        holder
            .execute(
                "INSERT INTO settings (name, value) VALUES ('held', '1')",
                [],
            )
            .unwrap();
        let release = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(180));
            holder.execute_batch("COMMIT").unwrap();
        });
        let started = Instant::now();
        let value = store.setting_or_insert("waited", "2").await.unwrap();
        let waited = started.elapsed();
        release.join().unwrap();
        assert_eq!(value, "2");
        assert!(waited >= Duration::from_millis(170), "{waited:?}");
        assert!(
            waited < Duration::from_millis(215),
            "backed off: {waited:?}"
        );
    }
}
