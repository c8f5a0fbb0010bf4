//! The SDK against the real gateway, one test binary (issue #19: one link
//! instead of one per file). Run one suite with a name filter, e.g.
//! `cargo test -p cashier-client --test client keys::`; the axum extractor's
//! suite is built with the `axum` feature only (`cargo test -p cashier-client
//! --features axum --test client axum_extractor::`).

mod common;

mod api;
#[cfg(feature = "axum")]
mod axum_extractor;
mod errors;
mod keys;
mod notifications;
