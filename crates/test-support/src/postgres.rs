//! Scratch PostgreSQL databases for the tests that run on PostgreSQL.

pub use cashier_store::postgres::admin::ScratchDatabase;

/// A fresh database through the admin connection `CASHIER_TEST_POSTGRES_URL`
/// (dropped with the value). Only for tests that need PostgreSQL and are
/// ignored, visibly, when that variable was unset at build time
/// (`cfg(postgres_tests)`, set by the crate's build script).
pub async fn scratch_database() -> ScratchDatabase {
    let admin = std::env::var("CASHIER_TEST_POSTGRES_URL").expect("CASHIER_TEST_POSTGRES_URL");
    ScratchDatabase::create(&admin)
        .await
        .unwrap_or_else(|e| panic!("CASHIER_TEST_POSTGRES_URL={admin} is unusable: {e}"))
}

/// The backend a suite runs on: SQLite (`None`) by default; a fresh
/// PostgreSQL database when `CASHIER_TEST_STORE=postgres` (which then
/// requires `CASHIER_TEST_POSTGRES_URL`, the admin connection it is created
/// through).
pub async fn test_database() -> Option<ScratchDatabase> {
    match std::env::var("CASHIER_TEST_STORE").as_deref() {
        Ok("postgres") => {}
        Ok("sqlite") | Ok("") | Err(_) => return None,
        Ok(other) => panic!("CASHIER_TEST_STORE={other:?}: use sqlite or postgres"),
    }
    let admin = std::env::var("CASHIER_TEST_POSTGRES_URL")
        .expect("CASHIER_TEST_STORE=postgres needs CASHIER_TEST_POSTGRES_URL");
    Some(
        ScratchDatabase::create(&admin)
            .await
            .unwrap_or_else(|e| panic!("cannot create a test database through {admin}: {e}")),
    )
}
