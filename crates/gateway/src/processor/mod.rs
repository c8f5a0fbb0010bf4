//! Payment-method backends behind one trait.
//!
//! The hosted page and the API never decide whether money moves; they ask a
//! [`Processor`]. Cashier ships one, [`sandbox::SandboxProcessor`], which
//! answers from the documented test credentials (docs/protocol.md §9.4). A real
//! acquirer connection would be another implementation of the same trait.

pub mod card;
pub mod journeys;
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

/// What the issuer and the 3-D Secure server reported besides yes or no:
/// the facts a merchant reads in `paymentResultInfo`. Nothing here is
/// guessed: a processor that does not know a fact leaves it `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardReport {
    /// `CREDIT`, `DEBIT` or `PREPAID`.
    pub funding: Option<&'static str>,
    /// ISO 3166 alpha-2.
    pub issuing_country: Option<&'static str>,
    pub issuer_name: Option<&'static str>,
    /// The security-code check: `M` matched, `N` did not.
    pub cvv_result: Option<&'static str>,
    /// The issuer's refusal: network response code and its reason.
    pub refusal: Option<(&'static str, &'static str)>,
    pub three_ds: Option<ThreeDs>,
}

/// How a 3-D Secure authentication went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreeDs {
    /// Authenticated without showing the buyer anything.
    Frictionless,
    /// Authenticated after the buyer completed a challenge.
    Challenged,
    /// Not authenticated; `challenged` tells whether a challenge was shown.
    Failed { challenged: bool },
}

/// A card authorisation's outcome and what came with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    pub outcome: CardOutcome,
    pub report: CardReport,
}

impl Authorization {
    /// An outcome with nothing reported besides it.
    pub fn bare(outcome: CardOutcome) -> Authorization {
        Authorization {
            outcome,
            report: CardReport::default(),
        }
    }
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
    fn authorize_card(&self, card: &CardInput, amount: Amount) -> Authorization;
    /// Returns money to the buyer. `reason` is the merchant's refundReason.
    fn refund(&self, amount: Amount, reason: Option<&str>) -> RefundOutcome;
    /// Outcome of a completed or failed 3-D Secure challenge. The report
    /// carries the authentication; what the first authorisation reported
    /// of the card stays with the attempt.
    fn complete_challenge(&self, passed: bool) -> Authorization {
        let (outcome, three_ds) = if passed {
            (CardOutcome::Approved, ThreeDs::Challenged)
        } else {
            (
                CardOutcome::Declined(ResultCode::ISSUER_REJECTS_TRANSACTION, THREE_DS_FAILED),
                ThreeDs::Failed { challenged: true },
            )
        };
        Authorization {
            outcome,
            report: CardReport {
                three_ds: Some(three_ds),
                ..CardReport::default()
            },
        }
    }
}
