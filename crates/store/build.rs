//! Tells the tests whether PostgreSQL is configured: with
//! `CASHIER_TEST_POSTGRES_URL` set at build time, `cfg(postgres_tests)` is on
//! and the PostgreSQL tests run; without it they are reported as ignored,
//! with the reason, instead of passing without running.
fn main() {
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    println!("cargo::rerun-if-env-changed=CASHIER_TEST_POSTGRES_URL");
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var_os("CASHIER_TEST_POSTGRES_URL").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=postgres_tests");
    }
}
