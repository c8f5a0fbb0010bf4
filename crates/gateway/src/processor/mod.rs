//! Payment-method backends behind one trait.
//!
//! The hosted page and the API never decide whether money moves; they ask a
//! [`Processor`]. Cashier ships one, [`sandbox::SandboxProcessor`], which
//! answers from the documented test credentials (DESIGN.md §6). A real
//! acquirer connection would be another implementation of the same trait.

pub mod card;
pub mod methods;
pub mod sandbox;

use cashier_protocol::{Amount, ResultCode};

pub use card::{CardError, CardInput};
pub use methods::{MethodInfo, MethodKind};

/// What a card authorisation attempt produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardOutcome {
    Approved,
    /// The attempt failed; the buyer may try again.
    Declined(ResultCode, &'static str),
    /// The payment fails for good (e.g. risk rejection).
    Rejected(ResultCode, &'static str),
    /// A 3-D Secure challenge must be completed first.
    Challenge,
    /// Accepted; the result arrives later.
    Async,
}

/// The decline message of a failed 3-D Secure challenge.
pub const THREE_DS_FAILED: &str = "3-D Secure authentication failed.";

/// What the buyer chose in the (sandbox) wallet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalletDecision {
    Approve,
    Decline,
    LeavePending,
}

/// What a refund request produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundOutcome {
    Succeeded,
    Failed(ResultCode, &'static str),
    /// Accepted; settles later (`REFUND_IN_PROCESS`).
    Async,
}

pub trait Processor: Send + Sync + 'static {
    fn authorize_card(&self, card: &CardInput, amount: Amount) -> CardOutcome;
    /// Returns money to the buyer. `reason` is the merchant's refundReason.
    fn refund(&self, amount: Amount, reason: Option<&str>) -> RefundOutcome;
    /// Outcome of a completed or failed 3-D Secure challenge.
    fn complete_challenge(&self, passed: bool) -> CardOutcome {
        if passed {
            CardOutcome::Approved
        } else {
            CardOutcome::Declined(ResultCode::ISSUER_REJECTS_TRANSACTION, THREE_DS_FAILED)
        }
    }
}
