//! Schema upgrades (issue #20, point 2), through the real binary: a
//! database whose schema is newer than this build knows (a newer Cashier
//! upgraded it) is refused by `serve` and `migrate` with a clear message,
//! and nothing in it changes. SQLite always; PostgreSQL too when
//! `CASHIER_TEST_POSTGRES_URL` is set. (Several nodes racing to migrate an
//! empty database are in `multi_node.rs`.)

mod common;

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
        let mut cmd = common::cashier(db_url);
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
async fn a_newer_schema_is_refused_on_postgres() {
    let Ok(admin) = std::env::var("CASHIER_TEST_POSTGRES_URL") else {
        eprintln!("CASHIER_TEST_POSTGRES_URL is not set: the PostgreSQL run is skipped");
        return;
    };
    let db = cashier_gateway::store::postgres::admin::ScratchDatabase::create(&admin)
        .await
        .expect("a scratch database");
    refuses_a_newer_schema(Some(&db.url)).await;
}
