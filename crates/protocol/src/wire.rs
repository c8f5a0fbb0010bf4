//! JSON wire types of the APIs Cashier serves and the notifications it sends.
//!
//! Why this module is lenient on input: Antom declares every scalar as a JSON
//! string, but the official SDKs do not all obey (docs/protocol.md §1.4). Python
//! sends integers and booleans natively (and `Amount.value` as a number when
//! the caller passed an `int`), .NET sends `null` for every unset property,
//! PHP escapes `/` and Go escapes `&`. The escapes are handled by any JSON
//! parser; the rest is handled here:
//!
//! * every request scalar is an `Option<String>` filled by [`lenient::string`],
//!   which accepts a JSON string, number or boolean and turns it into its
//!   canonical text (`1999` → `"1999"`, `true` → `"true"`); `null` and an
//!   absent field are both `None`; an array or object is an error;
//! * every nested object is an `Option<T>` where `null` ≡ absent, and it must
//!   really be a JSON object (serde would otherwise also accept an array of
//!   the fields in declaration order);
//! * unknown fields are ignored everywhere, because the SDKs send many fields
//!   outside Cashier's scope.
//!
//! Values are *not* checked here: a request type only says what arrived. The
//! rules live in [`crate::validate`]. Numbers never pass through `f64` on the
//! way to a string unless the JSON text itself was a float, and then the
//! result (`"19.99"`, `"1000.0"`) is refused later as a non-digit amount.
//!
//! Output is strict: responses and notifications use JSON strings for every
//! string-typed field and omit absent optional fields (§3.1 "Response type
//! constraints"). They also implement `Deserialize`, tolerating unknown
//! fields, because the merchant SDK parses them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::amount::WireAmount;
use crate::result::{ResultCode, WireResult};

/// Deserialisation helpers that implement the leniency of docs/protocol.md §1.4.
///
/// Use them with `#[serde(default, deserialize_with = "...")]` so that an
/// absent field is `None` as well.
pub mod lenient {
    use std::fmt;
    use std::marker::PhantomData;

    use serde::de::{self, DeserializeSeed, Deserializer, SeqAccess, Unexpected, Visitor};
    use serde::Deserialize;
    use serde_json::Value;

    const SCALAR: &str = "a string, number or boolean";

    /// The canonical text of a JSON scalar; `Ok(None)` for `null`.
    fn scalar_text(value: Value) -> Result<Option<String>, Unexpected<'static>> {
        match value {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s)),
            Value::Number(n) => Ok(Some(n.to_string())),
            Value::Bool(b) => Ok(Some(b.to_string())),
            Value::Array(_) => Err(Unexpected::Seq),
            Value::Object(_) => Err(Unexpected::Map),
        }
    }

    /// A scalar that may be a string, number or boolean; `null` → `None`.
    pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        scalar_text(Value::deserialize(d)?).map_err(|u| de::Error::invalid_type(u, &SCALAR))
    }

    /// Free-form text such as `metadata` or `extendInfo`: a scalar as in
    /// [`string`], or an object/array, kept as its compact JSON text (Python
    /// callers pass a `dict` where Antom expects a JSON string).
    pub fn json_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(match Value::deserialize(d)? {
            v @ (Value::Array(_) | Value::Object(_)) => Some(v.to_string()),
            v => scalar_text(v).unwrap_or_default(),
        })
    }

    /// An array of scalars (e.g. `allowedPaymentMethodRegions`); `null` or an
    /// absent field → `None`; a `null` element is an error.
    pub fn string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
        let Some(items) = Option::<Vec<Value>>::deserialize(d)? else {
            return Ok(None);
        };
        items
            .into_iter()
            .map(|v| match scalar_text(v) {
                Ok(Some(s)) => Ok(s),
                Ok(None) => Err(de::Error::invalid_type(Unexpected::Unit, &SCALAR)),
                Err(u) => Err(de::Error::invalid_type(u, &SCALAR)),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// A nested object; `null` or an absent field → `None`. Unlike plain
    /// `Option<T>`, a JSON array is refused instead of being read as the
    /// fields in declaration order.
    pub fn object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        struct OptionalObject<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for OptionalObject<T> {
            type Value = Option<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object or null")
            }

            fn visit_none<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }

            fn visit_unit<E: de::Error>(self) -> Result<Option<T>, E> {
                Ok(None)
            }

            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Option<T>, D2::Error> {
                T::deserialize(MapOnly(d)).map(Some)
            }
        }

        d.deserialize_option(OptionalObject(PhantomData))
    }

    /// An array of objects (e.g. `order.goods`); `null` or an absent field →
    /// `None`; every element must be a JSON object (not `null`, not an array).
    pub fn object_list<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        struct OptionalList<T>(PhantomData<T>);
        struct List<T>(PhantomData<T>);
        struct Element<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for OptionalList<T> {
            type Value = Option<Vec<T>>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of objects or null")
            }

            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }

            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }

            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
                d.deserialize_seq(List(PhantomData)).map(Some)
            }
        }

        impl<'de, T: Deserialize<'de>> Visitor<'de> for List<T> {
            type Value = Vec<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of objects")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(128));
                while let Some(item) = seq.next_element_seed(Element(PhantomData))? {
                    out.push(item);
                }
                Ok(out)
            }
        }

        impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Element<T> {
            type Value = T;

            fn deserialize<D2: Deserializer<'de>>(self, d: D2) -> Result<T, D2::Error> {
                T::deserialize(MapOnly(d))
            }
        }

        d.deserialize_option(OptionalList(PhantomData))
    }

    /// Forwards to the wrapped deserializer but asks for a map where a struct
    /// is requested, so that serde_json refuses the array form of a struct.
    struct MapOnly<D>(D);

    impl<'de, D: Deserializer<'de>> Deserializer<'de> for MapOnly<D> {
        type Error = D::Error;

        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.deserialize_any(visitor)
        }

        fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.deserialize_map(visitor)
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            _fields: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, D::Error> {
            self.0.deserialize_map(visitor)
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct enum identifier ignored_any
        }
    }
}

// ---------------------------------------------------------------------------
// Requests (merchant → gateway)
// ---------------------------------------------------------------------------

/// An incoming `Amount`; both parts are lenient scalars so that a numeric
/// `value` (Python) arrives as its digits. Checked by [`crate::validate`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", expecting = "a JSON object")]
pub struct WireAmountIn {
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub currency: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<String>,
}

impl WireAmountIn {
    /// The request form of an amount, e.g. for the merchant SDK.
    pub fn new(currency: impl Into<String>, value: impl Into<String>) -> WireAmountIn {
        WireAmountIn {
            currency: Some(currency.into()),
            value: Some(value.into()),
        }
    }
}

impl From<&crate::amount::Amount> for WireAmountIn {
    fn from(amount: &crate::amount::Amount) -> WireAmountIn {
        WireAmountIn::new(amount.currency().code(), amount.value_string())
    }
}

/// Body of `createPaymentSession` (docs/protocol.md §3.2). Fields outside
/// Cashier's scope (subscriptions, tax, instalments, ...) are ignored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", expecting = "a JSON object")]
pub struct CreatePaymentSessionRequest {
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub product_code: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub product_scene: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_request_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::object",
        skip_serializing_if = "Option::is_none"
    )]
    pub order: Option<Order>,
    #[serde(
        default,
        deserialize_with = "lenient::object",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_amount: Option<WireAmountIn>,
    #[serde(
        default,
        deserialize_with = "lenient::object",
        skip_serializing_if = "Option::is_none"
    )]
    pub settlement_strategy: Option<SettlementStrategy>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_redirect_url: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_notify_url: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_session_expiry_time: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_expiry_time: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::object",
        skip_serializing_if = "Option::is_none"
    )]
    pub env: Option<Env>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub locale: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::object",
        skip_serializing_if = "Option::is_none"
    )]
    pub available_payment_method: Option<AvailablePaymentMethod>,
    #[serde(
        default,
        deserialize_with = "lenient::string_list",
        skip_serializing_if = "Option::is_none"
    )]
    pub allowed_payment_method_regions: Option<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_region: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub merchant_region: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::object",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_method: Option<PaymentMethod>,
    #[serde(
        default,
        deserialize_with = "lenient::object",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_factor: Option<PaymentFactor>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub merchant_account_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::json_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub metadata: Option<String>,
}

/// `settlementStrategy` (§3.1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", expecting = "a JSON object")]
pub struct SettlementStrategy {
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub settlement_currency: Option<String>,
}

/// `availablePaymentMethod` (§3.1): restricts and orders the hosted page's
/// method list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", expecting = "a JSON object")]
pub struct AvailablePaymentMethod {
    #[serde(
        default,
        deserialize_with = "lenient::object_list",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_method_type_list: Option<Vec<PaymentMethodTypeItem>>,
}

/// One entry of `availablePaymentMethod.paymentMethodTypeList`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", expecting = "a JSON object")]
pub struct PaymentMethodTypeItem {
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_method_type: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_method_order: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub express_checkout: Option<String>,
}

/// `paymentMethod` (§3.1): on createPaymentSession it pre-selects a method.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", expecting = "a JSON object")]
pub struct PaymentMethod {
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_method_type: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_method_id: Option<String>,
}

/// `paymentFactor` (§3.1), card authorisation options.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", expecting = "a JSON object")]
pub struct PaymentFactor {
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_authorization: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub capture_mode: Option<String>,
}

/// `order` (§3.1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", expecting = "a JSON object")]
pub struct Order {
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub reference_order_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub order_description: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::object",
        skip_serializing_if = "Option::is_none"
    )]
    pub order_amount: Option<WireAmountIn>,
    #[serde(
        default,
        deserialize_with = "lenient::object_list",
        skip_serializing_if = "Option::is_none"
    )]
    pub goods: Option<Vec<Goods>>,
    #[serde(
        default,
        deserialize_with = "lenient::object",
        skip_serializing_if = "Option::is_none"
    )]
    pub buyer: Option<Buyer>,
    /// Kept verbatim: Cashier stores but does not interpret shipping data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping: Option<Value>,
    /// Kept verbatim: sub-merchant data is not used by a direct merchant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant: Option<Value>,
    #[serde(
        default,
        deserialize_with = "lenient::object",
        skip_serializing_if = "Option::is_none"
    )]
    pub env: Option<Env>,
    #[serde(
        default,
        deserialize_with = "lenient::object",
        skip_serializing_if = "Option::is_none"
    )]
    pub transit: Option<Transit>,
    #[serde(
        default,
        deserialize_with = "lenient::object",
        skip_serializing_if = "Option::is_none"
    )]
    pub lodging: Option<Lodging>,
    #[serde(
        default,
        deserialize_with = "lenient::json_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub extend_info: Option<String>,
}

/// One line item of `order.goods` (§3.1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", expecting = "a JSON object")]
pub struct Goods {
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub reference_goods_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub goods_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub goods_category: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub goods_brand: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::object",
        skip_serializing_if = "Option::is_none"
    )]
    pub goods_unit_amount: Option<WireAmountIn>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub goods_quantity: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub goods_sku_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub goods_url: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub goods_image_url: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub delivery_method_type: Option<String>,
}

/// `order.buyer` (§3.1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", expecting = "a JSON object")]
pub struct Buyer {
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub reference_buyer_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::object",
        skip_serializing_if = "Option::is_none"
    )]
    pub buyer_name: Option<UserName>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub buyer_phone_no: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub buyer_email: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub buyer_registration_time: Option<String>,
}

/// A person's name (§3.1 `UserName`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", expecting = "a JSON object")]
pub struct UserName {
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub first_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub middle_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub full_name: Option<String>,
}

/// The buyer's environment (§3.1 `Env`); `terminalType` selects the hosted
/// page layout.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", expecting = "a JSON object")]
pub struct Env {
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub terminal_type: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub os_type: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_agent: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub device_token_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub client_ip: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub cookie_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub time_zone_offset: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::json_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub extend_info: Option<String>,
    /// Kept verbatim (`acceptHeader`, `javaEnabled`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_info: Option<Value>,
}

/// `order.transit` for travel merchants (§3.1, §5.8).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", expecting = "a JSON object")]
pub struct Transit {
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub transit_type: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::object_list",
        skip_serializing_if = "Option::is_none"
    )]
    pub legs: Option<Vec<Leg>>,
    #[serde(
        default,
        deserialize_with = "lenient::object_list",
        skip_serializing_if = "Option::is_none"
    )]
    pub passengers: Option<Vec<Passenger>>,
}

/// One leg of a journey.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", expecting = "a JSON object")]
pub struct Leg {
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub departure_time: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub arrival_time: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::object",
        skip_serializing_if = "Option::is_none"
    )]
    pub departure_address: Option<Address>,
    #[serde(
        default,
        deserialize_with = "lenient::object",
        skip_serializing_if = "Option::is_none"
    )]
    pub arrival_address: Option<Address>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub carrier_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub carrier_no: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub class_type: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub departure_airport_code: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub arrival_airport_code: Option<String>,
}

/// A postal address (§3.1 `Address`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", expecting = "a JSON object")]
pub struct Address {
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub region: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub state: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub city: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub address1: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub address2: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub zip_code: Option<String>,
}

/// A traveller of `order.transit.passengers`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", expecting = "a JSON object")]
pub struct Passenger {
    #[serde(
        default,
        deserialize_with = "lenient::object",
        skip_serializing_if = "Option::is_none"
    )]
    pub passenger_name: Option<UserName>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub passenger_email: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub passenger_phone_no: Option<String>,
}

/// `order.lodging` for hotel merchants (§3.1, §5.8).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", expecting = "a JSON object")]
pub struct Lodging {
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub hotel_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::object",
        skip_serializing_if = "Option::is_none"
    )]
    pub hotel_address: Option<Address>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub check_in_date: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub check_out_date: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub number_of_nights: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub number_of_rooms: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::object_list",
        skip_serializing_if = "Option::is_none"
    )]
    pub guest_names: Option<Vec<UserName>>,
}

/// Body of `inquiryPayment` (§3.5): one of the two ids must be given;
/// `paymentId` wins when both are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", expecting = "a JSON object")]
pub struct InquiryPaymentRequest {
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_request_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub merchant_account_id: Option<String>,
}

/// `cancel` request (§3.6): one of the ids; `paymentId` wins when both are.
pub type CancelRequest = InquiryPaymentRequest;

/// `refund` request (§3.7).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", expecting = "a JSON object")]
pub struct RefundRequest {
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub refund_request_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub reference_refund_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::object",
        skip_serializing_if = "Option::is_none"
    )]
    pub refund_amount: Option<WireAmountIn>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub refund_reason: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub refund_notify_url: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub capture_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::json_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub metadata: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_async_refund: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub merchant_account_id: Option<String>,
}

/// `inquiryRefund` request (§3.8): one of the ids; `refundId` wins.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", expecting = "a JSON object")]
pub struct InquiryRefundRequest {
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub refund_request_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub refund_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub merchant_account_id: Option<String>,
}

// ---------------------------------------------------------------------------
// Responses and notifications (gateway → merchant)
// ---------------------------------------------------------------------------

/// Response of `createPaymentSession` (§3.2). Only `result` is present on
/// `F`/`U` outcomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatePaymentSessionResponse {
    pub result: WireResult,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_session_data: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_session_expiry_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_session_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub normal_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl CreatePaymentSessionResponse {
    /// A response that carries only a result (every non-`S` outcome).
    pub fn from_result(result: WireResult) -> CreatePaymentSessionResponse {
        CreatePaymentSessionResponse {
            result,
            payment_session_data: None,
            payment_session_expiry_time: None,
            payment_session_id: None,
            normal_url: None,
            url: None,
        }
    }
}

/// Response of `inquiryPayment` (§3.5). `result` says whether the *query*
/// worked; the payment's own state is in `paymentStatus`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct InquiryPaymentResponse {
    pub result: WireResult,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_result_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_result_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_amount: Option<WireAmount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_create_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method_type: Option<String>,
    /// What the buyer was charged, in the method's currency; equal to
    /// `paymentAmount` (the sandbox converts nothing). Once paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_payment_amount: Option<WireAmount>,
    /// The session's `paymentRedirectUrl`, exactly as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_redirect_url: Option<String>,
    /// Card details of a card payment, once a card decided it (paid, or
    /// refused for good).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_result_info: Option<PaymentResultInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transactions: Option<Vec<Transaction>>,
}

/// `paymentResultInfo` of a card payment (§3.1 "CardInfo /
/// PaymentResultInfo"): only what Cashier knows of the card, never the
/// full number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentResultInfo {
    /// The masked number: first six and last four digits, e.g.
    /// `424242******4242`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_no: Option<String>,
    /// `VISA`, `MASTERCARD`, `AMEX`, `JCB`, `DINERS`, `DISCOVER`, `UNIONPAY`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_brand: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_four: Option<String>,
    /// `CREDIT`, `DEBIT`, `PREPAID`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funding: Option<String>,
    /// ISO 3166 alpha-2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuing_country: Option<String>,
    /// The first six digits of the card number (issuer identification).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_bin: Option<String>,
    /// The card's region, ISO 3166 alpha-2 (the issuing country).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method_region: Option<String>,
    /// The issuing bank's name (the sandbox names its test issuers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer_name: Option<String>,
    /// The name on the card, as the buyer typed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cardholder_name: Option<String>,
    /// Expiry month, two digits (`01`…`12`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_month: Option<String>,
    /// Expiry year, two digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_year: Option<String>,
    /// The issuer's security-code check: `M` (matched) or `N` (did not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cvv_result_raw: Option<String>,
    /// The issuer's refusal code as the card network carries it (ISO 8583
    /// response code such as `05` or `51`), on declined attempts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal_code_raw: Option<String>,
    /// The issuer's refusal reason, in the network's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal_reason_raw: Option<String>,
    /// The 3-D Secure authentication, when one took place.
    #[serde(
        default,
        rename = "threeDSResult",
        skip_serializing_if = "Option::is_none"
    )]
    pub three_ds_result: Option<ThreeDsResult>,
}

/// `paymentResultInfo.threeDSResult`: how the buyer was authenticated. The
/// two flags are JSON booleans (the .NET SDK declares them `bool`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ThreeDsResult {
    /// The protocol version, e.g. `2.2.0`.
    #[serde(
        default,
        rename = "threeDSVersion",
        skip_serializing_if = "Option::is_none"
    )]
    pub three_ds_version: Option<String>,
    /// Electronic Commerce Indicator: `05`/`02` authenticated, `06`/`01`
    /// attempted, `07`/`00` not authenticated (Visa-style / Mastercard).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eci: Option<String>,
    /// The directory server's transaction id.
    #[serde(
        default,
        rename = "dsTransactionId",
        skip_serializing_if = "Option::is_none"
    )]
    pub ds_transaction_id: Option<String>,
    /// Whether the buyer was shown a challenge (false: frictionless).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub challenged: Option<bool>,
    /// Whether 3-D Secure was offered for this payment.
    #[serde(
        default,
        rename = "threeDSOffered",
        skip_serializing_if = "Option::is_none"
    )]
    pub three_ds_offered: Option<bool>,
}

impl InquiryPaymentResponse {
    /// A response that carries only a result (e.g. `ORDER_NOT_EXIST`).
    pub fn from_result(result: WireResult) -> InquiryPaymentResponse {
        InquiryPaymentResponse {
            result,
            payment_status: None,
            payment_result_code: None,
            payment_result_message: None,
            payment_request_id: None,
            payment_id: None,
            payment_amount: None,
            payment_create_time: None,
            payment_time: None,
            payment_method_type: None,
            actual_payment_amount: None,
            payment_redirect_url: None,
            payment_result_info: None,
            transactions: None,
        }
    }
}

/// One refund/capture/cancel of a payment in `inquiryPayment.transactions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_result: Option<WireResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_amount: Option<WireAmount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_time: Option<String>,
}

/// `notifyPayment` body (§3.9), sent when a payment reaches a final state
/// (`notifyType = PAYMENT_RESULT`) or is pending (`PAYMENT_PENDING`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentNotification {
    pub notify_type: String,
    pub result: WireResult,
    pub payment_request_id: String,
    pub payment_id: String,
    pub payment_amount: WireAmount,
    pub payment_create_time: String,
    /// Only when the payment succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method_type: Option<String>,
    /// What the buyer was charged, in the method's currency; only when the
    /// payment succeeded (equal to `paymentAmount`: no conversion).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_payment_amount: Option<WireAmount>,
    /// Card details of a card payment, once a card decided it (paid, or
    /// refused for good). Boxed: it is most of the notification's size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_result_info: Option<Box<PaymentResultInfo>>,
}

/// The body a merchant answers a notification with (§3.12).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Acknowledgement {
    pub result: WireResult,
}

/// The acknowledgement body, byte for byte as Antom documents it (§3.12).
pub const ACK_BODY: &str =
    r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}"#;

/// The body a merchant returns to acknowledge a notification.
pub fn ack_body() -> &'static str {
    ACK_BODY
}

/// Whether a merchant's answer to a notification acknowledges it (§3.12):
/// a 2xx status **and** a JSON object body whose `result.resultStatus` is
/// `"S"` and `result.resultCode` is `"SUCCESS"` (case-sensitive);
/// `resultMessage` and headers are ignored. Anything else — other statuses,
/// empty or non-JSON bodies, `F`/`U` results — is not an acknowledgement and
/// the notification is retried. Never panics, whatever the bytes.
pub fn is_acknowledgement(http_status: u16, body: &[u8]) -> bool {
    if !(200..=299).contains(&http_status) {
        return false;
    }
    let Ok(Value::Object(root)) = serde_json::from_slice::<Value>(body) else {
        return false;
    };
    let Some(Value::Object(result)) = root.get("result") else {
        return false;
    };
    result.get("resultStatus").and_then(Value::as_str) == Some("S")
        && result.get("resultCode").and_then(Value::as_str) == Some(ResultCode::SUCCESS.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_accept_strings_numbers_booleans_and_null() {
        let item: PaymentMethodTypeItem = serde_json::from_str(
            r#"{"paymentMethodType":"ALIPAY_CN","paymentMethodOrder":1,"expressCheckout":true}"#,
        )
        .unwrap();
        assert_eq!(item.payment_method_order.as_deref(), Some("1"));
        assert_eq!(item.express_checkout.as_deref(), Some("true"));

        let item: PaymentMethodTypeItem =
            serde_json::from_str(r#"{"paymentMethodType":null,"paymentMethodOrder":"2"}"#).unwrap();
        assert_eq!(item.payment_method_type, None);
        assert_eq!(item.payment_method_order.as_deref(), Some("2"));
        assert_eq!(item.express_checkout, None);
    }

    #[test]
    fn numbers_keep_their_text_and_floats_stay_visibly_floats() {
        let parse = |v: &str| -> Option<String> {
            serde_json::from_str::<WireAmountIn>(&format!(r#"{{"currency":"USD","value":{v}}}"#))
                .unwrap()
                .value
        };
        assert_eq!(parse("1999").as_deref(), Some("1999"));
        assert_eq!(parse("0").as_deref(), Some("0"));
        assert_eq!(
            parse("18446744073709551615").as_deref(),
            Some("18446744073709551615")
        );
        assert_eq!(parse("-5").as_deref(), Some("-5"));
        // Not digit strings, so amount validation refuses them.
        for float in ["19.99", "1e3", "1000.0", "123456789012345678901234"] {
            let text = parse(float).unwrap();
            assert!(
                !text.bytes().all(|b| b.is_ascii_digit()),
                "{float} -> {text}"
            );
        }
    }

    #[test]
    fn arrays_and_objects_are_not_scalars() {
        for bad in [r#"{"currency":["USD"]}"#, r#"{"currency":{"code":"USD"}}"#] {
            let err = serde_json::from_str::<WireAmountIn>(bad).unwrap_err();
            assert!(
                err.to_string()
                    .contains("expected a string, number or boolean"),
                "{err}"
            );
        }
    }

    #[test]
    fn nested_objects_must_be_objects_and_null_is_absent() {
        let req: CreatePaymentSessionRequest =
            serde_json::from_str(r#"{"order":null,"paymentAmount":null,"env":null}"#).unwrap();
        assert_eq!(req, CreatePaymentSessionRequest::default());

        let err = serde_json::from_str::<CreatePaymentSessionRequest>(
            r#"{"paymentAmount":["USD","1999"]}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("expected a JSON object"), "{err}");

        let err = serde_json::from_str::<Order>(r#"{"goods":[null]}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("expected a JSON object"), "{err}");
        let err = serde_json::from_str::<Order>(r#"{"goods":[["SKU"]]}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("expected a JSON object"), "{err}");
        let order: Order = serde_json::from_str(r#"{"goods":null}"#).unwrap();
        assert_eq!(order.goods, None);
    }

    #[test]
    fn unknown_fields_are_ignored() {
        let req: InquiryPaymentRequest = serde_json::from_str(
            r#"{"paymentId":"P1","subscriptionInfo":{"a":[1,2]},"x":null,"paymentQuote":7}"#,
        )
        .unwrap();
        assert_eq!(req.payment_id.as_deref(), Some("P1"));
    }

    #[test]
    fn json_text_fields_keep_objects_as_compact_json() {
        let req: CreatePaymentSessionRequest =
            serde_json::from_str(r#"{"metadata": {"a": 1, "b": [true]}}"#).unwrap();
        assert_eq!(req.metadata.as_deref(), Some(r#"{"a":1,"b":[true]}"#));
        let req: CreatePaymentSessionRequest =
            serde_json::from_str(r#"{"metadata": "plain"}"#).unwrap();
        assert_eq!(req.metadata.as_deref(), Some("plain"));
    }

    #[test]
    fn string_lists_coerce_elements_and_refuse_nulls() {
        let req: CreatePaymentSessionRequest =
            serde_json::from_str(r#"{"allowedPaymentMethodRegions":["SG",7]}"#).unwrap();
        assert_eq!(
            req.allowed_payment_method_regions,
            Some(vec!["SG".to_string(), "7".to_string()])
        );
        assert!(serde_json::from_str::<CreatePaymentSessionRequest>(
            r#"{"allowedPaymentMethodRegions":["SG",null]}"#
        )
        .is_err());
    }

    #[test]
    fn requests_serialise_camel_case_without_absent_fields() {
        let req = InquiryPaymentRequest {
            payment_request_id: Some("PR_1".into()),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"paymentRequestId":"PR_1"}"#
        );
    }

    #[test]
    fn responses_are_compact_strings_and_omit_absent_fields() {
        let resp =
            CreatePaymentSessionResponse::from_result(WireResult::of(ResultCode::PARAM_ILLEGAL));
        assert_eq!(
            serde_json::to_string(&resp).unwrap(),
            r#"{"result":{"resultCode":"PARAM_ILLEGAL","resultStatus":"F","resultMessage":"illegal parameters."}}"#
        );
    }

    #[test]
    fn responses_parse_the_protocol_examples_and_ignore_unknown_fields() {
        let inquiry = json!({
            "result": {"resultCode": "SUCCESS", "resultStatus": "S", "resultMessage": "success."},
            "paymentStatus": "SUCCESS",
            "paymentResultCode": "SUCCESS",
            "paymentRequestId": "PR_20250101_000001",
            "paymentId": "20250101194010800100188560201234567",
            "paymentAmount": {"currency": "USD", "value": "1999"},
            "paymentCreateTime": "2025-01-01T12:00:05+08:00",
            "paymentTime": "2025-01-01T12:01:10+08:00",
            "paymentMethodType": "ALIPAY_CN",
            "pspCustomerInfo": {"pspName": "ALIPAY_CN"},
            "transactions": [
                {"transactionType": "REFUND", "transactionStatus": "SUCCESS", "transactionId": "R1",
                 "transactionRequestId": "RF_0001", "transactionAmount": {"currency": "USD", "value": "500"},
                 "transactionTime": "2025-01-02T09:00:00+08:00",
                 "transactionResult": {"resultCode": "SUCCESS", "resultStatus": "S", "resultMessage": "success."}}
            ]
        });
        let parsed: InquiryPaymentResponse = serde_json::from_value(inquiry.clone()).unwrap();
        assert_eq!(parsed.payment_status.as_deref(), Some("SUCCESS"));
        let tx = &parsed.transactions.as_ref().unwrap()[0];
        assert_eq!(tx.transaction_amount.as_ref().unwrap().value, "500");
        // Round trip drops only the unknown field.
        let mut expected = inquiry;
        expected
            .as_object_mut()
            .unwrap()
            .shift_remove("pspCustomerInfo");
        assert_eq!(serde_json::to_value(&parsed).unwrap(), expected);

        let notification: PaymentNotification = serde_json::from_value(json!({
            "notifyType": "PAYMENT_RESULT",
            "result": {"resultCode": "SUCCESS", "resultStatus": "S", "resultMessage": "success."},
            "paymentRequestId": "PR_20250101_000001",
            "paymentId": "20250101194010800100188560201234567",
            "paymentAmount": {"currency": "USD", "value": "1999"},
            "paymentCreateTime": "2025-01-01T12:00:05+08:00",
            "paymentTime": "2025-01-01T12:01:10+08:00",
            "paymentMethodType": "ALIPAY_CN",
            "acquirerReferenceNo": "x"
        }))
        .unwrap();
        assert_eq!(notification.payment_amount.value, "1999");

        let session: CreatePaymentSessionResponse = serde_json::from_value(json!({
            "result": {"resultCode": "SUCCESS", "resultStatus": "S", "resultMessage": "success."},
            "paymentSessionData": "abc&&SG&&111",
            "paymentSessionExpiryTime": "2025-01-01T13:00:00+08:00",
            "paymentSessionId": "abc",
            "normalUrl": "https://checkout.example/pay?sessionId=abc",
            "somethingNew": {"x": 1}
        }))
        .unwrap();
        assert_eq!(session.url, None);
        assert_eq!(session.payment_session_id.as_deref(), Some("abc"));
    }

    #[test]
    fn the_ack_body_is_the_documented_one_and_is_an_acknowledgement() {
        assert_eq!(
            ack_body(),
            r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}"#
        );
        assert!(is_acknowledgement(200, ack_body().as_bytes()));
        let parsed: Acknowledgement = serde_json::from_str(ack_body()).unwrap();
        assert_eq!(parsed.result.result_code, "SUCCESS");
    }

    #[test]
    fn acknowledgement_variants_that_count() {
        let pretty = "{\n   \"result\": {\n      \"resultCode\": \"SUCCESS\",\n      \"resultStatus\": \"S\",\n      \"resultMessage\": \"success\"\n   }\n}\n";
        assert!(is_acknowledgement(200, pretty.as_bytes()));
        assert!(is_acknowledgement(
            204,
            br#" {"result":{"resultStatus":"S","resultCode":"SUCCESS"}} "#
        ));
        assert!(is_acknowledgement(
            201,
            br#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"OK!"},"extra":1}"#
        ));
        assert!(is_acknowledgement(
            299,
            br#"{"result":{"resultCode":"SUCC\u0045SS","resultStatus":"S"}}"#
        ));
    }

    #[test]
    fn everything_else_is_not_an_acknowledgement() {
        let ok = ack_body().as_bytes();
        for status in [0, 100, 199, 300, 302, 400, 404, 500, 503, u16::MAX] {
            assert!(!is_acknowledgement(status, ok), "{status}");
        }
        let bad: &[&[u8]] = &[
            b"",
            b"   ",
            b"OK",
            b"success",
            b"SUCCESS",
            b"null",
            b"[]",
            b"\"S\"",
            b"{}",
            br#"{"result":null}"#,
            br#"{"result":"SUCCESS"}"#,
            br#"{"result":{}}"#,
            br#"{"result":{"resultCode":"SUCCESS","resultStatus":"F"}}"#,
            br#"{"result":{"resultCode":"SUCCESS","resultStatus":"U"}}"#,
            br#"{"result":{"resultCode":"SUCCESS","resultStatus":"s"}}"#,
            br#"{"result":{"resultCode":"success","resultStatus":"S"}}"#,
            br#"{"result":{"resultCode":"PROCESS_FAIL","resultStatus":"S"}}"#,
            br#"{"result":{"resultStatus":"S"}}"#,
            br#"{"result":{"resultCode":"SUCCESS"}}"#,
            br#"{"result":{"resultCode":"SUCCESS","resultStatus":["S"]}}"#,
            br#"{"resultCode":"SUCCESS","resultStatus":"S"}"#,
            br#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"}"#,
            br#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"}} trailing"#,
            b"<html><body>200 OK</body></html>",
            b"\xff\xfe\x00{",
        ];
        for body in bad {
            assert!(
                !is_acknowledgement(200, body),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        // Huge garbage, deep nesting and invalid UTF-8 do not panic.
        let garbage: Vec<u8> = (0..1_000_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        assert!(!is_acknowledgement(200, &garbage));
        let deep = "[".repeat(100_000);
        assert!(!is_acknowledgement(200, deep.as_bytes()));
        let deep_obj = "{\"result\":".repeat(10_000);
        assert!(!is_acknowledgement(200, deep_obj.as_bytes()));
    }
}

/// Response of `cancel` (§3.6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CancelResponse {
    pub result: WireResult,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_time: Option<String>,
}

/// Response of `refund` (§3.7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefundResponse {
    pub result: WireResult,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_amount: Option<WireAmount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_time: Option<String>,
}

/// Response of `inquiryRefund` (§3.8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct InquiryRefundResponse {
    pub result: WireResult,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_amount: Option<WireAmount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_time: Option<String>,
}

/// `advanceClock` request (Cashier's sandbox clocks, not an Antom API):
/// how many seconds to move the merchant's clock forward, as an integer or
/// a numeric string.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", expecting = "a JSON object")]
pub struct AdvanceClockRequest {
    #[serde(
        default,
        deserialize_with = "lenient::string",
        skip_serializing_if = "Option::is_none"
    )]
    pub advance_seconds: Option<String>,
}

/// `inquiryClock` request: an empty object (other fields are ignored).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", expecting = "a JSON object")]
pub struct InquiryClockRequest {}

/// Response of `advanceClock` and `inquiryClock`: the merchant's clock
/// after the call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClockResponse {
    pub result: WireResult,
    /// ISO 8601 in UTC+8, e.g. `2025-01-31T12:00:00+08:00`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock_time: Option<String>,
}

/// `notifyRefund` body (§3.10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefundNotification {
    pub notify_type: String,
    pub result: WireResult,
    pub refund_status: String,
    pub refund_request_id: String,
    pub refund_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<String>,
    pub refund_amount: WireAmount,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_reason: Option<String>,
}
