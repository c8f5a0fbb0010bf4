//! What the shop remembers, in memory: browser sessions (cart and CSRF
//! token) and orders (lines, payment outcome, refunds).
//!
//! In memory because this is a demo: a restart forgets the orders (the
//! gateway still has the payments). A real shop keeps orders in its database
//! and updates them from the same three sources used here: the
//! createPaymentSession response, verified notifications, and inquiries.
//! Everything sits behind one `std::sync::Mutex` that is never held across an
//! `.await`.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

/// Most browser sessions kept at once; the least recently seen goes first.
pub const MAX_SESSIONS: usize = 10_000;
/// Most orders kept at once; checkout is refused beyond (demo memory bound).
pub const MAX_ORDERS: usize = 100_000;
/// Largest quantity of one product in the cart.
pub const MAX_QUANTITY: u32 = 99;

/// One browser, identified by an HttpOnly cookie holding a random token.
#[derive(Debug)]
pub struct Session {
    /// Synchronizer token every form of this session must echo back.
    pub csrf: String,
    /// Sent as `order.buyer.referenceBuyerId` (never the session token).
    pub buyer_id: String,
    /// product id → quantity.
    pub cart: BTreeMap<&'static str, u32>,
    /// A one-time message for the next page (e.g. a refund result).
    pub flash: Option<Flash>,
    pub last_seen: Instant,
}

impl Session {
    pub fn cart_count(&self) -> u32 {
        self.cart.values().sum()
    }
}

/// A message shown once, at the top of the next page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    /// `ok` or `error` (a CSS class).
    pub kind: &'static str,
    pub text: String,
}

impl Flash {
    pub fn ok(text: impl Into<String>) -> Flash {
        Flash {
            kind: "ok",
            text: text.into(),
        }
    }
    pub fn error(text: impl Into<String>) -> Flash {
        Flash {
            kind: "error",
            text: text.into(),
        }
    }
}

/// One line of an order, frozen at checkout.
#[derive(Debug, Clone)]
pub struct OrderLine {
    pub product_id: &'static str,
    pub name: &'static str,
    pub quantity: u32,
    pub unit_minor: u64,
}

/// Where the order's payment stands, as far as the shop knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payment {
    /// Session created, no final outcome known yet (the buyer may still be
    /// paying, or retrying after a declined attempt).
    Awaiting,
    Paid,
    Failed {
        code: String,
        message: String,
    },
    Cancelled,
}

impl Payment {
    pub fn is_final(&self) -> bool {
        !matches!(self, Payment::Awaiting)
    }
}

/// How the shop learned the payment state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Nothing yet beyond the created session.
    Checkout,
    /// A notifyPayment whose signature verified with the gateway key.
    Notification,
    /// A (signature-verified) inquiryPayment response.
    Inquiry,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundState {
    /// Sent; the outcome is not known yet (a `U` result or no answer): it
    /// stays reserved and is settled by notifyRefund.
    Processing,
    Succeeded,
    Failed {
        code: String,
        message: String,
    },
}

#[derive(Debug, Clone)]
pub struct Refund {
    pub request_id: String,
    pub amount_minor: u64,
    pub state: RefundState,
    pub refund_id: Option<String>,
    /// Whether a verified notifyRefund confirmed the state.
    pub notified: bool,
}

#[derive(Debug, Clone)]
pub struct Order {
    /// Our order number, also the `paymentRequestId`.
    pub id: String,
    pub seq: u64,
    pub lines: Vec<OrderLine>,
    pub total_minor: u64,
    pub normal_url: Option<String>,
    pub payment_id: Option<String>,
    pub payment_method: Option<String>,
    pub payment: Payment,
    pub source: Source,
    pub refunds: Vec<Refund>,
}

impl Order {
    /// Refunded for sure.
    pub fn refunded_minor(&self) -> u64 {
        self.refunds
            .iter()
            .filter(|r| r.state == RefundState::Succeeded)
            .map(|r| r.amount_minor)
            .sum()
    }

    /// Still refundable: the total less refunds that succeeded or may yet.
    pub fn refundable_minor(&self) -> u64 {
        if self.payment != Payment::Paid {
            return 0;
        }
        let reserved: u64 = self
            .refunds
            .iter()
            .filter(|r| !matches!(r.state, RefundState::Failed { .. }))
            .map(|r| r.amount_minor)
            .sum();
        self.total_minor.saturating_sub(reserved)
    }

    /// A short status label: the one the orders page shows.
    pub fn status_label(&self) -> String {
        match &self.payment {
            Payment::Awaiting => "Awaiting payment".into(),
            Payment::Cancelled => "Cancelled".into(),
            Payment::Failed { code, .. } => format!("Payment failed ({code})"),
            Payment::Paid => {
                let refunded = self.refunded_minor();
                if refunded == 0 {
                    "Paid".into()
                } else if refunded >= self.total_minor {
                    "Refunded".into()
                } else {
                    "Partially refunded".into()
                }
            }
        }
    }
}

/// All of the shop's memory.
#[derive(Debug, Default)]
pub struct ShopData {
    pub sessions: HashMap<String, Session>,
    pub orders: HashMap<String, Order>,
    pub next_seq: u64,
}

impl ShopData {
    /// Adds a session, evicting the least recently seen one when full.
    pub fn insert_session(&mut self, id: String, session: Session) {
        if self.sessions.len() >= MAX_SESSIONS {
            if let Some(oldest) = self
                .sessions
                .iter()
                .min_by_key(|(_, s)| s.last_seen)
                .map(|(k, _)| k.clone())
            {
                self.sessions.remove(&oldest);
            }
        }
        self.sessions.insert(id, session);
    }

    /// Orders, newest first.
    pub fn orders_newest_first(&self) -> Vec<&Order> {
        let mut all: Vec<&Order> = self.orders.values().collect();
        all.sort_by_key(|o| std::cmp::Reverse(o.seq));
        all
    }

    /// The order holding a refund request id.
    pub fn order_with_refund(&mut self, refund_request_id: &str) -> Option<&mut Order> {
        self.orders
            .values_mut()
            .find(|o| o.refunds.iter().any(|r| r.request_id == refund_request_id))
    }
}
