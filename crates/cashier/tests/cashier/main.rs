//! The integration tests of the real `cashier` binary, one test binary
//! (issue #19: one link instead of one per file). Each module is a suite;
//! run one with a name filter, e.g. `cargo test -p cashier --test cashier
//! durability::`.

mod common;

mod backup;
mod card_data;
mod cli;
mod crash;
mod dashboard_nodes;
mod demo;
mod deployment;
mod durability;
mod listen;
mod logs;
mod multi_node;
mod operations;
mod postgres_outage;
mod security;
mod upgrades;
mod user_cli;
