//! Identifier newtypes. A payment's id, its merchant's `clientId` and its
//! `paymentRequestId` are all strings on the wire and in the database; in
//! the domain each is a type of its own, so a function that takes a
//! [`PaymentId`] cannot be handed the merchant's [`ClientId`] by mistake.
//!
//! Each one is a `String` inside: it reads as `&str` (`Deref`, `AsRef`,
//! `Display`), compares with string literals, (de)serialises as a plain
//! string and is a `TEXT` column to sqlx and rusqlite alike. Making one
//! from a string checks nothing: what a valid id is, is the protocol
//! validation's business (and the gateway's generator's), not the type's.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
            sqlx::Type,
        )]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(id: impl Into<String>) -> $name {
                $name(id.into())
            }

            /// The empty id, which names nothing (a `const`, for statics).
            pub const fn empty() -> $name {
                $name(String::new())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> $name {
                $name(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> $name {
                $name(id.to_string())
            }
        }

        impl From<&String> for $name {
            fn from(id: &String) -> $name {
                $name(id.clone())
            }
        }

        impl From<&$name> for $name {
            fn from(id: &$name) -> $name {
                id.clone()
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<$name> for str {
            fn eq(&self, other: &$name) -> bool {
                self == other.0
            }
        }

        impl PartialEq<$name> for &str {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl PartialEq<$name> for String {
            fn eq(&self, other: &$name) -> bool {
                *self == other.0
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<$name> {
                String::column_result(value).map($name)
            }
        }
    )*};
}

id_type! {
    /// A merchant: `clientId`.
    ClientId;
    /// A payment, as Cashier numbers it: `paymentId`.
    PaymentId;
    /// The merchant's own id of a payment: `paymentRequestId`, unique per
    /// merchant.
    PaymentRequestId;
    /// A refund, as Cashier numbers it: `refundId`.
    RefundId;
    /// The merchant's own id of a refund: `refundRequestId`, unique per
    /// merchant.
    RefundRequestId;
    /// One try at paying a payment (a card submission, a wallet journey).
    AttemptId;
    /// A notification in the outbox.
    NotificationId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_its_string_everywhere() {
        let id = PaymentId::from("2026120612000012345");
        assert_eq!(id, "2026120612000012345");
        assert_eq!(id.to_string(), "2026120612000012345");
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"2026120612000012345\""
        );
        let back: PaymentId = serde_json::from_str("\"2026120612000012345\"").unwrap();
        assert_eq!(back, id);
        assert!(id.starts_with("2026"));
    }

    #[test]
    fn ids_round_trip_through_rusqlite() {
        let db = rusqlite::Connection::open_in_memory().unwrap();
        let id = ClientId::from("SANDBOX_5YBZ");
        let back: ClientId = db.query_row("SELECT ?1", [&id], |r| r.get(0)).unwrap();
        assert_eq!(back, id);
    }
}
