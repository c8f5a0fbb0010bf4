//! # cashier-gateway
//!
//! The Cashier server as a library: an Antom-compatible payments API, the
//! hosted checkout page, the sandbox processor and the notification outbox.
//! `cashier serve` and every integration test start it the same way, through
//! [`app::Application`].
//!
//! Map (see ARCHITECTURE.md for the invariants):
//! - [`api`]: `/ams/...` — authentication, response signing, one module per operation
//! - [`payments`]: the domain — sessions, attempts, the state machine, final outcomes
//! - [`checkout`]: the buyer's pages (rendering lives in `cashier-pages`)
//! - [`dashboard`]: the merchant dashboard under `/dashboard` (accounts, payments)
//! - [`processor`]: payment-method backends; the built-in sandbox
//! - [`notify`]: outbox dispatcher for notifyPayment and notifyRefund
//! - [`openapi`]: `GET /openapi.json`, generated from the wire types
//! - [`reports`]: daily reconciliation reports (CSV), automatic and on demand
//! - [`store`]: the `Store` traits; SQLite (embedded) and PostgreSQL (multi-node) implementations
//!   (the `cashier-store` crate, re-exported under its old path)
//! - [`workers`]: expiry, asynchronous settlement and report generation sweeps
//! - [`status`]: the payment state machine table (in `cashier-store`); [`metrics`] / [`telemetry`]: the
//!   registry and its HTTP side; [`api_log`]: the API request log's buffer
//! - [`merchant_cache`]: merchants and keys cached per node, and each merchant's clock
//! - [`config`], [`clock`], [`keys`], [`ids`], [`state`] (what the web layers share; the
//!   domain takes narrow ports instead: [`payments::Ports`], [`notify::Dispatcher`]), [`error`]

pub mod api;
pub mod api_log;
pub mod app;
pub mod backup;
pub mod checkout;
pub mod client_addr;
pub mod clock;
pub mod config;
pub mod conn;
pub mod dashboard;
pub mod error;
pub mod files;
pub mod ids;
pub mod keys;
pub mod merchant_cache;
pub mod merchants;
pub mod metrics;
pub mod notify;
pub mod openapi;
pub mod payments;
pub mod processor;
pub mod ratelimit;
pub mod reports;
pub mod sandbox;
pub mod settlement;
pub mod state;
pub mod telemetry;
pub mod workers;

pub use app::Application;
/// Persistence: its own crate, so the compiler keeps it from naming any
/// module of the gateway and a change in the gateway does not recompile it;
/// re-exported so `crate::store::...` and `cashier_gateway::store::...` keep
/// their meaning.
pub use cashier_store as store;
/// The payment state machine table, below both the domain (as
/// `payments::state`) and the store.
pub use cashier_store::status;
pub use config::Config;

#[cfg(test)]
mod architecture;
#[cfg(test)]
mod doc_references;
