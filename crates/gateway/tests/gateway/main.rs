//! The gateway's integration tests, one test binary (issue #19: one link of
//! the gateway instead of one per file). Each module is a suite that drives
//! the real server over HTTP through `common::TestApp`; run one with a name
//! filter, e.g. `cargo test -p cashier-gateway --test gateway dashboard::`.
//! The store conformance suite is the store crate's
//! (`crates/store/tests/store_conformance`).

mod common;

mod after_payment;
mod bad_input;
mod concurrency;
mod dashboard;
mod guide_fidelity;
mod hosted_page;
mod hostile;
mod method_families;
mod model;
mod observability;
mod payment_flow;
mod reports;
mod sandbox_clocks;
