//! The PostgreSQL store, for running several stateless `cashier serve` nodes
//! in front of one database (README.md, "Scaling out").
//!
//! Same tables and columns as the SQLite store, and the same rules, enforced
//! by the database at its default isolation (READ COMMITTED):
//!
//! - uniqueness (clientId + paymentRequestId, clientId + refundRequestId,
//!   paymentId + form nonce) is decided by unique constraints, with
//!   `INSERT … ON CONFLICT DO NOTHING` (a racing insert of the same key waits
//!   for the first one and then does nothing);
//! - every state change is one conditional `UPDATE … WHERE status = ANY(…)`:
//!   the row lock serialises racers, and PostgreSQL re-evaluates the
//!   condition on the newest row version, so exactly one wins;
//! - a refund reserves its amount with one conditional `UPDATE` of the
//!   payment (`refunded + amount <= amount`), in the transaction that inserts
//!   the refund row and its notification;
//! - notifications are claimed with leases: `FOR UPDATE SKIP LOCKED` lets
//!   many dispatchers (one per node) take disjoint batches, and a dead node's
//!   leases simply run out.
//!
//! Migrations (`migrations/postgres`) run on open; sqlx's migrator holds a
//! PostgreSQL advisory lock while it works, so N nodes starting at once
//! migrate the schema once and the others wait for it.
//!
//! Each concern's part of the store is in the file named after it
//! (`payments.rs`, `outbox.rs`, …), beside the SQLite store's file of the
//! same name; the statements both run alike are written once, in the
//! concern's module of `store` (see there).

mod api_log;
mod dashboard;
mod health;
mod merchants;
mod outbox;
mod payments;
mod refunds;
mod reports;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::{ConnectOptions, Connection, Executor, PgPool, Row};

use crate::status::{AttemptState, PaymentStatus};
use crate::*;
use cashier_protocol::IntegrationWarning;

/// The backend's sqlx database, named alike by both backends for the
/// statements they share.
type Db = sqlx::Postgres;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// How long a request waits for a pooled connection (or for a new one to
/// connect) before it fails with a retryable `U` result. Short, so that while
/// the database is down callers get an answer well within their timeouts
/// instead of a hung request.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// Connections per node unless the URL says `?max_connections=N`.
pub const DEFAULT_MAX_CONNECTIONS: u32 = 16;

/// The URL query parameter (read by Cashier, not passed to the driver) that
/// sizes the connection pool.
pub const MAX_CONNECTIONS_PARAM: &str = "max_connections";

#[derive(Clone)]
pub struct PostgresStore {
    pool: PgPool,
    /// Sweeps compare with each merchant's sandbox clock (`--sandbox-clocks`).
    merchant_clocks: bool,
}

/// Is this a URL for [`PostgresStore`]?
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Splits Cashier's own parameters off a database URL: the driver's options
/// and the pool size.
fn parse_url(url: &str) -> StoreResult<(PgConnectOptions, u32)> {
    let mut parsed = url::Url::parse(url)
        .map_err(|e| StoreError::Database(sqlx::Error::Configuration(Box::new(e))))?;
    let mut max = DEFAULT_MAX_CONNECTIONS;
    let mut rest = Vec::new();
    for (k, v) in parsed.query_pairs() {
        if k == MAX_CONNECTIONS_PARAM {
            max = v.parse::<u32>().ok().filter(|n| *n > 0).ok_or_else(|| {
                StoreError::Database(sqlx::Error::Configuration(
                    format!("{MAX_CONNECTIONS_PARAM} must be a positive integer, not {v:?}").into(),
                ))
            })?;
        } else {
            rest.push((k.into_owned(), v.into_owned()));
        }
    }
    if rest.is_empty() {
        parsed.set_query(None);
    } else {
        parsed.query_pairs_mut().clear().extend_pairs(rest);
    }
    let options = PgConnectOptions::from_str(parsed.as_str())?.application_name("cashier");
    Ok((options, max))
}

impl PostgresStore {
    /// Connects (pool sized by `?max_connections=`, default
    /// [`DEFAULT_MAX_CONNECTIONS`]) and migrates the schema.
    pub async fn open(url: &str) -> StoreResult<PostgresStore> {
        let (options, max) = parse_url(url)?;
        migrate_with(&options).await?;
        let pool = PgPoolOptions::new()
            .max_connections(max)
            .min_connections(0)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .idle_timeout(Duration::from_secs(300))
            .connect_with(options)
            .await?;
        Ok(PostgresStore {
            pool,
            merchant_clocks: false,
        })
    }

    /// Sweeps compare each row with its merchant's sandbox clock
    /// (`--sandbox-clocks`) instead of real time.
    pub fn with_merchant_clocks(mut self, on: bool) -> PostgresStore {
        self.merchant_clocks = on;
        self
    }

    /// Applies pending migrations and returns (`cashier migrate`). Safe to
    /// run while nodes are up and from several places at once.
    pub async fn migrate(url: &str) -> StoreResult<()> {
        let (options, _) = parse_url(url)?;
        migrate_with(&options).await
    }

    /// The pool, for tests and tools.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// A write transaction (READ COMMITTED, as every statement here).
    async fn begin_write(&self) -> StoreResult<sqlx::Transaction<'static, Db>> {
        Ok(self.pool.begin().await?)
    }
}

/// Runs the migrator on a connection of its own, closed afterwards: the
/// migrator's session-level advisory lock can never stay behind in a pool.
async fn migrate_with(options: &PgConnectOptions) -> StoreResult<()> {
    let mut conn = options.connect().await?;
    let result = run_migrations(&MIGRATOR, &mut conn).await;
    let _ = conn.close().await;
    result
}

/// Creating and dropping databases: for tests that want a fresh database
/// per run, and for `cashier migrate --create-database`.
pub mod admin {
    use super::*;

    fn check_name(name: &str) -> StoreResult<()> {
        let ok = !name.is_empty()
            && name.len() <= 63
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            && !name.as_bytes()[0].is_ascii_digit();
        if ok {
            Ok(())
        } else {
            Err(StoreError::Database(sqlx::Error::Configuration(
                format!("database name {name:?} must be [a-z_][a-z0-9_]*").into(),
            )))
        }
    }

    /// `url` with its database replaced by `name` (query kept).
    pub fn with_database(url: &str, name: &str) -> StoreResult<String> {
        let mut parsed = url::Url::parse(url)
            .map_err(|e| StoreError::Database(sqlx::Error::Configuration(Box::new(e))))?;
        parsed.set_path(&format!("/{name}"));
        Ok(parsed.into())
    }

    /// The database a URL names.
    pub fn database_name(url: &str) -> StoreResult<String> {
        let (options, _) = parse_url(url)?;
        options.get_database().map(str::to_string).ok_or_else(|| {
            StoreError::Database(sqlx::Error::Configuration(
                "the URL names no database".into(),
            ))
        })
    }

    async fn admin_connection(admin_url: &str) -> StoreResult<sqlx::PgConnection> {
        let (options, _) = parse_url(admin_url)?;
        Ok(options.connect().await?)
    }

    /// Creates database `name` through a connection to `admin_url` (any
    /// database on the server); returns `admin_url` pointed at it. False in
    /// the second position if it already existed.
    pub async fn create_database(admin_url: &str, name: &str) -> StoreResult<(String, bool)> {
        check_name(name)?;
        let mut conn = admin_connection(admin_url).await?;
        let created = match conn.execute(&*format!("CREATE DATABASE \"{name}\"")).await {
            Ok(_) => true,
            // 42P04 duplicate_database
            Err(sqlx::Error::Database(db)) if db.code().as_deref() == Some("42P04") => false,
            Err(e) => return Err(e.into()),
        };
        let _ = conn.close().await;
        Ok((with_database(admin_url, name)?, created))
    }

    /// Creates `cashier_t_<random>` next to `admin_url`'s database and
    /// returns its name and URL.
    pub async fn create_scratch_database(admin_url: &str) -> StoreResult<(String, String)> {
        let name = format!("cashier_t_{:016x}", rand::random::<u64>());
        let (url, _) = create_database(admin_url, &name).await?;
        Ok((name, url))
    }

    /// A database that exists for the life of this value: created fresh
    /// (`cashier_t_<random>`) next to an admin URL's database, dropped on
    /// drop — also when a test panics. For test harnesses.
    pub struct ScratchDatabase {
        pub name: String,
        /// Connection URL of the scratch database.
        pub url: String,
        admin_url: String,
    }

    impl ScratchDatabase {
        pub async fn create(admin_url: &str) -> StoreResult<ScratchDatabase> {
            let (name, url) = create_scratch_database(admin_url).await?;
            Ok(ScratchDatabase {
                name,
                url,
                admin_url: admin_url.to_string(),
            })
        }
    }

    impl Drop for ScratchDatabase {
        fn drop(&mut self) {
            let (url, name) = (self.admin_url.clone(), self.name.clone());
            // A thread and runtime of its own: drop may run inside a runtime
            // (where blocking on one is not allowed), during a panic, or
            // after the test's runtime is gone.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                if let Ok(rt) = rt {
                    if let Err(e) = rt.block_on(drop_database(&url, &name)) {
                        eprintln!("could not drop scratch database {name}: {e}");
                    }
                }
            })
            .join();
        }
    }

    /// Drops database `name`, disconnecting its sessions first.
    pub async fn drop_database(admin_url: &str, name: &str) -> StoreResult<()> {
        check_name(name)?;
        let mut conn = admin_connection(admin_url).await?;
        conn.execute(&*format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .await?;
        let _ = conn.close().await;
        Ok(())
    }
}

crate::rows::row_mappers!(PgRow);
