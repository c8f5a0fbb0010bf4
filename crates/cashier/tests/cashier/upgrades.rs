//! Schema upgrades (issue #20, point 2), through the real binary, on
//! SQLite always and on PostgreSQL too when `CASHIER_TEST_POSTGRES_URL` is
//! set; without it the `_on_postgres` tests are reported as ignored, with
//! the reason (see `build.rs`). (Several nodes racing to migrate an empty
//! database are in `multi_node.rs`.)
//!
//! - Data written at every earlier migration step is upgraded: a deployment
//!   of this build (a merchant, a paid and partly refunded payment, an open
//!   one, delivered notifications) is copied into a database migrated only
//!   up to step k — each table's rows with the columns that schema has, as
//!   an older Cashier would have left them — then `cashier migrate` and
//!   `serve` upgrade it, and the API reads it back and writes to it.
//! - A database whose schema is newer than this build knows (a newer
//!   Cashier upgraded it) is refused by `serve` and `migrate` with a clear
//!   message, and nothing in it changes.

use std::path::Path;
use std::time::Duration;

use cashier_client::{
    Amount, CancelPayment, Currency, InquiryPayment, InquiryRefund, PaymentStatus, RefundPayment,
    RefundStatus,
};
use serde_json::Value;
use sqlx::{Connection, Row};

const FUTURE: &str =
    "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
     VALUES (9999, 'from a newer Cashier', TRUE, x'00', 0)";
const VERSIONS: &str = "SELECT version FROM _sqlx_migrations ORDER BY version";

/// Runs `sql` on the database at `url`; the versions recorded after it.
async fn on_database(url: &str, sql: Option<&str>) -> Vec<i64> {
    if url.starts_with("postgres") {
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        if let Some(sql) = sql {
            // PostgreSQL spells the byte string differently.
            sqlx::query(&sql.replace("x'00'", "'\\x00'::bytea"))
                .execute(&mut c)
                .await
                .unwrap();
        }
        let rows = sqlx::query(VERSIONS).fetch_all(&mut c).await.unwrap();
        rows.iter().map(|r| r.get::<i64, _>(0)).collect()
    } else {
        let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
        if let Some(sql) = sql {
            sqlx::query(sql).execute(&mut c).await.unwrap();
        }
        let rows = sqlx::query(VERSIONS).fetch_all(&mut c).await.unwrap();
        rows.iter().map(|r| r.get::<i64, _>(0)).collect()
    }
}

async fn refuses_a_newer_schema(db_url: Option<&str>) {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let mut cmd = crate::common::cashier(db_url);
        cmd.args(args).arg("--data-dir").arg(dir.path());
        cmd.output().unwrap()
    };
    let out = run(&["migrate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = match db_url {
        Some(u) => u.to_string(),
        None => format!("sqlite://{}", dir.path().join("cashier.sqlite3").display()),
    };
    let known = on_database(&url, None).await;
    assert!(!known.is_empty());
    let newest = *known.last().unwrap();
    let with_future = on_database(&url, Some(FUTURE)).await;
    assert_eq!(with_future.last(), Some(&9999));

    for args in [&["migrate"][..], &["serve", "--listen", "127.0.0.1:0"][..]] {
        let out = run(args);
        assert!(!out.status.success(), "{args:?} must refuse");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("upgraded by a newer Cashier")
                && err.contains("9999")
                && err.contains(&format!("up to {newest}")),
            "{args:?}: {err}"
        );
    }
    assert_eq!(
        on_database(&url, None).await,
        with_future,
        "nothing was applied or removed"
    );
}

#[tokio::test]
async fn a_newer_schema_is_refused_on_sqlite() {
    refuses_a_newer_schema(None).await;
}

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set CASHIER_TEST_POSTGRES_URL"
)]
async fn a_newer_schema_is_refused_on_postgres() {
    let db = crate::common::scratch_database().await;
    refuses_a_newer_schema(Some(&db.url)).await;
}

// ------------------------------------------------------------ older schemas

/// The tables in the order their rows can be inserted (references first);
/// the others follow in name order.
const ORDER: [&str; 7] = [
    "merchants",
    "merchant_keys",
    "payments",
    "payment_attempts",
    "refunds",
    "notifications",
    "notification_attempts",
];

fn migrations_dir(backend: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../store/migrations")
        .join(backend)
}

/// The migrator of `backend` cut after its `k`-th migration: the schema an
/// older Cashier left behind.
async fn migrator_upto(backend: &str, k: usize) -> sqlx::migrate::Migrator {
    let mut m = sqlx::migrate::Migrator::new(migrations_dir(backend))
        .await
        .unwrap();
    m.migrations = std::borrow::Cow::Owned(m.migrations.iter().take(k).cloned().collect());
    m
}

fn ordered(mut tables: Vec<String>) -> Vec<String> {
    tables.retain(|t| !t.starts_with("_sqlx") && !t.starts_with("sqlite_"));
    tables.sort_by_key(|t| {
        (
            ORDER.iter().position(|o| o == t).unwrap_or(ORDER.len()),
            t.clone(),
        )
    });
    tables
}

/// Which rows of `table` an older Cashier could have had: no refund
/// notifications before there were refunds, no attempts of notifications
/// left out.
fn filter(table: &str, has_refunds: bool) -> &'static str {
    match table {
        "notifications" if !has_refunds => " WHERE kind = 'PAYMENT_RESULT'",
        "notification_attempts" if !has_refunds => {
            " WHERE notification_id IN (SELECT notification_id FROM notifications WHERE kind = 'PAYMENT_RESULT')"
        }
        _ => "",
    }
}

/// A data dir (and PostgreSQL database) at migration step `k` holding the
/// golden deployment's rows, as far as that schema has columns for them.
async fn older_copy(
    golden: &Golden,
    k: usize,
    dir: &Path,
) -> Option<crate::common::ScratchDatabase> {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::copy(
        golden.dir.path().join("gateway_key.pk8"),
        dir.join("gateway_key.pk8"),
    )
    .unwrap();
    match &golden.db {
        None => {
            let path = dir.join("cashier.sqlite3");
            let opts = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(&path)
                .create_if_missing(true);
            let mut c = sqlx::SqliteConnection::connect_with(&opts).await.unwrap();
            migrator_upto("sqlite", k).await.run(&mut c).await.unwrap();
            let g = golden.dir.path().join("cashier.sqlite3");
            sqlx::query(&format!("ATTACH DATABASE '{}' AS g", g.display()))
                .execute(&mut c)
                .await
                .unwrap();
            let names = |schema: &'static str| {
                format!("SELECT name FROM {schema}.sqlite_master WHERE type = 'table'")
            };
            let tables: Vec<String> = sqlx::query_scalar(&names("main"))
                .fetch_all(&mut c)
                .await
                .unwrap();
            let has_refunds = tables.iter().any(|t| t == "refunds");
            for t in ordered(tables) {
                let cols = |schema: &'static str| {
                    format!("SELECT name FROM pragma_table_info('{t}', '{schema}')")
                };
                let here: Vec<String> = sqlx::query_scalar(&cols("main"))
                    .fetch_all(&mut c)
                    .await
                    .unwrap();
                let there: Vec<String> = sqlx::query_scalar(&cols("g"))
                    .fetch_all(&mut c)
                    .await
                    .unwrap();
                let common: Vec<&String> = here
                    .iter()
                    .filter(|n| *n != "id" && there.contains(n))
                    .collect();
                if common.is_empty() {
                    continue;
                }
                let list = common
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                let sql = format!(
                    "INSERT INTO main.{t} ({list}) SELECT {list} FROM g.{t}{}",
                    filter(&t, has_refunds)
                        .replace("FROM notifications", "FROM main.notifications")
                );
                sqlx::query(&sql).execute(&mut c).await.unwrap();
            }
            None
        }
        Some(g) => {
            let db = crate::common::scratch_database().await;
            let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
            migrator_upto("postgres", k)
                .await
                .run(&mut c)
                .await
                .unwrap();
            let mut src = sqlx::PgConnection::connect(&g.url).await.unwrap();
            let tables_sql = "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'";
            let tables: Vec<String> = sqlx::query_scalar(tables_sql)
                .fetch_all(&mut c)
                .await
                .unwrap();
            let has_refunds = tables.iter().any(|t| t == "refunds");
            let cols_sql = "SELECT column_name::text FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1";
            for t in ordered(tables) {
                let here: Vec<String> = sqlx::query_scalar(cols_sql)
                    .bind(&t)
                    .fetch_all(&mut c)
                    .await
                    .unwrap();
                let there: Vec<String> = sqlx::query_scalar(cols_sql)
                    .bind(&t)
                    .fetch_all(&mut src)
                    .await
                    .unwrap();
                let common: Vec<&String> = here
                    .iter()
                    .filter(|n| *n != "id" && there.contains(n))
                    .collect();
                if common.is_empty() {
                    continue;
                }
                let list = common
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                let order = if there.iter().any(|n| n == "id") {
                    " ORDER BY id"
                } else {
                    ""
                };
                let rows: Vec<String> = sqlx::query_scalar(&format!(
                    "SELECT row_to_json(r)::text FROM (SELECT {list} FROM {t}{}{order}) r",
                    filter(&t, has_refunds)
                ))
                .fetch_all(&mut src)
                .await
                .unwrap();
                for row in rows {
                    sqlx::query(&format!(
                        "INSERT INTO {t} ({list}) SELECT {list} FROM json_populate_record(NULL::{t}, $1::json)"
                    ))
                    .bind(row)
                    .execute(&mut c)
                    .await
                    .unwrap();
                }
            }
            Some(db)
        }
    }
}

/// A deployment of the current build with a merchant, a paid and partly
/// refunded payment, an open one, and delivered notifications.
struct Golden {
    dir: tempfile::TempDir,
    db: Option<crate::common::ScratchDatabase>,
    merchant: Value,
    open_page: String,
    paid_id: String,
    refund_id: String,
}

async fn golden(on_postgres: bool) -> Golden {
    let db = if on_postgres {
        Some(crate::common::scratch_database().await)
    } else {
        None
    };
    let url = db.as_ref().map(|d| d.url.clone());
    let dir = tempfile::tempdir().unwrap();
    let merchant = crate::common::merchant_create(
        crate::common::cashier(url.as_deref()),
        "Old Shop",
        Some(dir.path()),
        &[],
    );
    let (mut server, base) = crate::common::serve(
        url.as_deref(),
        dir.path(),
        &["--sandbox-simulation", "--allow-private-notify"],
    )
    .await;
    let (endpoint, notify_url) =
        crate::common::Endpoint::start(merchant["gatewayPublicKey"].as_str().unwrap()).await;
    let client = crate::common::merchant_client(&base, &merchant);
    let sgd = Currency::from_code("SGD").unwrap();
    let http = reqwest::Client::new();
    let id = merchant["clientId"].as_str().unwrap();
    client
        .send(&crate::common::session("PAID-1", &notify_url))
        .await
        .unwrap();
    let paid = crate::common::simulated(&http, &base, id, "PAID-1", "SUCCESS").await;
    let paid_id = paid["paymentId"].as_str().unwrap().to_string();
    let refund = client
        .send(&RefundPayment::new("RF-1", &paid_id, Amount::new(sgd, 400)).notify_url(&notify_url))
        .await
        .unwrap();
    let open = client
        .send(&crate::common::session("OPEN-1", &notify_url))
        .await
        .unwrap();
    let delivered = crate::common::eventually(Duration::from_secs(20), || async {
        let n: usize = endpoint
            .ledger
            .lock()
            .unwrap()
            .deliveries
            .values()
            .map(Vec::len)
            .sum();
        (n >= 2).then_some(n)
    })
    .await;
    assert!(
        delivered.is_some(),
        "the payment and refund notifications are delivered"
    );
    server.kill();
    Golden {
        dir,
        db,
        merchant,
        open_page: reqwest::Url::parse(&open.normal_url)
            .unwrap()
            .path()
            .to_string(),
        paid_id,
        refund_id: refund.refund_id,
    }
}

/// Upgrades a copy of `golden` at every earlier migration step with the
/// real binary and checks its data through the API.
async fn upgrades_every_step(golden: Golden) {
    let backend = if golden.db.is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    let steps = migrator_upto(backend, usize::MAX).await.migrations.len();
    let sgd = Currency::from_code("SGD").unwrap();
    for k in 1..steps {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(format!("step-{k}"));
        let db = older_copy(&golden, k, &dir).await;
        let url = db.as_ref().map(|d| d.url.as_str());
        let has_refunds = k >= 2;
        let out = crate::common::cashier(url)
            .arg("migrate")
            .arg("--data-dir")
            .arg(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "step {k}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (mut server, base) = crate::common::serve(url, &dir, &["--sandbox-simulation"]).await;
        let client = crate::common::merchant_client(&base, &golden.merchant);

        let paid = client
            .send(&InquiryPayment::by_request_id("PAID-1"))
            .await
            .unwrap_or_else(|e| panic!("step {k}: the paid payment reads back: {e}"));
        assert_eq!(paid.status, PaymentStatus::Success, "step {k}");
        assert_eq!(paid.payment_id, golden.paid_id, "step {k}");
        assert_eq!(paid.amount, Amount::new(sgd, 1000), "step {k}");
        let refunds: Vec<String> = paid
            .transactions
            .iter()
            .filter_map(|t| t.id.clone())
            .collect();
        if has_refunds {
            assert_eq!(refunds, std::slice::from_ref(&golden.refund_id), "step {k}");
            let r = client
                .send(&InquiryRefund::by_refund_id(&golden.refund_id))
                .await
                .unwrap();
            assert_eq!(r.status, RefundStatus::Success, "step {k}");
        } else {
            assert!(refunds.is_empty(), "step {k}: {refunds:?}");
        }
        // The upgraded rows take new writes: another refund, a cancel, a new session.
        let more = client
            .send(&RefundPayment::new(
                format!("RF-STEP-{k}"),
                &golden.paid_id,
                Amount::new(sgd, 100),
            ))
            .await
            .unwrap_or_else(|e| panic!("step {k}: refund after the upgrade: {e}"));
        assert_eq!(more.amount, Amount::new(sgd, 100));
        let page = reqwest::get(format!("{base}{}", golden.open_page))
            .await
            .unwrap();
        assert_eq!(
            page.status(),
            200,
            "step {k}: the open checkout page still opens"
        );
        assert!(page.text().await.unwrap().contains("10.00"), "step {k}");
        client
            .send(&CancelPayment::by_request_id("OPEN-1"))
            .await
            .unwrap_or_else(|e| panic!("step {k}: cancel after the upgrade: {e}"));
        client
            .send(&crate::common::session(
                "NEW-1",
                "https://shop.example/notify",
            ))
            .await
            .unwrap_or_else(|e| panic!("step {k}: a new session after the upgrade: {e}"));
        server.kill();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_of_every_older_schema_is_upgraded_on_sqlite() {
    upgrades_every_step(golden(false).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set CASHIER_TEST_POSTGRES_URL"
)]
async fn data_of_every_older_schema_is_upgraded_on_postgres() {
    upgrades_every_step(golden(true).await).await;
}
