//! # cashier-protocol
//!
//! Everything about the Antom online-payments wire protocol that does not
//! need I/O: amounts and currency exponents ([`amount`]), settlement
//! conversion at a recorded rate ([`fx`]), result codes
//! ([`result`]), RSA signing and the signature header ([`signing`]), wire
//! datetimes ([`time`]), the JSON request/response types ([`wire`]) and the
//! validation that turns a request into a checked domain value ([`validate`]),
//! with the integration warnings it may carry ([`warnings`]).
//!
//! Both the gateway and the merchant SDK (`cashier-client`) build on this
//! crate, so a rule lives in exactly one place. See `docs/protocol.md`
//! for the contract this crate implements.

pub mod amount;
pub mod fx;
pub mod result;
pub mod signing;
pub mod time;
pub mod validate;
pub mod warnings;
pub mod wire;

pub use amount::{Amount, AmountError, Currency, WireAmount};
pub use result::{ResultCode, ResultStatus, WireResult};
pub use validate::Rejection;
pub use warnings::{IntegrationWarning, WarningRule};
