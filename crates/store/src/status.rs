//! The payment state machine of docs/protocol.md §5.6, in one place.
//!
//! ```text
//! PROCESSING ──► SUCCESS | FAIL | CANCELLED | PENDING
//! PENDING    ──► SUCCESS | FAIL | CANCELLED
//! SUCCESS    ──► CANCELLED   (inside the cancel window, no refunds)
//! FAIL, CANCELLED: final, never change
//! ```
//!
//! Every state change in the store is a compare-and-set whose expected states
//! come from [`PaymentStatus::may_become`], so no code path can move a payment
//! along an edge that is not in this table.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaymentStatus {
    Processing,
    Pending,
    Success,
    Fail,
    Cancelled,
}

/// `'A', 'B'`: states as a SQL list, for the statements whose state
/// conditions this table owns (the names are fixed identifiers, never input).
pub fn sql_list<I: IntoIterator<Item = &'static str>>(names: I) -> String {
    names
        .into_iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl PaymentStatus {
    pub const ALL: [PaymentStatus; 5] = [
        PaymentStatus::Processing,
        PaymentStatus::Pending,
        PaymentStatus::Success,
        PaymentStatus::Fail,
        PaymentStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Processing => "PROCESSING",
            PaymentStatus::Pending => "PENDING",
            PaymentStatus::Success => "SUCCESS",
            PaymentStatus::Fail => "FAIL",
            PaymentStatus::Cancelled => "CANCELLED",
        }
    }

    /// The transition table: may a payment in `self` move to `next`?
    pub fn may_become(self, next: PaymentStatus) -> bool {
        use PaymentStatus::*;
        matches!(
            (self, next),
            (Processing, Pending)
                | (Processing, Success)
                | (Processing, Fail)
                | (Processing, Cancelled)
                | (Pending, Success)
                | (Pending, Fail)
                | (Pending, Cancelled)
                | (Success, Cancelled)
        )
    }

    /// The states from which `next` is reachable: the `WHERE status IN (...)`
    /// of the compare-and-set that performs the change.
    pub fn sources_of(next: PaymentStatus) -> Vec<PaymentStatus> {
        PaymentStatus::ALL
            .into_iter()
            .filter(|s| s.may_become(next))
            .collect()
    }

    /// Unpaid and still payable by the buyer.
    pub const OPEN: [PaymentStatus; 1] = [PaymentStatus::Processing];

    /// Paid, so refunds may be taken from it.
    pub const REFUNDABLE: [PaymentStatus; 1] = [PaymentStatus::Success];

    /// One of [`PaymentStatus::OPEN`].
    pub fn is_open(self) -> bool {
        PaymentStatus::OPEN.contains(&self)
    }

    /// No further change except cancel-after-success.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            PaymentStatus::Success | PaymentStatus::Fail | PaymentStatus::Cancelled
        )
    }
}

impl fmt::Display for PaymentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown payment status {0:?}")]
pub struct UnknownStatus(pub String);

impl FromStr for PaymentStatus {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PaymentStatus::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| UnknownStatus(s.to_string()))
    }
}

/// The state of one buyer attempt on the hosted page. A payment has many
/// attempts; at most one of them ever becomes `Succeeded`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttemptState {
    /// Received; its outcome is being applied.
    Submitted,
    /// Waiting for the 3-D Secure challenge.
    Challenge,
    /// Waiting for the buyer to act in the (sandbox) wallet.
    Wallet,
    /// Submitted; the processor settles it later (async card, pending wallet).
    Async,
    Succeeded,
    /// Declined; the buyer may try again.
    Declined,
    /// Declined for good; the payment failed with it.
    Rejected,
    /// The processor approved but the payment was already final: nothing charged.
    NotCharged,
}

impl AttemptState {
    pub const ALL: [AttemptState; 8] = [
        AttemptState::Submitted,
        AttemptState::Challenge,
        AttemptState::Wallet,
        AttemptState::Async,
        AttemptState::Succeeded,
        AttemptState::Declined,
        AttemptState::Rejected,
        AttemptState::NotCharged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AttemptState::Submitted => "SUBMITTED",
            AttemptState::Challenge => "CHALLENGE",
            AttemptState::Wallet => "WALLET",
            AttemptState::Async => "ASYNC",
            AttemptState::Succeeded => "SUCCEEDED",
            AttemptState::Declined => "DECLINED",
            AttemptState::Rejected => "REJECTED",
            AttemptState::NotCharged => "NOT_CHARGED",
        }
    }

    pub const OPEN: [AttemptState; 4] = [
        AttemptState::Submitted,
        AttemptState::Challenge,
        AttemptState::Wallet,
        AttemptState::Async,
    ];

    /// Still waiting for an outcome: one of [`AttemptState::OPEN`].
    pub fn is_open(self) -> bool {
        AttemptState::OPEN.contains(&self)
    }
}

impl FromStr for AttemptState {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AttemptState::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| UnknownStatus(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::PaymentStatus::*;
    use super::*;

    #[test]
    fn the_transition_table_is_exactly_the_protocol_one() {
        let allowed = [
            (Processing, Pending),
            (Processing, Success),
            (Processing, Fail),
            (Processing, Cancelled),
            (Pending, Success),
            (Pending, Fail),
            (Pending, Cancelled),
            (Success, Cancelled),
        ];
        for from in PaymentStatus::ALL {
            for to in PaymentStatus::ALL {
                assert_eq!(
                    from.may_become(to),
                    allowed.contains(&(from, to)),
                    "{from} -> {to}"
                );
            }
        }
    }

    #[test]
    fn fail_and_cancelled_never_change() {
        for to in PaymentStatus::ALL {
            assert!(!Fail.may_become(to));
            assert!(!Cancelled.may_become(to));
        }
    }

    #[test]
    fn sql_lists_quote_the_tables_names() {
        assert_eq!(
            sql_list(AttemptState::OPEN.map(AttemptState::as_str)),
            "'SUBMITTED', 'CHALLENGE', 'WALLET', 'ASYNC'"
        );
        assert_eq!(
            sql_list(PaymentStatus::OPEN.map(PaymentStatus::as_str)),
            "'PROCESSING'"
        );
        assert!(PaymentStatus::OPEN.iter().all(|s| !s.is_final()));
        assert!(PaymentStatus::REFUNDABLE
            .iter()
            .all(|s| s.may_become(Cancelled)));
    }

    #[test]
    fn sources_are_derived_from_the_table() {
        assert_eq!(
            PaymentStatus::sources_of(Success),
            vec![Processing, Pending]
        );
        assert_eq!(
            PaymentStatus::sources_of(Cancelled),
            vec![Processing, Pending, Success]
        );
        assert!(PaymentStatus::sources_of(Processing).is_empty());
    }

    #[test]
    fn names_round_trip() {
        for s in PaymentStatus::ALL {
            assert_eq!(s.as_str().parse::<PaymentStatus>().unwrap(), s);
        }
        for s in AttemptState::ALL {
            assert_eq!(s.as_str().parse::<AttemptState>().unwrap(), s);
        }
        assert!("NOPE".parse::<PaymentStatus>().is_err());
    }
}
