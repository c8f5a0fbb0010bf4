//! Direct SQL into the store's tables (schema: crates/store/migrations):
//! `--preload N` fills `payments` with N finished payments before the
//! gateway starts, to measure growth; the notification scenario queues N
//! due `notifications` rows at once, so the dispatcher's throughput is
//! measured alone. Rows are generated inside the database
//! (`generate_series` on PostgreSQL, a recursive CTE on SQLite) in chunks,
//! which is far faster than inserting them one by one.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::Connection;

/// A connection to the gateway's database for the harness's own SQL.
pub enum Db {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

impl Db {
    pub async fn connect(url: &str) -> Result<Db> {
        if url.starts_with("sqlite:") {
            let path = url.trim_start_matches("sqlite://");
            let options = SqliteConnectOptions::new()
                .filename(path)
                .busy_timeout(Duration::from_secs(60));
            Ok(Db::Sqlite(
                sqlx::SqliteConnection::connect_with(&options)
                    .await
                    .with_context(|| format!("opening {path}"))?,
            ))
        } else {
            Ok(Db::Postgres(
                sqlx::PgConnection::connect(url)
                    .await
                    .context("connecting to PostgreSQL")?,
            ))
        }
    }

    async fn exec(&mut self, sql_sqlite: &str, sql_pg: &str, binds: &[Bind<'_>]) -> Result<u64> {
        Ok(match self {
            Db::Sqlite(c) => {
                let mut q = sqlx::query(sql_sqlite);
                for b in binds {
                    q = match b {
                        Bind::I(v) => q.bind(*v),
                        Bind::S(v) => q.bind(*v),
                    };
                }
                q.execute(&mut *c).await?.rows_affected()
            }
            Db::Postgres(c) => {
                let mut q = sqlx::query(sql_pg);
                for b in binds {
                    q = match b {
                        Bind::I(v) => q.bind(*v),
                        Bind::S(v) => q.bind(*v),
                    };
                }
                q.execute(&mut *c).await?.rows_affected()
            }
        })
    }

    async fn count(&mut self, sql_sqlite: &str, sql_pg: &str, bind: &str) -> Result<i64> {
        use sqlx::Row;
        Ok(match self {
            Db::Sqlite(c) => sqlx::query(sql_sqlite)
                .bind(bind)
                .fetch_one(&mut *c)
                .await?
                .try_get(0)?,
            Db::Postgres(c) => sqlx::query(sql_pg)
                .bind(bind)
                .fetch_one(&mut *c)
                .await?
                .try_get(0)?,
        })
    }
}

enum Bind<'a> {
    I(i64),
    S(&'a str),
}

const PAYMENT_COLUMNS: &str =
    "payment_id, client_id, payment_request_id, fingerprint, status, result_code,
    result_message, currency, amount_minor, reference_order_id, order_description, goods_json,
    buyer_reference_id, redirect_url, notify_url, locale, terminal_type, methods_json,
    preselected_method, session_id, session_data, checkout_token, session_expires_at,
    payment_method_type, card_brand, card_last4, created_at, paid_at, closed_at, updated_at";

/// The generated values of row `g`, with `?`/`$n` placeholders for the
/// client id (1) and the time base (2). Payments are finished (`SUCCESS`,
/// card) and 40–63 days old, so neither the expiry sweep nor the report
/// catch-up (last 7 days) touches them during the run.
fn payment_values(p: &dyn Fn(u8) -> String) -> String {
    let (c, t) = (p(1), p(2));
    format!(
        "'PRE' || g, {c}, 'preload-' || g, 'preload', 'SUCCESS', 'SUCCESS',
         'Success.', 'SGD', 6000, 'ORDER-preload-' || g, 'Preloaded payment', '[]',
         NULL, 'https://merchant.example.com/return', NULL, NULL, 'WEB', '[\"CARD\"]',
         NULL, 'PRESESS' || g, 'preloaded', 'pretok' || g, {t} - g * 2000 + 3600000,
         'CARD', 'VISA', '4242', {t} - g * 2000, {t} - g * 2000 + 5000, NULL, {t} - g * 2000 + 5000"
    )
}

/// Inserts `n` finished payments for `client_id`, in chunks; calls
/// `progress(done)` after each chunk.
pub async fn payments(
    db: &mut Db,
    client_id: &str,
    n: u64,
    progress: impl Fn(u64),
) -> Result<Duration> {
    let started = Instant::now();
    let base = chrono::Utc::now().timestamp_millis() - 40 * 86_400_000;
    const CHUNK: u64 = 50_000;
    let sqlite = format!(
        "WITH RECURSIVE s(g) AS (SELECT ?1 UNION ALL SELECT g + 1 FROM s WHERE g < ?2)
         INSERT INTO payments ({PAYMENT_COLUMNS}) SELECT {} FROM s",
        payment_values(&|i| if i == 1 { "?3".into() } else { "?4".into() })
    );
    let pg = format!(
        "INSERT INTO payments ({PAYMENT_COLUMNS})
         SELECT {} FROM generate_series($1::bigint, $2::bigint) AS g",
        payment_values(&|i| if i == 1 {
            "$3::text".into()
        } else {
            "$4::bigint".into()
        })
    );
    let mut done = 0;
    while done < n {
        let end = (done + CHUNK).min(n);
        db.exec(
            &sqlite,
            &pg,
            &[
                Bind::I(done as i64 + 1),
                Bind::I(end as i64),
                Bind::S(client_id),
                Bind::I(base),
            ],
        )
        .await
        .context("bulk insert of payments")?;
        done = end;
        progress(done);
    }
    if let Db::Postgres(_) = db {
        db.exec("", "ANALYZE payments", &[]).await?;
    }
    Ok(started.elapsed())
}

/// Queues `n` due `PAYMENT_RESULT` notifications to `url`; their ids and
/// paymentRequestIds start with `prefix`.
pub async fn notifications(
    db: &mut Db,
    client_id: &str,
    url: &str,
    prefix: &str,
    n: u64,
) -> Result<()> {
    let now = chrono::Utc::now().timestamp_millis();
    let body = |p: &dyn Fn(u8) -> String| {
        format!(
            "'{{\"notifyType\":\"PAYMENT_RESULT\",\"result\":{{\"resultCode\":\"SUCCESS\",\"resultStatus\":\"S\",\"resultMessage\":\"success\"}},\"paymentRequestId\":\"' || {} || g || '\",\"paymentId\":\"' || {} || 'p' || g || '\",\"paymentAmount\":{{\"currency\":\"SGD\",\"value\":\"6000\"}},\"paymentMethodType\":\"CARD\"}}'",
            p(4),
            p(4)
        )
    };
    let values = |p: &dyn Fn(u8) -> String| {
        format!(
            "{pre} || g, {c}, 'PAYMENT_RESULT', {pre} || 'p' || g, {pre} || 'p' || g, {u}, {b}, 'PENDING', 0, {t}, {t}",
            pre = p(4),
            c = p(3),
            u = p(5),
            b = body(p),
            t = p(6)
        )
    };
    let cols = "notification_id, client_id, kind, subject_id, payment_id, url, body, status, attempts, next_attempt_at, created_at";
    let sqlite = format!(
        "WITH RECURSIVE s(g) AS (SELECT ?1 UNION ALL SELECT g + 1 FROM s WHERE g < ?2)
         INSERT INTO notifications ({cols}) SELECT {} FROM s",
        values(&|i| format!("?{i}"))
    );
    let pg = format!(
        "INSERT INTO notifications ({cols})
         SELECT {} FROM generate_series($1::bigint, $2::bigint) AS g",
        values(&|i| match i {
            6 => "$6::bigint".into(),
            i => format!("${i}::text"),
        })
    );
    db.exec(
        &sqlite,
        &pg,
        &[
            Bind::I(1),
            Bind::I(n as i64),
            Bind::S(client_id),
            Bind::S(prefix),
            Bind::S(url),
            Bind::I(now),
        ],
    )
    .await
    .context("queueing notifications")?;
    Ok(())
}

/// How many of the notifications with ids starting with `prefix` are
/// `DELIVERED` in the store.
pub async fn delivered(db: &mut Db, prefix: &str) -> Result<i64> {
    db.count(
        "SELECT COUNT(*) FROM notifications WHERE status = 'DELIVERED' AND substr(notification_id, 1, length(?1)) = ?1",
        "SELECT COUNT(*) FROM notifications WHERE status = 'DELIVERED' AND starts_with(notification_id, $1)",
        prefix,
    )
    .await
}
