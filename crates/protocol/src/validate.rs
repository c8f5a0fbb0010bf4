//! Request validation: from what arrived ([`crate::wire`]) to a checked domain
//! value, or a [`Rejection`] carrying the result code and a message that names
//! the offending field.
//!
//! Why it lives here: the gateway must refuse exactly the requests the
//! protocol says are illegal (docs/protocol.md §3.2 "Validation performed by the
//! gateway", §5.4, §5.5, §5.7–§5.9), and the merchant SDK can run the same
//! rules before sending. Checks run in a fixed order so that the first
//! violation reported for a given request is deterministic:
//!
//! 1. `productCode`;
//! 2. `paymentRequestId`;
//! 3. `order` and its goods;
//! 4. `order.buyer`;
//! 5. `paymentAmount`;
//! 6. amount consistency (§5.5);
//! 7. redirect/notify URLs;
//! 8. expiry times;
//! 9. the remaining top-level scalars;
//! 10. `order.transit` / `order.lodging`;
//! 11. the method list.
//!
//! What is *not* here, because it needs state: the merchant's contracted
//! currencies (`SETTLE_CONTRACT_NOT_MATCH`), payment-method filtering
//! (`NO_PAY_OPTIONS`), idempotency, and the private/loopback host policy for
//! notify URLs.
//!
//! Gaps that the guide calls "must" but that its own samples and real
//! integrations leave (a missing buyer name, goods, transit fields, a
//! goodsName out of the travel formats…) are not rejections: they are
//! collected as [`IntegrationWarning`]s on the [`ValidSession`], in the
//! order the checks above meet them (docs/protocol.md §5.7). The gateway records
//! them, or refuses the request for a merchant in strict mode.
//!
//! Empty strings in optional fields are treated as absent (PHP and Go
//! callers send `""` for "unset"); empty strings in required fields are
//! reported as missing. Lengths count Unicode characters.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::de::DeserializeOwned;

use crate::amount::{Amount, AmountError};
use crate::result::{clamp_message, ResultCode, WireResult};
use crate::time::parse_datetime;
use crate::warnings::{
    check_flight_goods_name, check_hotel_goods_name, looks_like_flight_ticket, IntegrationWarning,
    WarningRule,
};
use crate::wire::{
    AdvanceClockRequest, Buyer, CancelRequest, CreatePaymentSessionRequest, Env, Goods,
    InquiryPaymentRequest, InquiryRefundRequest, Lodging, Order, RefundRequest, Transit, UserName,
    WireAmountIn,
};

/// The only `productCode` Cashier serves (one-time hosted checkout).
pub const PRODUCT_CODE: &str = "CASHIER_PAYMENT";
/// `productScene` when the request has none.
pub const DEFAULT_PRODUCT_SCENE: &str = "CHECKOUT_PAYMENT";
/// Longest session a merchant may ask for, and the default (§5.2).
pub const MAX_SESSION_LIFETIME_SECS: i64 = 3600;

const PRODUCT_SCENES: &[&str] = &["CHECKOUT_PAYMENT", "ELEMENT_PAYMENT"];
const TERMINAL_TYPES: &[&str] = &["WEB", "WAP", "APP", "MINI_APP"];
const DELIVERY_METHODS: &[&str] = &["PHYSICAL", "DIGITAL"];
const TRANSIT_TYPES: &[&str] = &["FLIGHT", "TRAIN", "CRUISE", "COACH"];
const MAX_GOODS: usize = 100;
const MAX_LEGS: usize = 10;
const MAX_PASSENGERS: usize = 100;
const MAX_GUESTS: usize = 100;
const MAX_URL: usize = 2048;
const MAX_METADATA: usize = 4096;
const MAX_EXTEND_INFO: usize = 2048;
const MAX_REGIONS: usize = 300;
const MAX_METHODS: usize = 300;

/// Why a request was refused: the result code to answer with and a message
/// naming the offending field (at most 256 characters).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {}", .code.as_str(), .message)]
pub struct Rejection {
    pub code: ResultCode,
    pub message: String,
}

impl Rejection {
    /// A rejection with the message clamped to the protocol limit.
    pub fn new(code: ResultCode, message: impl AsRef<str>) -> Rejection {
        Rejection {
            code,
            message: clamp_message(message.as_ref()),
        }
    }

    /// The common case: `F` `PARAM_ILLEGAL`.
    pub fn param_illegal(message: impl AsRef<str>) -> Rejection {
        Rejection::new(ResultCode::PARAM_ILLEGAL, message)
    }

    /// The `result` object to answer with.
    pub fn to_wire_result(&self) -> WireResult {
        WireResult::new(self.code, self.message.clone())
    }
}

impl From<Rejection> for WireResult {
    fn from(rejection: Rejection) -> WireResult {
        WireResult::new(rejection.code, rejection.message)
    }
}

type Checked<T> = Result<T, Rejection>;

// ---------------------------------------------------------------------------
// Body parsing
// ---------------------------------------------------------------------------

/// Parses a request body into a wire type. An empty body, invalid JSON, a
/// top-level value that is not an object, or a field of the wrong JSON type
/// is `PARAM_ILLEGAL`, with serde's description, the approximate field path
/// and the position in the message.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, Rejection> {
    let first = body.iter().copied().find(|b| !b.is_ascii_whitespace());
    match first {
        None => return Err(Rejection::param_illegal("request body is empty")),
        Some(b'{') => {}
        Some(_) => {
            return Err(Rejection::param_illegal(
                "request body must be a JSON object",
            ))
        }
    }
    serde_json::from_slice(body).map_err(|e| {
        use serde_json::error::Category;
        let position = format!(" at line {} column {}", e.line(), e.column());
        let full = e.to_string();
        let description = full.strip_suffix(&position).unwrap_or(&full);
        let message = match e.classify() {
            Category::Data => {
                let path = path_of_error::<T>(body);
                let near = if path.is_empty() {
                    String::new()
                } else {
                    format!("near {path}, ")
                };
                format!(
                    "request body has an invalid field: {description} ({near}line {} column {})",
                    e.line(),
                    e.column()
                )
            }
            _ => format!("request body is not valid JSON: {full}"),
        };
        Rejection::param_illegal(message)
    })
}

/// The path (`order.goods[0].goodsQuantity`) of the field a failed
/// deserialization stopped at, found by reading `body` again with
/// `serde_path_to_error` — only on this error path, so the requests that
/// parse pay nothing for it. Empty at the top level.
fn path_of_error<T: DeserializeOwned>(body: &[u8]) -> String {
    let mut reader = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut reader) {
        Err(e) => {
            let path = e.path().to_string();
            if path == "." {
                String::new()
            } else {
                path.chars().take(256).collect()
            }
        }
        Ok(_) => String::new(),
    }
}

// ---------------------------------------------------------------------------
// Field helpers
// ---------------------------------------------------------------------------

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// A user-supplied value for a message: quoted, escaped, and short.
fn shown(s: &str) -> String {
    if char_len(s) > 32 {
        let head: String = s.chars().take(32).collect();
        format!("{head:?}...")
    } else {
        format!("{s:?}")
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|s| !s.is_empty())
}

fn check_len(value: &str, path: &str, max: usize) -> Checked<()> {
    if char_len(value) > max {
        return Err(Rejection::param_illegal(format!(
            "{path} must be at most {max} characters"
        )));
    }
    Ok(())
}

fn required<'a>(value: &'a Option<String>, path: &str, max: usize) -> Checked<&'a str> {
    let value =
        non_empty(value).ok_or_else(|| Rejection::param_illegal(format!("{path} is required")))?;
    check_len(value, path, max)?;
    Ok(value)
}

fn optional<'a>(value: &'a Option<String>, path: &str, max: usize) -> Checked<Option<&'a str>> {
    let value = non_empty(value);
    if let Some(v) = value {
        check_len(v, path, max)?;
    }
    Ok(value)
}

/// Whether a character may not appear in an identifier: C0 and C1 controls
/// and DEL (a NUL or a line break splits logs and files), and the
/// bidirectional embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069), which make an id display as another.
fn forbidden_in_id(c: char) -> bool {
    c.is_control()
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Refuses an identifier the merchant chooses (`paymentRequestId`,
/// `referenceOrderId`, `refundRequestId`, …) that holds a character of
/// [`forbidden_in_id`], naming it and its position (from 1). Only where an
/// id is created: lookups keep finding ids stored before this rule.
fn id_chars(value: &str, path: &str) -> Checked<()> {
    match value.chars().enumerate().find(|(_, c)| forbidden_in_id(*c)) {
        None => Ok(()),
        Some((i, c)) => Err(Rejection::param_illegal(format!(
            "{path} must not contain control or bidirectional-override characters (U+{:04X} at position {})",
            u32::from(c),
            i + 1
        ))),
    }
}

/// A field the guide requires but real integrations leave out: checked like
/// an optional one, and its absence recorded as a `rule` warning.
fn expected<'a>(
    value: &'a Option<String>,
    path: &str,
    max: usize,
    rule: WarningRule,
    warnings: &mut Vec<IntegrationWarning>,
) -> Checked<Option<&'a str>> {
    let found = optional(value, path, max)?;
    if found.is_none() {
        warnings.push(IntegrationWarning::missing(rule, path));
    }
    Ok(found)
}

fn one_of(value: &str, path: &str, allowed: &[&str]) -> Checked<()> {
    if allowed.contains(&value) {
        return Ok(());
    }
    Err(Rejection::param_illegal(format!(
        "{path} must be one of {}, got {}",
        allowed.join(", "),
        shown(value)
    )))
}

/// A positive integer written with ASCII digits only (leading zeros allowed).
fn positive_integer(value: &str, path: &str) -> Checked<u64> {
    let fail = || {
        Rejection::param_illegal(format!(
            "{path} must be a positive integer, got {}",
            shown(value)
        ))
    };
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(fail());
    }
    match value.parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(fail()),
    }
}

fn datetime(value: &str, path: &str) -> Checked<DateTime<Utc>> {
    parse_datetime(value).ok_or_else(|| {
        Rejection::param_illegal(format!(
            "{path} must be an ISO-8601 datetime with offset, e.g. 2025-01-01T12:00:00+08:00, got {}",
            shown(value)
        ))
    })
}

/// A datetime, or a plain date for fields like `checkInDate`.
fn date_or_datetime(value: &str, path: &str) -> Checked<()> {
    if NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok() {
        return Ok(());
    }
    datetime(value, path).map(|_| ())
}

/// An ISO 3166 alpha-2 region code (either case).
fn region(value: &str, path: &str) -> Checked<()> {
    if value.len() == 2 && value.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Ok(());
    }
    Err(Rejection::param_illegal(format!(
        "{path} must be a two-letter ISO 3166 region code, got {}",
        shown(value)
    )))
}

/// An absolute `http`/`https` URL with a host and no whitespace or control
/// characters, at most 2048 characters (§5.9).
fn http_url(value: &str, path: &str) -> Checked<()> {
    check_len(value, path, MAX_URL)?;
    let fail = || Rejection::param_illegal(format!("{path} must be an absolute http(s) URL"));
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Rejection::param_illegal(format!(
            "{path} must be an absolute http(s) URL without whitespace or control characters"
        )));
    }
    // The raw text itself must be `http(s)://host...`: the URL parser would
    // also read `https:///host` or `https:\\host` as `https://host/`, but the
    // buyer is redirected to the string as supplied.
    let lower = value.get(..8).unwrap_or(value).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &value[8..]
    } else if lower.starts_with("http://") {
        &value[7..]
    } else {
        return Err(fail());
    };
    if rest.is_empty() || rest.starts_with(['/', '\\']) {
        return Err(fail());
    }
    let url = url::Url::parse(value).map_err(|_| fail())?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(fail());
    }
    Ok(())
}

/// Parses an amount at `path`. A well-formed but unknown currency is
/// answered with `unsupported`; every other problem is `PARAM_ILLEGAL`.
fn amount(
    wire: Option<&WireAmountIn>,
    path: &str,
    positive: bool,
    unsupported: ResultCode,
) -> Checked<Amount> {
    let wire = wire.ok_or_else(|| Rejection::param_illegal(format!("{path} is required")))?;
    let currency = non_empty(&wire.currency)
        .ok_or_else(|| Rejection::param_illegal(format!("{path}.currency is required")))?;
    let value = non_empty(&wire.value)
        .ok_or_else(|| Rejection::param_illegal(format!("{path}.value is required")))?;
    let parsed = if positive {
        Amount::parse_positive(currency, value)
    } else {
        Amount::parse(currency, value)
    };
    parsed.map_err(|e| match e {
        AmountError::MalformedCurrency => Rejection::param_illegal(format!(
            "{path}.currency must be three upper-case letters (ISO 4217), got {}",
            shown(currency)
        )),
        AmountError::UnsupportedCurrency(code) => Rejection::new(
            unsupported,
            format!("{path}.currency {code} is not supported"),
        ),
        AmountError::MalformedValue => Rejection::param_illegal(format!(
            "{path}.value must be 1 to 16 digits in minor units (no sign, decimal point or exponent), got {}",
            shown(value)
        )),
        AmountError::NotPositive => {
            Rejection::param_illegal(format!("{path}.value must be greater than zero"))
        }
        AmountError::NotMultiple { currency, multiple } => Rejection::param_illegal(format!(
            "{path}.value for {currency} must be a multiple of {multiple}, got {value}"
        )),
    })
}

fn user_name(name: &UserName, path: &str) -> Checked<()> {
    optional(&name.first_name, &format!("{path}.firstName"), 32)?;
    optional(&name.middle_name, &format!("{path}.middleName"), 32)?;
    optional(&name.last_name, &format!("{path}.lastName"), 32)?;
    optional(&name.full_name, &format!("{path}.fullName"), 128)?;
    Ok(())
}

// ---------------------------------------------------------------------------
// createPaymentSession
// ---------------------------------------------------------------------------

/// `availablePaymentMethod.paymentMethodTypeList` as (`paymentMethodType`,
/// `paymentMethodOrder`) pairs, in request order.
pub type MethodFilter = Vec<(String, Option<u32>)>;

/// One validated line item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidGoods {
    /// Empty when the item had none (an integration warning says so).
    pub reference_goods_id: String,
    /// Empty when the item had none (an integration warning says so).
    pub name: String,
    pub quantity: u64,
    pub unit: Amount,
    /// `unit × quantity`.
    pub line_total: Amount,
}

/// A createPaymentSession request that passed every stateless check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSession {
    pub payment_request_id: String,
    /// `paymentAmount` (equal to `order.orderAmount` and to the goods total).
    pub amount: Amount,
    pub reference_order_id: Option<String>,
    pub order_description: String,
    /// Empty when the request had no goods (an integration warning says so).
    pub goods: Vec<ValidGoods>,
    /// Cards are offered only when it is present (§5.7).
    pub buyer_reference_id: Option<String>,
    pub buyer_full_name: Option<String>,
    pub buyer_email: Option<String>,
    /// Exactly as supplied: the buyer is sent back to this string unchanged.
    pub redirect_url: String,
    pub notify_url: Option<String>,
    /// The requested expiry, or now + 1 hour.
    pub session_expires_at: DateTime<Utc>,
    /// `None` when absent, empty or `automatic` (use the browser language).
    pub locale: Option<String>,
    /// `env.terminalType`, else `order.env.terminalType`.
    pub terminal_type: Option<String>,
    /// `CHECKOUT_PAYMENT` when absent.
    pub product_scene: String,
    pub settlement_currency: Option<String>,
    /// `availablePaymentMethod.paymentMethodTypeList` as (type, order); `None`
    /// when absent or empty (no restriction).
    pub method_filter: Option<MethodFilter>,
    /// The `paymentMethodTypeList` items with `expressCheckout` true, in
    /// request order: shown as quick-pay buttons above the method list.
    pub express_methods: Vec<String>,
    /// `paymentMethod.paymentMethodType`.
    pub preselected_method: Option<String>,
    /// `paymentMethod.paymentMethodId` (a card token), part of the
    /// idempotency fingerprint (§5.1).
    pub preselected_method_id: Option<String>,
    /// `allowedPaymentMethodRegions`, upper-cased; `None` when absent or empty.
    pub allowed_regions: Option<Vec<String>>,
    /// The gaps the request was accepted with, in the order they were met.
    pub warnings: Vec<IntegrationWarning>,
    /// Risk fields the guide recommends when cards are offered and the
    /// request lacks (see [`ValidSession::card_risk_warning`]).
    pub card_risk_gaps: Vec<&'static str>,
}

impl ValidSession {
    /// The warning to add when the hosted page will offer cards: the
    /// recommended risk fields the request lacks, if any. Whether cards are
    /// offered depends on the merchant's methods, so the gateway decides.
    pub fn card_risk_warning(&self) -> Option<IntegrationWarning> {
        if self.card_risk_gaps.is_empty() {
            return None;
        }
        Some(IntegrationWarning::new(
            WarningRule::CardRiskFieldsMissing,
            self.card_risk_gaps.join(", "),
            format!(
                "cards are offered but {} {} missing",
                self.card_risk_gaps.join(", "),
                if self.card_risk_gaps.len() == 1 {
                    "is"
                } else {
                    "are"
                }
            ),
        ))
    }

    /// The idempotency fingerprint of §5.1: `productCode|currency|value|
    /// paymentMethodType|settlementCurrency`, empty for absent parts, e.g.
    /// `CASHIER_PAYMENT|USD|1999|ALIPAY_CN|USD`; `|paymentMethodId` is
    /// appended only when a method id was supplied. `\` and `|` inside the
    /// free-form parts are backslash-escaped, so distinct inputs never
    /// collide.
    pub fn fingerprint(&self) -> String {
        fn escape(s: &str) -> String {
            s.replace('\\', "\\\\").replace('|', "\\|")
        }
        let mut out = format!(
            "{PRODUCT_CODE}|{}|{}|{}|{}",
            self.amount.currency().code(),
            self.amount.value_string(),
            escape(self.preselected_method.as_deref().unwrap_or("")),
            self.settlement_currency.as_deref().unwrap_or(""),
        );
        if let Some(id) = &self.preselected_method_id {
            out.push('|');
            out.push_str(&escape(id));
        }
        out
    }
}

/// Goods as read in step 3; totals are computed in step 6.
struct GoodsLine<'a> {
    id: &'a str,
    name: &'a str,
    quantity: u64,
    unit: Amount,
}

/// Validates a createPaymentSession request received at `now` (docs/protocol.md
/// §3.2 items 1–8, §5.4, §5.5, §5.7, §5.8, §5.9). See the module docs for
/// the order of checks.
pub fn validate_create_session(
    req: &CreatePaymentSessionRequest,
    now: DateTime<Utc>,
) -> Result<ValidSession, Rejection> {
    // 1. productCode
    let product_code = required(&req.product_code, "productCode", 64)?;
    match product_code {
        PRODUCT_CODE => {}
        "AGREEMENT_PAYMENT" => return Err(Rejection::new(
            ResultCode::INVALID_CONTRACT,
            "productCode AGREEMENT_PAYMENT is not in the merchant contract; use CASHIER_PAYMENT",
        )),
        other => {
            return Err(Rejection::param_illegal(format!(
                "productCode must be CASHIER_PAYMENT, got {}",
                shown(other)
            )))
        }
    }

    // 2. paymentRequestId
    let payment_request_id = required(&req.payment_request_id, "paymentRequestId", 64)?;
    id_chars(payment_request_id, "paymentRequestId")?;

    // 3. order and goods
    let mut warnings = Vec::new();
    let order = req
        .order
        .as_ref()
        .ok_or_else(|| Rejection::param_illegal("order is required"))?;
    let reference_order_id = expected(
        &order.reference_order_id,
        "order.referenceOrderId",
        64,
        WarningRule::ReferenceOrderIdMissing,
        &mut warnings,
    )?;
    if let Some(id) = reference_order_id {
        id_chars(id, "order.referenceOrderId")?;
    }
    let order_description = required(&order.order_description, "order.orderDescription", 256)?;
    let order_amount = amount(
        order.order_amount.as_ref(),
        "order.orderAmount",
        true,
        ResultCode::CURRENCY_NOT_SUPPORT,
    )?;
    let goods = goods_lines(order, order_amount, &mut warnings)?;
    if let Some(info) = non_empty(&order.extend_info) {
        check_len(info, "order.extendInfo", MAX_EXTEND_INFO)?;
    }

    // 4. buyer (§5.7)
    let buyer = buyer(order.buyer.as_ref(), &mut warnings)?;

    // 5. paymentAmount (§5.4)
    let payment_amount = amount(
        req.payment_amount.as_ref(),
        "paymentAmount",
        true,
        ResultCode::CURRENCY_NOT_SUPPORT,
    )?;

    // 6. consistency (§5.5)
    if order_amount.currency() != payment_amount.currency() {
        return Err(Rejection::param_illegal(format!(
            "order.orderAmount.currency ({}) must equal paymentAmount.currency ({})",
            order_amount.currency(),
            payment_amount.currency()
        )));
    }
    let goods = goods_totals(goods)?;
    let goods_total = goods
        .iter()
        .try_fold(0u64, |sum, g| sum.checked_add(g.line_total.minor()))
        .ok_or_else(|| {
            Rejection::param_illegal(
                "order.goods total overflows (sum of goodsUnitAmount.value x goodsQuantity)",
            )
        })?;
    if !goods.is_empty() && goods_total != order_amount.minor() {
        return Err(Rejection::param_illegal(format!(
            "sum of order.goods goodsUnitAmount.value x goodsQuantity ({goods_total}) must equal order.orderAmount.value ({})",
            order_amount.minor()
        )));
    }
    if payment_amount.minor() != order_amount.minor() {
        return Err(Rejection::param_illegal(format!(
            "paymentAmount.value ({}) must equal order.orderAmount.value ({})",
            payment_amount.minor(),
            order_amount.minor()
        )));
    }

    // 7. URLs (§5.9)
    let redirect_url = required(&req.payment_redirect_url, "paymentRedirectUrl", MAX_URL)?;
    http_url(redirect_url, "paymentRedirectUrl")?;
    let notify_url = non_empty(&req.payment_notify_url);
    if let Some(url) = notify_url {
        http_url(url, "paymentNotifyUrl")?;
        if url
            .get(..5)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http:"))
            && !is_loopback_url(url)
        {
            warnings.push(IntegrationWarning::new(
                WarningRule::NotifyUrlNotHttps,
                "paymentNotifyUrl",
                "paymentNotifyUrl is plain http:",
            ));
        }
    }

    // 8. expiry (§5.2)
    let latest = now + Duration::seconds(MAX_SESSION_LIFETIME_SECS);
    let session_expires_at = match non_empty(&req.payment_session_expiry_time) {
        None => latest,
        Some(text) => {
            let at = datetime(text, "paymentSessionExpiryTime")?;
            if at <= now {
                return Err(Rejection::param_illegal(
                    "paymentSessionExpiryTime must be later than the request time",
                ));
            }
            if at > latest {
                return Err(Rejection::param_illegal(
                    "paymentSessionExpiryTime must be at most 1 hour after the request time",
                ));
            }
            at
        }
    };
    if let Some(text) = non_empty(&req.payment_expiry_time) {
        datetime(text, "paymentExpiryTime")?;
    }

    // 9. remaining top-level scalars
    let product_scene = match optional(&req.product_scene, "productScene", 32)? {
        Some(scene) => {
            one_of(scene, "productScene", PRODUCT_SCENES)?;
            scene
        }
        None => {
            warnings.push(IntegrationWarning::missing(
                WarningRule::ProductSceneMissing,
                "productScene",
            ));
            DEFAULT_PRODUCT_SCENE
        }
    };
    let locale = match non_empty(&req.locale) {
        Some(l) if l.eq_ignore_ascii_case("automatic") => None,
        Some(l) => {
            check_len(l, "locale", 8)?;
            Some(l)
        }
        None => None,
    };
    if let Some(r) = non_empty(&req.user_region) {
        region(r, "userRegion")?;
    }
    if let Some(r) = non_empty(&req.merchant_region) {
        region(r, "merchantRegion")?;
    }
    optional(&req.merchant_account_id, "merchantAccountId", 32)?;
    optional(&req.metadata, "metadata", MAX_METADATA)?;
    let terminal_type = terminal_type_of(req.env.as_ref(), "env")?;
    let order_terminal_type = terminal_type_of(order.env.as_ref(), "order.env")?;
    let terminal_type = terminal_type.or(order_terminal_type);
    let settlement_currency = match req.settlement_strategy.as_ref() {
        Some(s) => non_empty(&s.settlement_currency),
        None => None,
    };
    if let Some(c) = settlement_currency {
        if c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Rejection::param_illegal(format!(
                "settlementStrategy.settlementCurrency must be three upper-case letters (ISO 4217), got {}",
                shown(c)
            )));
        }
    }
    let (preselected_method, preselected_method_id) = match req.payment_method.as_ref() {
        Some(m) => (
            optional(
                &m.payment_method_type,
                "paymentMethod.paymentMethodType",
                64,
            )?,
            optional(&m.payment_method_id, "paymentMethod.paymentMethodId", 128)?,
        ),
        None => (None, None),
    };
    let allowed_regions = allowed_regions(req.allowed_payment_method_regions.as_deref())?;

    // 10. travel and hotel data (§5.8)
    travel_and_hotel(order, &mut warnings)?;

    // 11. hosted-page method list
    let (method_filter, express_methods) = method_filter(req)?;

    let mut card_risk_gaps = buyer.risk_gaps;
    let has_client_ip = [req.env.as_ref(), order.env.as_ref()]
        .into_iter()
        .flatten()
        .any(|env| non_empty(&env.client_ip).is_some());
    if !has_client_ip {
        card_risk_gaps.push("env.clientIp");
    }

    Ok(ValidSession {
        payment_request_id: payment_request_id.to_string(),
        amount: payment_amount,
        reference_order_id: reference_order_id.map(str::to_string),
        order_description: order_description.to_string(),
        goods,
        buyer_reference_id: buyer.reference_id.map(str::to_string),
        buyer_full_name: buyer.full_name.map(str::to_string),
        buyer_email: buyer.email.map(str::to_string),
        redirect_url: redirect_url.to_string(),
        notify_url: notify_url.map(str::to_string),
        session_expires_at,
        locale: locale.map(str::to_string),
        terminal_type: terminal_type.map(str::to_string),
        product_scene: product_scene.to_string(),
        settlement_currency: settlement_currency.map(str::to_string),
        method_filter,
        express_methods,
        preselected_method: preselected_method.map(str::to_string),
        preselected_method_id: preselected_method_id.map(str::to_string),
        allowed_regions,
        warnings,
        card_risk_gaps,
    })
}

/// Whether a URL's host is this machine (`localhost`, `*.localhost`,
/// 127.0.0.0/8, `::1`): plain `http:` there never crosses a network, so
/// local development is not warned about it.
fn is_loopback_url(url: &str) -> bool {
    match url::Url::parse(url).ok().as_ref().and_then(url::Url::host) {
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// What step 4 keeps of `order.buyer`.
struct BuyerFacts<'a> {
    reference_id: Option<&'a str>,
    full_name: Option<&'a str>,
    email: Option<&'a str>,
    /// Buyer fields recommended for cards that are absent.
    risk_gaps: Vec<&'static str>,
}

/// Step 4 (§5.7): every buyer field present must be well formed; absent
/// ones the guide asks for are warnings.
fn buyer<'a>(
    buyer: Option<&'a Buyer>,
    warnings: &mut Vec<IntegrationWarning>,
) -> Checked<BuyerFacts<'a>> {
    let Some(buyer) = buyer else {
        warnings.push(IntegrationWarning::new(
            WarningRule::BuyerMissing,
            "order.buyer",
            "order.buyer is missing, so cards are not offered",
        ));
        return Ok(BuyerFacts {
            reference_id: None,
            full_name: None,
            email: None,
            risk_gaps: vec!["order.buyer.buyerEmail", "order.buyer.buyerPhoneNo"],
        });
    };
    let reference_id = optional(
        &buyer.reference_buyer_id,
        "order.buyer.referenceBuyerId",
        64,
    )?;
    if let Some(id) = reference_id {
        id_chars(id, "order.buyer.referenceBuyerId")?;
    }
    if reference_id.is_none() {
        warnings.push(IntegrationWarning::new(
            WarningRule::ReferenceBuyerIdMissing,
            "order.buyer.referenceBuyerId",
            "order.buyer.referenceBuyerId is missing, so cards are not offered",
        ));
    }
    if let Some(name) = buyer.buyer_name.as_ref() {
        user_name(name, "order.buyer.buyerName")?;
    }
    let full_name = buyer
        .buyer_name
        .as_ref()
        .and_then(|name| non_empty(&name.full_name));
    if full_name.is_none() {
        warnings.push(IntegrationWarning::missing(
            WarningRule::BuyerNameMissing,
            "order.buyer.buyerName.fullName",
        ));
    }
    let phone = optional(&buyer.buyer_phone_no, "order.buyer.buyerPhoneNo", 24)?;
    let email = optional(&buyer.buyer_email, "order.buyer.buyerEmail", 64)?;
    optional(
        &buyer.buyer_registration_time,
        "order.buyer.buyerRegistrationTime",
        64,
    )?;
    let mut risk_gaps = Vec::new();
    if email.is_none() {
        risk_gaps.push("order.buyer.buyerEmail");
    }
    if phone.is_none() {
        risk_gaps.push("order.buyer.buyerPhoneNo");
    }
    Ok(BuyerFacts {
        reference_id,
        full_name,
        email,
        risk_gaps,
    })
}

/// Step 3 for `order.goods` (§5.5, §5.7): at most 100 items, each with a
/// unit amount in the order currency and a positive quantity (their sum is
/// checked against the order in step 6). No goods at all, or an item
/// without id or name, is a warning.
fn goods_lines<'a>(
    order: &'a Order,
    order_amount: Amount,
    warnings: &mut Vec<IntegrationWarning>,
) -> Checked<Vec<GoodsLine<'a>>> {
    let goods = order.goods.as_deref().unwrap_or_default();
    if goods.is_empty() {
        warnings.push(IntegrationWarning::missing(
            WarningRule::GoodsMissing,
            "order.goods",
        ));
        return Ok(Vec::new());
    }
    if goods.len() > MAX_GOODS {
        return Err(Rejection::param_illegal(format!(
            "order.goods must contain at most {MAX_GOODS} items, got {}",
            goods.len()
        )));
    }
    goods
        .iter()
        .enumerate()
        .map(|(i, g)| goods_line(g, &format!("order.goods[{i}]"), order_amount, warnings))
        .collect()
}

fn goods_line<'a>(
    g: &'a Goods,
    path: &str,
    order_amount: Amount,
    warnings: &mut Vec<IntegrationWarning>,
) -> Checked<GoodsLine<'a>> {
    let id_path = format!("{path}.referenceGoodsId");
    let id = expected(
        &g.reference_goods_id,
        &id_path,
        64,
        WarningRule::GoodsIdMissing,
        warnings,
    )?;
    if let Some(id) = id {
        id_chars(id, &id_path)?;
    }
    let name = expected(
        &g.goods_name,
        &format!("{path}.goodsName"),
        256,
        WarningRule::GoodsNameMissing,
        warnings,
    )?;
    let unit_path = format!("{path}.goodsUnitAmount");
    let unit = amount(
        g.goods_unit_amount.as_ref(),
        &unit_path,
        false,
        ResultCode::PARAM_ILLEGAL,
    )?;
    if unit.currency() != order_amount.currency() {
        return Err(Rejection::param_illegal(format!(
            "{unit_path}.currency ({}) must equal order.orderAmount.currency ({})",
            unit.currency(),
            order_amount.currency()
        )));
    }
    let quantity_path = format!("{path}.goodsQuantity");
    let quantity = non_empty(&g.goods_quantity)
        .ok_or_else(|| Rejection::param_illegal(format!("{quantity_path} is required")))?;
    let quantity = positive_integer(quantity, &quantity_path)?;
    optional(&g.goods_category, &format!("{path}.goodsCategory"), 64)?;
    optional(&g.goods_brand, &format!("{path}.goodsBrand"), 128)?;
    optional(&g.goods_sku_name, &format!("{path}.goodsSkuName"), 64)?;
    optional(&g.goods_url, &format!("{path}.goodsUrl"), MAX_URL)?;
    optional(
        &g.goods_image_url,
        &format!("{path}.goodsImageUrl"),
        MAX_URL,
    )?;
    let delivery_path = format!("{path}.deliveryMethodType");
    if let Some(method) = optional(&g.delivery_method_type, &delivery_path, 32)? {
        one_of(method, &delivery_path, DELIVERY_METHODS)?;
    }
    Ok(GoodsLine {
        id: id.unwrap_or_default(),
        name: name.unwrap_or_default(),
        quantity,
        unit,
    })
}

/// Step 6: line totals with overflow checks.
fn goods_totals(lines: Vec<GoodsLine<'_>>) -> Checked<Vec<ValidGoods>> {
    lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let total = line.unit.minor().checked_mul(line.quantity).ok_or_else(|| {
                Rejection::param_illegal(format!(
                    "order.goods[{i}]: goods total overflows (goodsUnitAmount.value x goodsQuantity)"
                ))
            })?;
            Ok(ValidGoods {
                reference_goods_id: line.id.to_string(),
                name: line.name.to_string(),
                quantity: line.quantity,
                unit: line.unit,
                line_total: Amount::new(line.unit.currency(), total),
            })
        })
        .collect()
}

fn terminal_type_of<'a>(env: Option<&'a Env>, path: &str) -> Checked<Option<&'a str>> {
    let Some(env) = env else { return Ok(None) };
    let field = format!("{path}.terminalType");
    let terminal = non_empty(&env.terminal_type);
    if let Some(t) = terminal {
        one_of(t, &field, TERMINAL_TYPES)?;
    }
    if let Some(info) = non_empty(&env.extend_info) {
        check_len(info, &format!("{path}.extendInfo"), MAX_EXTEND_INFO)?;
    }
    Ok(terminal)
}

fn allowed_regions(regions: Option<&[String]>) -> Checked<Option<Vec<String>>> {
    let Some(regions) = regions.filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    if regions.len() > MAX_REGIONS {
        return Err(Rejection::param_illegal(format!(
            "allowedPaymentMethodRegions must contain at most {MAX_REGIONS} items"
        )));
    }
    regions
        .iter()
        .enumerate()
        .map(|(i, r)| {
            if r == "GLOBAL" {
                return Ok(r.clone());
            }
            let path = format!("allowedPaymentMethodRegions[{i}]");
            if r.len() == 2 && r.bytes().all(|b| b.is_ascii_alphabetic()) {
                Ok(r.to_ascii_uppercase())
            } else {
                Err(Rejection::param_illegal(format!(
                    "{path} must be a two-letter ISO 3166 region code or GLOBAL, got {}",
                    shown(r)
                )))
            }
        })
        .collect::<Checked<Vec<_>>>()
        .map(Some)
}

/// Step 10 (§5.7, §5.8): `order.transit` and `order.lodging` must be well
/// formed where present. A flight-ticket order without transit, a transit
/// without the fields the guide requires, and goodsNames out of the flight
/// or hotel formats are warnings.
fn travel_and_hotel(order: &Order, warnings: &mut Vec<IntegrationWarning>) -> Checked<()> {
    let goods = order.goods.as_deref().unwrap_or_default();
    let transit_type = match order.transit.as_ref() {
        Some(transit) => validate_transit(transit, warnings)?,
        None => None,
    };
    let flight = transit_type == Some("FLIGHT")
        || goods.iter().any(|g| {
            looks_like_flight_ticket(non_empty(&g.goods_name), non_empty(&g.goods_category))
        });
    if flight && order.transit.is_none() {
        warnings.push(IntegrationWarning::new(
            WarningRule::TransitMissing,
            "order.transit",
            "order.transit is missing although the order sells flight tickets",
        ));
    }
    if let Some(lodging) = order.lodging.as_ref() {
        validate_lodging(lodging, warnings)?;
    }
    for (i, g) in goods.iter().enumerate() {
        let Some(name) = non_empty(&g.goods_name) else {
            continue;
        };
        let field = format!("order.goods[{i}].goodsName");
        if flight {
            if let Err(why) = check_flight_goods_name(name) {
                warnings.push(IntegrationWarning::new(
                    WarningRule::FlightGoodsNameFormat,
                    &field,
                    format!("{field} is not ticket-date-flight number-departure-arrival: {why}"),
                ));
            }
        }
        if order.lodging.is_some() {
            if let Err(why) = check_hotel_goods_name(name) {
                warnings.push(IntegrationWarning::new(
                    WarningRule::HotelGoodsNameFormat,
                    &field,
                    format!("{field} is not Accommodation Period (start-end), Hotel Name: {why}"),
                ));
            }
        }
    }
    Ok(())
}

/// `order.transit`: malformed values are refused; missing required ones
/// (§5.7: `transitType`, legs, and per leg `departureTime`, departure and
/// arrival city, `carrierNo`) are warnings. Returns the transit type.
fn validate_transit<'a>(
    transit: &'a Transit,
    warnings: &mut Vec<IntegrationWarning>,
) -> Checked<Option<&'a str>> {
    let mut missing = |field: String| {
        warnings.push(IntegrationWarning::missing(
            WarningRule::TransitIncomplete,
            &field,
        ))
    };
    let transit_type = optional(&transit.transit_type, "order.transit.transitType", 32)?;
    match transit_type {
        Some(t) => one_of(t, "order.transit.transitType", TRANSIT_TYPES)?,
        None => missing("order.transit.transitType".into()),
    }
    let legs = transit.legs.as_deref().unwrap_or_default();
    if legs.len() > MAX_LEGS {
        return Err(Rejection::param_illegal(format!(
            "order.transit.legs must contain at most {MAX_LEGS} items, got {}",
            legs.len()
        )));
    }
    if legs.is_empty() {
        missing("order.transit.legs".into());
    }
    for (i, leg) in legs.iter().enumerate() {
        let path = format!("order.transit.legs[{i}]");
        let departure_path = format!("{path}.departureTime");
        match optional(&leg.departure_time, &departure_path, 64)? {
            Some(departure) => {
                datetime(departure, &departure_path)?;
            }
            None => missing(departure_path),
        }
        if let Some(arrival) = optional(&leg.arrival_time, &format!("{path}.arrivalTime"), 64)? {
            datetime(arrival, &format!("{path}.arrivalTime"))?;
        }
        for (address, name) in [
            (&leg.departure_address, "departureAddress"),
            (&leg.arrival_address, "arrivalAddress"),
        ] {
            let city_path = format!("{path}.{name}.city");
            match address.as_ref().and_then(|a| non_empty(&a.city)) {
                Some(city) => check_len(city, &city_path, 32)?,
                None => missing(city_path),
            }
        }
        let carrier_path = format!("{path}.carrierNo");
        if optional(&leg.carrier_no, &carrier_path, 64)?.is_none() {
            missing(carrier_path);
        }
        optional(&leg.carrier_name, &format!("{path}.carrierName"), 128)?;
        optional(
            &leg.departure_airport_code,
            &format!("{path}.departureAirportCode"),
            8,
        )?;
        optional(
            &leg.arrival_airport_code,
            &format!("{path}.arrivalAirportCode"),
            8,
        )?;
    }
    let passengers = transit.passengers.as_deref().unwrap_or_default();
    if passengers.len() > MAX_PASSENGERS {
        return Err(Rejection::param_illegal(format!(
            "order.transit.passengers must contain at most {MAX_PASSENGERS} items, got {}",
            passengers.len()
        )));
    }
    for (i, p) in passengers.iter().enumerate() {
        let path = format!("order.transit.passengers[{i}]");
        if let Some(name) = &p.passenger_name {
            user_name(name, &format!("{path}.passengerName"))?;
        }
        optional(&p.passenger_email, &format!("{path}.passengerEmail"), 64)?;
        optional(
            &p.passenger_phone_no,
            &format!("{path}.passengerPhoneNo"),
            32,
        )?;
    }
    Ok(transit_type)
}

/// Step 10 for `order.lodging` (§5.8).
fn validate_lodging(lodging: &Lodging, warnings: &mut Vec<IntegrationWarning>) -> Checked<()> {
    let rule = WarningRule::LodgingIncomplete;
    expected(
        &lodging.hotel_name,
        "order.lodging.hotelName",
        128,
        rule,
        warnings,
    )?;
    if lodging.hotel_address.is_none() {
        warnings.push(IntegrationWarning::missing(
            rule,
            "order.lodging.hotelAddress",
        ));
    }
    for (value, path) in [
        (&lodging.check_in_date, "order.lodging.checkInDate"),
        (&lodging.check_out_date, "order.lodging.checkOutDate"),
    ] {
        if let Some(d) = expected(value, path, 64, rule, warnings)? {
            date_or_datetime(d, path)?;
        }
    }
    for (value, path) in [
        (&lodging.number_of_nights, "order.lodging.numberOfNights"),
        (&lodging.number_of_rooms, "order.lodging.numberOfRooms"),
    ] {
        if let Some(n) = expected(value, path, 20, rule, warnings)? {
            positive_integer(n, path)?;
        }
    }
    let guests = lodging.guest_names.as_deref().unwrap_or_default();
    if guests.is_empty() {
        warnings.push(IntegrationWarning::missing(
            rule,
            "order.lodging.guestNames",
        ));
    }
    if guests.len() > MAX_GUESTS {
        return Err(Rejection::param_illegal(format!(
            "order.lodging.guestNames must contain at most {MAX_GUESTS} items, got {}",
            guests.len()
        )));
    }
    for (i, g) in guests.iter().enumerate() {
        user_name(g, &format!("order.lodging.guestNames[{i}]"))?;
    }
    Ok(())
}

/// Step 11: `availablePaymentMethod.paymentMethodTypeList`, and which of
/// its methods are express (`expressCheckout`: `true` or `false`, any case;
/// the SDKs send a boolean or a string).
fn method_filter(
    req: &CreatePaymentSessionRequest,
) -> Checked<(Option<MethodFilter>, Vec<String>)> {
    let list = req
        .available_payment_method
        .as_ref()
        .and_then(|a| a.payment_method_type_list.as_deref())
        .unwrap_or_default();
    if list.is_empty() {
        return Ok((None, Vec::new()));
    }
    if list.len() > MAX_METHODS {
        return Err(Rejection::param_illegal(format!(
            "availablePaymentMethod.paymentMethodTypeList must contain at most {MAX_METHODS} items"
        )));
    }
    list.iter()
        .enumerate()
        .map(|(i, item)| {
            let path = format!("availablePaymentMethod.paymentMethodTypeList[{i}]");
            let method = required(
                &item.payment_method_type,
                &format!("{path}.paymentMethodType"),
                64,
            )?;
            let order_path = format!("{path}.paymentMethodOrder");
            let order = match non_empty(&item.payment_method_order) {
                None => None,
                Some(text) => {
                    let n = positive_integer(text, &order_path)?;
                    Some(u32::try_from(n).map_err(|_| {
                        Rejection::param_illegal(format!(
                            "{order_path} must be at most {}",
                            u32::MAX
                        ))
                    })?)
                }
            };
            let express_path = format!("{path}.expressCheckout");
            let express = match non_empty(&item.express_checkout) {
                None => false,
                Some(v) if v.eq_ignore_ascii_case("true") => true,
                Some(v) if v.eq_ignore_ascii_case("false") => false,
                Some(_) => {
                    return Err(Rejection::param_illegal(format!(
                        "{express_path} must be true or false"
                    )))
                }
            };
            Ok(((method.to_string(), order), express))
        })
        .collect::<Checked<Vec<_>>>()
        .map(|items| {
            let express = items
                .iter()
                .filter(|(_, express)| *express)
                .map(|((code, _), _)| code.clone())
                .collect();
            (
                Some(items.into_iter().map(|(item, _)| item).collect()),
                express,
            )
        })
}

// ---------------------------------------------------------------------------
// inquiryPayment
// ---------------------------------------------------------------------------

/// Which payment an inquiry (or cancel) refers to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PaymentRef {
    PaymentId(String),
    PaymentRequestId(String),
}

/// Validates an inquiryPayment request (§3.5, §4.3): one id is required,
/// each is at most 64 characters, and `paymentId` wins when both are given.
pub fn validate_inquiry(req: &InquiryPaymentRequest) -> Result<PaymentRef, Rejection> {
    let payment_id = optional(&req.payment_id, "paymentId", 64)?;
    let payment_request_id = optional(&req.payment_request_id, "paymentRequestId", 64)?;
    optional(&req.merchant_account_id, "merchantAccountId", 32)?;
    match (payment_id, payment_request_id) {
        (Some(id), _) => Ok(PaymentRef::PaymentId(id.to_string())),
        (None, Some(id)) => Ok(PaymentRef::PaymentRequestId(id.to_string())),
        (None, None) => Err(Rejection::param_illegal(
            "paymentId or paymentRequestId is required",
        )),
    }
}

// ---------------------------------------------------------------------------
// cancel, refund, inquiryRefund
// ---------------------------------------------------------------------------

/// Validates a cancel request (§3.6): the same id rules as an inquiry.
pub fn validate_cancel(req: &CancelRequest) -> Result<PaymentRef, Rejection> {
    validate_inquiry(req)
}

/// A refund request that passed every stateless check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRefund {
    pub refund_request_id: String,
    pub payment_id: String,
    pub reference_refund_id: Option<String>,
    pub amount: Amount,
    pub reason: Option<String>,
    pub notify_url: Option<String>,
}

impl ValidRefund {
    /// The idempotency fingerprint of §5.1: `paymentId|currency|value`.
    pub fn fingerprint(&self) -> String {
        format!(
            "{}|{}|{}",
            self.payment_id,
            self.amount.currency().code(),
            self.amount.value_string()
        )
    }
}

/// Validates a refund request (§3.7, §4.6, §5.10): ids ≤ 64, a positive
/// amount in a supported currency, reason ≤ 256, notify URL ≤ 1024 and
/// absolute http(s).
pub fn validate_refund(req: &RefundRequest) -> Result<ValidRefund, Rejection> {
    let refund_request_id = required(&req.refund_request_id, "refundRequestId", 64)?;
    id_chars(refund_request_id, "refundRequestId")?;
    let payment_id = required(&req.payment_id, "paymentId", 64)?;
    let reference_refund_id = optional(&req.reference_refund_id, "referenceRefundId", 64)?;
    if let Some(id) = reference_refund_id {
        id_chars(id, "referenceRefundId")?;
    }
    let amount = amount(
        req.refund_amount.as_ref(),
        "refundAmount",
        true,
        ResultCode::CURRENCY_NOT_SUPPORT,
    )?;
    let reason = optional(&req.refund_reason, "refundReason", 256)?;
    let notify_url = optional(&req.refund_notify_url, "refundNotifyUrl", 1024)?;
    if let Some(url) = notify_url {
        http_url(url, "refundNotifyUrl")?;
    }
    optional(&req.capture_id, "captureId", 64)?;
    optional(&req.merchant_account_id, "merchantAccountId", 32)?;
    optional(&req.metadata, "metadata", MAX_METADATA)?;
    Ok(ValidRefund {
        refund_request_id: refund_request_id.to_string(),
        payment_id: payment_id.to_string(),
        reference_refund_id: reference_refund_id.map(str::to_string),
        amount,
        reason: reason.map(str::to_string),
        notify_url: notify_url.map(str::to_string),
    })
}

/// Which refund an inquiryRefund refers to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RefundRef {
    RefundId(String),
    RefundRequestId(String),
}

/// Validates an inquiryRefund request (§3.8): one id required, ≤ 64 each,
/// `refundId` wins.
pub fn validate_inquiry_refund(req: &InquiryRefundRequest) -> Result<RefundRef, Rejection> {
    let refund_id = optional(&req.refund_id, "refundId", 64)?;
    let refund_request_id = optional(&req.refund_request_id, "refundRequestId", 64)?;
    optional(&req.merchant_account_id, "merchantAccountId", 32)?;
    match (refund_id, refund_request_id) {
        (Some(id), _) => Ok(RefundRef::RefundId(id.to_string())),
        (None, Some(id)) => Ok(RefundRef::RefundRequestId(id.to_string())),
        (None, None) => Err(Rejection::param_illegal(
            "refundId or refundRequestId is required",
        )),
    }
}

/// The most one `advanceClock` may move a clock: 400 days.
pub const MAX_ADVANCE_SECONDS: i64 = 34_560_000;

/// Validates an `advanceClock` request: `advanceSeconds` is a whole number
/// from 1 to [`MAX_ADVANCE_SECONDS`] (a JSON integer or a string of
/// digits). Returns the seconds.
pub fn validate_advance_clock(req: &AdvanceClockRequest) -> Result<i64, Rejection> {
    let text = req
        .advance_seconds
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Rejection::param_illegal("advanceSeconds is required"))?;
    let range = || {
        Rejection::param_illegal(format!(
            "advanceSeconds must be a whole number of seconds from 1 to {MAX_ADVANCE_SECONDS} (400 days); got {}",
            text.chars().take(32).collect::<String>()
        ))
    };
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(range());
    }
    match digits.parse::<i64>() {
        Ok(n) if (1..=MAX_ADVANCE_SECONDS).contains(&n) => Ok(n),
        _ => Err(range()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn advance_seconds_are_whole_and_bounded() {
        let req = |v: Value| -> AdvanceClockRequest {
            serde_json::from_value(json!({ "advanceSeconds": v })).unwrap()
        };
        assert_eq!(validate_advance_clock(&req(json!(60))).unwrap(), 60);
        assert_eq!(validate_advance_clock(&req(json!("1860"))).unwrap(), 1860);
        assert_eq!(
            validate_advance_clock(&req(json!(34_560_000))).unwrap(),
            34_560_000
        );
        for bad in [
            json!(0),
            json!(-5),
            json!("-5"),
            json!(34_560_001),
            json!(1.5),
            json!("1e3"),
            json!("ten"),
            json!(""),
            json!(true),
            json!("99999999999999999999999"),
        ] {
            let r = validate_advance_clock(&req(bad.clone())).unwrap_err();
            assert_eq!(r.code, ResultCode::PARAM_ILLEGAL, "{bad}");
        }
        assert!(validate_advance_clock(&AdvanceClockRequest::default()).is_err());
    }

    /// The docs/protocol.md §3.2 example as Python's `json.dumps(..., indent=3)`
    /// sends it (ASCII only, `\u00e9` escapes), with a method list and a
    /// query string that contains `&`.
    const PYTHON_PRETTY: &str = r#"{
   "productCode": "CASHIER_PAYMENT",
   "paymentRequestId": "PR_20250101_000001",
   "order": {
      "referenceOrderId": "ORDER_20250101_000001",
      "orderDescription": "Wireless mouse",
      "orderAmount": {
         "currency": "USD",
         "value": "1999"
      },
      "goods": [
         {
            "referenceGoodsId": "SKU-1",
            "goodsName": "Wireless mouse",
            "goodsQuantity": "1",
            "goodsUnitAmount": {
               "currency": "USD",
               "value": "1999"
            }
         }
      ],
      "buyer": {
         "referenceBuyerId": "BUYER_42",
         "buyerName": {
            "fullName": "Zo\u00e9 Tan"
         },
         "buyerEmail": "buyer@example.com"
      }
   },
   "paymentAmount": {
      "currency": "USD",
      "value": "1999"
   },
   "settlementStrategy": {
      "settlementCurrency": "USD"
   },
   "paymentRedirectUrl": "https://merchant.example.com/return?order=ORDER_20250101_000001&lang=en",
   "paymentNotifyUrl": "https://merchant.example.com/antom/notify",
   "productScene": "CHECKOUT_PAYMENT",
   "locale": "en_US",
   "env": {
      "terminalType": "WEB"
   },
   "availablePaymentMethod": {
      "paymentMethodTypeList": [
         {
            "paymentMethodType": "ALIPAY_CN",
            "paymentMethodOrder": "1",
            "expressCheckout": "true"
         },
         {
            "paymentMethodType": "CARD",
            "paymentMethodOrder": "2"
         }
      ]
   }
}"#;

    fn now() -> DateTime<Utc> {
        parse_datetime("2025-01-01T12:00:00+08:00").unwrap()
    }

    fn base_request() -> Value {
        serde_json::from_str(PYTHON_PRETTY).unwrap()
    }

    fn valid_transit() -> Value {
        json!({
            "transitType": "FLIGHT",
            "legs": [{
                "departureTime": "2025-02-01T08:00:00+08:00",
                "arrivalTime": "2025-02-01T16:00:00+09:00",
                "departureAddress": {"city": "Singapore", "region": "SG"},
                "arrivalAddress": {"city": "Tokyo", "region": "JP"},
                "carrierName": "Example Air",
                "carrierNo": "EX12",
                "classType": "FIRSTLEVEL",
                "departureAirportCode": "SIN",
                "arrivalAirportCode": "HND"
            }],
            "passengers": [{"passengerName": {"fullName": "Zo\u{e9} Tan"}, "passengerEmail": "z@example.com"}]
        })
    }

    fn valid_lodging() -> Value {
        json!({
            "hotelName": "Hotel Example",
            "hotelAddress": {"city": "Tokyo"},
            "checkInDate": "2025-02-01",
            "checkOutDate": "2025-02-03T12:00:00+09:00",
            "numberOfNights": 2,
            "numberOfRooms": "1",
            "guestNames": [{"fullName": "Zo\u{e9} Tan"}]
        })
    }

    fn goods_item(id: &str, unit: &str, quantity: &str) -> Value {
        json!({
            "referenceGoodsId": id,
            "goodsName": "Thing",
            "goodsQuantity": quantity,
            "goodsUnitAmount": {"currency": "USD", "value": unit}
        })
    }

    /// Sets (`Some`) or removes (`None`) the value at a JSON pointer; the
    /// parent must exist. An array index equal to the length appends.
    fn apply(v: &mut Value, pointer: &str, new: Option<Value>) {
        let (parent, key) = pointer.rsplit_once('/').expect("pointer starts with /");
        let parent = v
            .pointer_mut(parent)
            .unwrap_or_else(|| panic!("no parent for {pointer}"));
        match (parent, new) {
            (Value::Object(m), Some(n)) => {
                m.insert(key.to_string(), n);
            }
            (Value::Object(m), None) => {
                m.shift_remove(key);
            }
            (Value::Array(a), Some(n)) => {
                let i: usize = key.parse().unwrap();
                if i < a.len() {
                    a[i] = n;
                } else {
                    a.push(n);
                }
            }
            (Value::Array(a), None) => {
                a.remove(key.parse::<usize>().unwrap());
            }
            (other, _) => panic!("cannot apply {pointer} to {other}"),
        }
    }

    fn check(body: &[u8]) -> Result<ValidSession, Rejection> {
        let req: CreatePaymentSessionRequest = parse_json(body)?;
        validate_create_session(&req, now())
    }

    fn check_value(v: &Value) -> Result<ValidSession, Rejection> {
        check(&serde_json::to_vec(v).unwrap())
    }

    /// Python's `ensure_ascii`: every non-ASCII character as `\uXXXX`.
    fn ascii_escape(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        for c in s.chars() {
            if c.is_ascii() {
                out.push(c);
            } else {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
        }
        out
    }

    fn python_pretty(v: &Value) -> String {
        use serde::Serialize;
        let mut buf = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b"   ");
        let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
        v.serialize(&mut ser).unwrap();
        ascii_escape(&String::from_utf8(buf).unwrap())
    }

    fn expected_session() -> ValidSession {
        let usd = |v| Amount::parse("USD", v).unwrap();
        ValidSession {
            payment_request_id: "PR_20250101_000001".into(),
            amount: usd("1999"),
            reference_order_id: Some("ORDER_20250101_000001".into()),
            order_description: "Wireless mouse".into(),
            goods: vec![ValidGoods {
                reference_goods_id: "SKU-1".into(),
                name: "Wireless mouse".into(),
                quantity: 1,
                unit: usd("1999"),
                line_total: usd("1999"),
            }],
            buyer_reference_id: Some("BUYER_42".into()),
            buyer_full_name: Some("Zo\u{e9} Tan".into()),
            buyer_email: Some("buyer@example.com".into()),
            redirect_url: "https://merchant.example.com/return?order=ORDER_20250101_000001&lang=en"
                .into(),
            notify_url: Some("https://merchant.example.com/antom/notify".into()),
            session_expires_at: now() + Duration::hours(1),
            locale: Some("en_US".into()),
            terminal_type: Some("WEB".into()),
            product_scene: "CHECKOUT_PAYMENT".into(),
            settlement_currency: Some("USD".into()),
            method_filter: Some(vec![
                ("ALIPAY_CN".into(), Some(1)),
                ("CARD".into(), Some(2)),
            ]),
            express_methods: vec!["ALIPAY_CN".into()],
            preselected_method: None,
            preselected_method_id: None,
            allowed_regions: None,
            warnings: Vec::new(),
            card_risk_gaps: vec!["order.buyer.buyerPhoneNo", "env.clientIp"],
        }
    }

    // -- body-encoding quirks (§1.4) ------------------------------------

    #[test]
    fn the_python_pretty_example_validates() {
        assert_eq!(check(PYTHON_PRETTY.as_bytes()).unwrap(), expected_session());
    }

    #[test]
    fn every_sdk_encoding_yields_the_same_session() {
        let base = base_request();
        let compact = serde_json::to_string(&base).unwrap();
        assert!(compact.contains("Zo\u{e9} Tan"), "compact JSON keeps UTF-8");

        // Python: native numbers and booleans, pretty with indent 3.
        let mut native = base.clone();
        for p in [
            "/order/orderAmount/value",
            "/paymentAmount/value",
            "/order/goods/0/goodsUnitAmount/value",
        ] {
            apply(&mut native, p, Some(json!(1999)));
        }
        apply(&mut native, "/order/goods/0/goodsQuantity", Some(json!(1)));
        apply(
            &mut native,
            "/availablePaymentMethod/paymentMethodTypeList/0/paymentMethodOrder",
            Some(json!(1)),
        );
        apply(
            &mut native,
            "/availablePaymentMethod/paymentMethodTypeList/0/expressCheckout",
            Some(json!(true)),
        );
        apply(
            &mut native,
            "/availablePaymentMethod/paymentMethodTypeList/1/paymentMethodOrder",
            Some(json!(2)),
        );
        apply(
            &mut native,
            "/availablePaymentMethod/paymentMethodTypeList/1/expressCheckout",
            Some(json!(false)),
        );
        let native = python_pretty(&native);
        assert!(native.contains("\"value\": 1999") && native.contains("\"expressCheckout\": true"));

        // .NET: every unset property is null.
        let mut dotnet = base.clone();
        for p in [
            "/paymentMethod",
            "/paymentFactor",
            "/merchantAccountId",
            "/metadata",
            "/userRegion",
            "/merchantRegion",
            "/paymentSessionExpiryTime",
            "/paymentExpiryTime",
            "/allowedPaymentMethodRegions",
            "/savedPaymentMethods",
            "/creditPayPlan",
            "/enableInstallmentCollection",
            "/customizedInfo",
            "/riskData",
            "/order/shipping",
            "/order/merchant",
            "/order/env",
            "/order/transit",
            "/order/lodging",
            "/order/gaming",
            "/order/extendInfo",
            "/order/goods/0/goodsCategory",
            "/order/goods/0/goodsBrand",
            "/order/goods/0/goodsSkuName",
            "/order/goods/0/goodsUrl",
            "/order/goods/0/goodsImageUrl",
            "/order/goods/0/deliveryMethodType",
            "/order/buyer/buyerPhoneNo",
            "/order/buyer/buyerRegistrationTime",
            "/order/buyer/buyerName/firstName",
            "/order/buyer/buyerName/middleName",
            "/order/buyer/buyerName/lastName",
            "/env/osType",
            "/env/userAgent",
            "/env/clientIp",
            "/env/browserInfo",
            "/env/extendInfo",
            "/settlementStrategy/extra",
            "/availablePaymentMethod/paymentMethodTypeList/1/expressCheckout",
        ] {
            apply(&mut dotnet, p, Some(Value::Null));
        }
        let dotnet = serde_json::to_string(&dotnet).unwrap();

        // PHP: `\/` and `\uXXXX`.
        let php = ascii_escape(&compact).replace('/', "\\/");
        assert!(
            php.contains(r"https:\/\/merchant.example.com\/return") && php.contains(r"Zo\u00e9")
        );

        // Go: `&`, `<`, `>` as `\u0026`, `\u003c`, `\u003e`.
        let go = compact.replace('&', "\\u0026");
        assert!(go.contains(r"ORDER_20250101_000001\u0026lang=en"));

        // Any SDK: fields outside Cashier's scope.
        let mut extra = base.clone();
        apply(
            &mut extra,
            "/subscriptionInfo",
            Some(json!({"subscriptionDescription": "x", "periodRule": {"periodCount": 1}})),
        );
        apply(
            &mut extra,
            "/enableInstallmentCollection",
            Some(json!(true)),
        );
        apply(
            &mut extra,
            "/paymentQuote",
            Some(json!({"quotePrice": 1.23})),
        );
        apply(&mut extra, "/order/needDeclaration", Some(json!(false)));
        apply(
            &mut extra,
            "/order/goods/0/goodsDiscountAmount",
            Some(json!({"currency": "USD", "value": "0"})),
        );
        apply(
            &mut extra,
            "/env/browserInfo",
            Some(json!({"javaEnabled": false, "language": "en"})),
        );
        let extra = serde_json::to_string(&extra).unwrap();

        let expected = expected_session();
        for (name, body) in [
            ("compact", compact),
            ("native numbers", native),
            (".NET nulls", dotnet),
            ("PHP escapes", php),
            ("Go escapes", go),
            ("unknown fields", extra),
        ] {
            assert_eq!(
                check(body.as_bytes()),
                Ok(expected.clone()),
                "{name}: {body}"
            );
        }
    }

    // -- one rule per row ----------------------------------------------

    type Mutation = (&'static str, Option<Value>);

    fn put(pointer: &'static str, v: Value) -> Mutation {
        (pointer, Some(v))
    }

    fn rm(pointer: &'static str) -> Mutation {
        (pointer, None)
    }

    fn long(n: usize) -> Value {
        json!("x".repeat(n))
    }

    fn url_of_len(n: usize) -> Value {
        let head = "https://merchant.example.com/";
        json!(format!("{head}{}", "a".repeat(n - head.len())))
    }

    use ResultCode::{CURRENCY_NOT_SUPPORT, INVALID_CONTRACT, PARAM_ILLEGAL};

    #[allow(clippy::type_complexity)]
    fn cases() -> Vec<(Vec<Mutation>, ResultCode, &'static str)> {
        let in_an_hour = "2025-01-01T13:00:00+08:00";
        let all_idr = |payment: &'static str| {
            vec![
                put(
                    "/order/orderAmount",
                    json!({"currency": "IDR", "value": "200000"}),
                ),
                put(
                    "/order/goods/0/goodsUnitAmount",
                    json!({"currency": "IDR", "value": "200000"}),
                ),
                put(
                    "/paymentAmount",
                    json!({"currency": "IDR", "value": payment}),
                ),
            ]
        };
        let three_goods = || {
            put(
                "/order/goods",
                json!([
                    goods_item("A", "999", "1"),
                    goods_item("B", "500", "1"),
                    goods_item("C", "500", "1")
                ]),
            )
        };
        vec![
            // 1. productCode
            (vec![rm("/productCode")], PARAM_ILLEGAL, "productCode is required"),
            (vec![put("/productCode", json!("IN_STORE_PAYMENT"))], PARAM_ILLEGAL, "productCode must be CASHIER_PAYMENT"),
            (vec![put("/productCode", json!("AGREEMENT_PAYMENT"))], INVALID_CONTRACT, "productCode AGREEMENT_PAYMENT"),
            // 2. paymentRequestId
            (vec![rm("/paymentRequestId")], PARAM_ILLEGAL, "paymentRequestId is required"),
            (vec![put("/paymentRequestId", json!(""))], PARAM_ILLEGAL, "paymentRequestId is required"),
            (vec![put("/paymentRequestId", Value::Null)], PARAM_ILLEGAL, "paymentRequestId is required"),
            (vec![put("/paymentRequestId", long(65))], PARAM_ILLEGAL, "paymentRequestId must be at most 64 characters"),
            (vec![put("/paymentRequestId", json!("PR\u{0}1"))], PARAM_ILLEGAL, "paymentRequestId must not contain control or bidirectional-override characters (U+0000 at position 3)"),
            (vec![put("/paymentRequestId", json!("PR-1\n"))], PARAM_ILLEGAL, "(U+000A at position 5)"),
            (vec![put("/paymentRequestId", json!("PR-\u{1b}[31m"))], PARAM_ILLEGAL, "(U+001B at position 4)"),
            (vec![put("/paymentRequestId", json!("PR-\u{202e}1"))], PARAM_ILLEGAL, "(U+202E at position 4)"),
            (vec![put("/order/referenceOrderId", json!("O\u{2067}1"))], PARAM_ILLEGAL, "order.referenceOrderId must not contain control"),
            (vec![put("/order/goods/0/referenceGoodsId", json!("G\u{85}"))], PARAM_ILLEGAL, "order.goods[0].referenceGoodsId must not contain control"),
            (vec![put("/order/buyer/referenceBuyerId", json!("B\u{7f}"))], PARAM_ILLEGAL, "order.buyer.referenceBuyerId must not contain control"),
            // 3. order and goods
            (vec![rm("/order")], PARAM_ILLEGAL, "order is required"),
            (vec![put("/order", Value::Null)], PARAM_ILLEGAL, "order is required"),
            (vec![put("/order/referenceOrderId", long(65))], PARAM_ILLEGAL, "order.referenceOrderId must be at most 64"),
            (vec![rm("/order/orderDescription")], PARAM_ILLEGAL, "order.orderDescription is required"),
            (vec![put("/order/orderDescription", long(257))], PARAM_ILLEGAL, "order.orderDescription must be at most 256"),
            (vec![rm("/order/orderAmount")], PARAM_ILLEGAL, "order.orderAmount is required"),
            (vec![rm("/order/orderAmount/currency")], PARAM_ILLEGAL, "order.orderAmount.currency is required"),
            (vec![rm("/order/orderAmount/value")], PARAM_ILLEGAL, "order.orderAmount.value is required"),
            (vec![put("/order/orderAmount/value", json!("19.99"))], PARAM_ILLEGAL, "order.orderAmount.value must be 1 to 16 digits"),
            (vec![put("/order/orderAmount/value", json!("0"))], PARAM_ILLEGAL, "order.orderAmount.value must be greater than zero"),
            (vec![put("/order/orderAmount/currency", json!("XYZ"))], CURRENCY_NOT_SUPPORT, "order.orderAmount.currency XYZ is not supported"),
            (vec![put("/order/orderAmount/currency", json!("US"))], PARAM_ILLEGAL, "order.orderAmount.currency must be three upper-case letters"),
            (vec![put("/order/orderAmount", json!({"currency": "IDR", "value": "199950"}))], PARAM_ILLEGAL, "order.orderAmount.value for IDR must be a multiple of 100"),
            (vec![put("/order/goods", json!(vec![goods_item("A", "1", "1"); 101]))], PARAM_ILLEGAL, "order.goods must contain at most 100 items"),
            (vec![put("/order/goods/0/referenceGoodsId", long(65))], PARAM_ILLEGAL, "order.goods[0].referenceGoodsId must be at most 64"),
            (vec![put("/order/goods/0/goodsName", long(257))], PARAM_ILLEGAL, "order.goods[0].goodsName must be at most 256"),
            (vec![rm("/order/goods/0/goodsUnitAmount")], PARAM_ILLEGAL, "order.goods[0].goodsUnitAmount is required"),
            (vec![put("/order/goods/0/goodsUnitAmount/value", json!("1e3"))], PARAM_ILLEGAL, "order.goods[0].goodsUnitAmount.value must be 1 to 16 digits"),
            (vec![put("/order/goods/0/goodsUnitAmount/currency", json!("EUR"))], PARAM_ILLEGAL, "order.goods[0].goodsUnitAmount.currency (EUR) must equal order.orderAmount.currency (USD)"),
            (vec![put("/order/goods/0/goodsUnitAmount/currency", json!("XYZ"))], PARAM_ILLEGAL, "order.goods[0].goodsUnitAmount.currency XYZ is not supported"),
            (vec![rm("/order/goods/0/goodsQuantity")], PARAM_ILLEGAL, "order.goods[0].goodsQuantity is required"),
            (vec![put("/order/goods/0/goodsQuantity", json!("0"))], PARAM_ILLEGAL, "order.goods[0].goodsQuantity must be a positive integer"),
            (vec![put("/order/goods/0/goodsQuantity", json!(1.5))], PARAM_ILLEGAL, "order.goods[0].goodsQuantity must be a positive integer"),
            (vec![put("/order/goods/0/goodsQuantity", json!("-1"))], PARAM_ILLEGAL, "order.goods[0].goodsQuantity must be a positive integer"),
            (vec![put("/order/goods/0/goodsQuantity", json!("+1"))], PARAM_ILLEGAL, "order.goods[0].goodsQuantity must be a positive integer"),
            (vec![put("/order/goods/0/goodsQuantity", json!("18446744073709551616"))], PARAM_ILLEGAL, "order.goods[0].goodsQuantity must be a positive integer"),
            (vec![three_goods(), put("/order/goods/2/goodsQuantity", json!("two"))], PARAM_ILLEGAL, "order.goods[2].goodsQuantity must be a positive integer"),
            (vec![put("/order/goods/0/goodsCategory", long(65))], PARAM_ILLEGAL, "order.goods[0].goodsCategory must be at most 64"),
            (vec![put("/availablePaymentMethod/paymentMethodTypeList/0/expressCheckout", json!("yes"))], PARAM_ILLEGAL, "availablePaymentMethod.paymentMethodTypeList[0].expressCheckout must be true or false"),
            (vec![put("/order/goods/0/goodsBrand", long(129))], PARAM_ILLEGAL, "order.goods[0].goodsBrand must be at most 128"),
            (vec![put("/order/goods/0/goodsSkuName", long(65))], PARAM_ILLEGAL, "order.goods[0].goodsSkuName must be at most 64"),
            (vec![put("/order/goods/0/goodsUrl", url_of_len(2049))], PARAM_ILLEGAL, "order.goods[0].goodsUrl must be at most 2048"),
            (vec![put("/order/goods/0/goodsImageUrl", url_of_len(2049))], PARAM_ILLEGAL, "order.goods[0].goodsImageUrl must be at most 2048"),
            (vec![put("/order/goods/0/deliveryMethodType", json!("EMAIL"))], PARAM_ILLEGAL, "order.goods[0].deliveryMethodType must be one of PHYSICAL, DIGITAL"),
            (vec![put("/order/goods/0/deliveryMethodType", long(33))], PARAM_ILLEGAL, "order.goods[0].deliveryMethodType must be at most 32"),
            (vec![put("/order/extendInfo", long(2049))], PARAM_ILLEGAL, "order.extendInfo must be at most 2048"),
            // 4. buyer
            (vec![put("/order/buyer/referenceBuyerId", long(65))], PARAM_ILLEGAL, "order.buyer.referenceBuyerId must be at most 64"),
            (vec![put("/order/buyer/buyerName/fullName", long(129))], PARAM_ILLEGAL, "order.buyer.buyerName.fullName must be at most 128"),
            (vec![put("/order/buyer/buyerName/firstName", long(33))], PARAM_ILLEGAL, "order.buyer.buyerName.firstName must be at most 32"),
            (vec![put("/order/buyer/buyerName/lastName", long(33))], PARAM_ILLEGAL, "order.buyer.buyerName.lastName must be at most 32"),
            (vec![put("/order/buyer/buyerPhoneNo", long(25))], PARAM_ILLEGAL, "order.buyer.buyerPhoneNo must be at most 24"),
            (vec![put("/order/buyer/buyerEmail", long(65))], PARAM_ILLEGAL, "order.buyer.buyerEmail must be at most 64"),
            // 5. paymentAmount
            (vec![rm("/paymentAmount")], PARAM_ILLEGAL, "paymentAmount is required"),
            (vec![put("/paymentAmount", Value::Null)], PARAM_ILLEGAL, "paymentAmount is required"),
            (vec![rm("/paymentAmount/value")], PARAM_ILLEGAL, "paymentAmount.value is required"),
            (vec![put("/paymentAmount/currency", json!("usd"))], PARAM_ILLEGAL, "paymentAmount.currency must be three upper-case letters"),
            (vec![put("/paymentAmount/currency", json!("XYZ"))], CURRENCY_NOT_SUPPORT, "paymentAmount.currency XYZ is not supported"),
            (vec![put("/paymentAmount/value", json!("0"))], PARAM_ILLEGAL, "paymentAmount.value must be greater than zero"),
            (vec![put("/paymentAmount/value", json!(0))], PARAM_ILLEGAL, "paymentAmount.value must be greater than zero"),
            (vec![put("/paymentAmount/value", json!("1e3"))], PARAM_ILLEGAL, "paymentAmount.value must be 1 to 16 digits"),
            (vec![put("/paymentAmount/value", json!(19.99))], PARAM_ILLEGAL, "paymentAmount.value must be 1 to 16 digits"),
            (vec![put("/paymentAmount/value", json!(1999.0))], PARAM_ILLEGAL, "paymentAmount.value must be 1 to 16 digits"),
            (vec![put("/paymentAmount/value", json!("-1999"))], PARAM_ILLEGAL, "paymentAmount.value must be 1 to 16 digits"),
            (vec![put("/paymentAmount/value", json!(" 1999"))], PARAM_ILLEGAL, "paymentAmount.value must be 1 to 16 digits"),
            (vec![put("/paymentAmount/value", json!("12345678901234567"))], PARAM_ILLEGAL, "paymentAmount.value must be 1 to 16 digits"),
            (all_idr("199950"), PARAM_ILLEGAL, "paymentAmount.value for IDR must be a multiple of 100"),
            // 6. consistency
            (vec![put("/paymentAmount/currency", json!("EUR"))], PARAM_ILLEGAL, "order.orderAmount.currency (USD) must equal paymentAmount.currency (EUR)"),
            (vec![put("/paymentAmount/value", json!("1500"))], PARAM_ILLEGAL, "paymentAmount.value (1500) must equal order.orderAmount.value (1999)"),
            (vec![put("/order/goods/0/goodsUnitAmount/value", json!("1000"))], PARAM_ILLEGAL, "sum of order.goods goodsUnitAmount.value x goodsQuantity (1000) must equal order.orderAmount.value (1999)"),
            (vec![put("/order/goods/0/goodsQuantity", json!("2"))], PARAM_ILLEGAL, "(3998) must equal order.orderAmount.value (1999)"),
            (vec![three_goods(), put("/order/goods/2/goodsQuantity", json!("2"))], PARAM_ILLEGAL, "(2499) must equal order.orderAmount.value (1999)"),
            (
                vec![
                    put("/order/goods/0/goodsUnitAmount/value", json!("9999999999999999")),
                    put("/order/goods/0/goodsQuantity", json!("18446744073709551615")),
                ],
                PARAM_ILLEGAL,
                "order.goods[0]: goods total overflows",
            ),
            (
                vec![put(
                    "/order/goods",
                    json!([goods_item("A", "9999999999999999", "1000"), goods_item("B", "9999999999999999", "1000")]),
                )],
                PARAM_ILLEGAL,
                "order.goods total overflows",
            ),
            // 7. URLs
            (vec![rm("/paymentRedirectUrl")], PARAM_ILLEGAL, "paymentRedirectUrl is required"),
            (vec![put("/paymentRedirectUrl", json!("/return?order=1"))], PARAM_ILLEGAL, "paymentRedirectUrl must be an absolute http(s) URL"),
            (vec![put("/paymentRedirectUrl", json!("merchant.example.com/return"))], PARAM_ILLEGAL, "paymentRedirectUrl must be an absolute http(s) URL"),
            (vec![put("/paymentRedirectUrl", json!("ftp://merchant.example.com/return"))], PARAM_ILLEGAL, "paymentRedirectUrl must be an absolute http(s) URL"),
            (vec![put("/paymentRedirectUrl", json!("javascript:alert(1)"))], PARAM_ILLEGAL, "paymentRedirectUrl must be an absolute http(s) URL"),
            (vec![put("/paymentRedirectUrl", json!("https://"))], PARAM_ILLEGAL, "paymentRedirectUrl must be an absolute http(s) URL"),
            (vec![put("/paymentRedirectUrl", json!("https:///path"))], PARAM_ILLEGAL, "paymentRedirectUrl must be an absolute http(s) URL"),
            (vec![put("/paymentRedirectUrl", json!(r"https:\\evil.example/path"))], PARAM_ILLEGAL, "paymentRedirectUrl must be an absolute http(s) URL"),
            (vec![put("/paymentRedirectUrl", json!("https://[::1"))], PARAM_ILLEGAL, "paymentRedirectUrl must be an absolute http(s) URL"),
            (vec![put("/paymentRedirectUrl", json!("https://merchant.example.com/a b"))], PARAM_ILLEGAL, "paymentRedirectUrl must be an absolute http(s) URL without whitespace"),
            (vec![put("/paymentRedirectUrl", json!(" https://merchant.example.com/"))], PARAM_ILLEGAL, "paymentRedirectUrl must be an absolute http(s) URL without whitespace"),
            (vec![put("/paymentRedirectUrl", json!("https://merchant.example.com/\r\nSet-Cookie: x"))], PARAM_ILLEGAL, "paymentRedirectUrl must be an absolute http(s) URL without whitespace"),
            (vec![put("/paymentRedirectUrl", json!("https://merchant.example.com/\u{0}"))], PARAM_ILLEGAL, "paymentRedirectUrl must be an absolute http(s) URL without whitespace"),
            (vec![put("/paymentRedirectUrl", url_of_len(2049))], PARAM_ILLEGAL, "paymentRedirectUrl must be at most 2048"),
            (vec![put("/paymentNotifyUrl", json!("notify"))], PARAM_ILLEGAL, "paymentNotifyUrl must be an absolute http(s) URL"),
            (vec![put("/paymentNotifyUrl", json!("mailto:ops@merchant.example.com"))], PARAM_ILLEGAL, "paymentNotifyUrl must be an absolute http(s) URL"),
            (vec![put("/paymentNotifyUrl", url_of_len(2049))], PARAM_ILLEGAL, "paymentNotifyUrl must be at most 2048"),
            // 8. expiry
            (vec![put("/paymentSessionExpiryTime", json!("tomorrow"))], PARAM_ILLEGAL, "paymentSessionExpiryTime must be an ISO-8601 datetime"),
            (vec![put("/paymentSessionExpiryTime", json!("2025-01-01 12:30:00"))], PARAM_ILLEGAL, "paymentSessionExpiryTime must be an ISO-8601 datetime"),
            (vec![put("/paymentSessionExpiryTime", json!("2025-01-01T12:00:00+08:00"))], PARAM_ILLEGAL, "paymentSessionExpiryTime must be later than the request time"),
            (vec![put("/paymentSessionExpiryTime", json!("2024-12-31T23:00:00+08:00"))], PARAM_ILLEGAL, "paymentSessionExpiryTime must be later than the request time"),
            (vec![put("/paymentSessionExpiryTime", json!("2025-01-01T13:00:01+08:00"))], PARAM_ILLEGAL, "paymentSessionExpiryTime must be at most 1 hour after the request time"),
            (vec![put("/paymentSessionExpiryTime", json!("2025-01-01T05:00:01Z"))], PARAM_ILLEGAL, "paymentSessionExpiryTime must be at most 1 hour"),
            (vec![put("/paymentSessionExpiryTime", json!(in_an_hour)), put("/paymentExpiryTime", json!("later"))], PARAM_ILLEGAL, "paymentExpiryTime must be an ISO-8601 datetime"),
            // 9. remaining scalars
            (vec![put("/productScene", json!("IN_APP"))], PARAM_ILLEGAL, "productScene must be one of CHECKOUT_PAYMENT, ELEMENT_PAYMENT"),
            (vec![put("/locale", json!("en_US_POSIX"))], PARAM_ILLEGAL, "locale must be at most 8 characters"),
            (vec![put("/userRegion", json!("USA"))], PARAM_ILLEGAL, "userRegion must be a two-letter ISO 3166 region code"),
            (vec![put("/userRegion", json!("U1"))], PARAM_ILLEGAL, "userRegion must be a two-letter"),
            (vec![put("/merchantRegion", json!("S"))], PARAM_ILLEGAL, "merchantRegion must be a two-letter"),
            (vec![put("/merchantAccountId", long(33))], PARAM_ILLEGAL, "merchantAccountId must be at most 32"),
            (vec![put("/metadata", long(4097))], PARAM_ILLEGAL, "metadata must be at most 4096"),
            (vec![put("/env/terminalType", json!("TV"))], PARAM_ILLEGAL, "env.terminalType must be one of WEB, WAP, APP, MINI_APP"),
            (vec![put("/order/env", json!({"terminalType": "KIOSK"}))], PARAM_ILLEGAL, "order.env.terminalType must be one of"),
            (vec![put("/settlementStrategy/settlementCurrency", json!("usd"))], PARAM_ILLEGAL, "settlementStrategy.settlementCurrency must be three upper-case letters"),
            (vec![put("/settlementStrategy/settlementCurrency", json!("USDT"))], PARAM_ILLEGAL, "settlementStrategy.settlementCurrency must be three upper-case letters"),
            (vec![put("/paymentMethod", json!({"paymentMethodType": "x".repeat(65)}))], PARAM_ILLEGAL, "paymentMethod.paymentMethodType must be at most 64"),
            (vec![put("/paymentMethod", json!({"paymentMethodId": "x".repeat(129)}))], PARAM_ILLEGAL, "paymentMethod.paymentMethodId must be at most 128"),
            (vec![put("/allowedPaymentMethodRegions", json!(["SG", "EUROPE"]))], PARAM_ILLEGAL, "allowedPaymentMethodRegions[1] must be a two-letter ISO 3166 region code or GLOBAL"),
            // 10. transit and lodging
            (vec![put("/order/transit", valid_transit()), put("/order/transit/transitType", json!("BUS"))], PARAM_ILLEGAL, "order.transit.transitType must be one of FLIGHT, TRAIN, CRUISE, COACH"),
            (vec![put("/order/transit", valid_transit()), put("/order/transit/legs", json!(vec![valid_transit()["legs"][0].clone(); 11]))], PARAM_ILLEGAL, "order.transit.legs must contain at most 10 items, got 11"),
            (vec![put("/order/transit", valid_transit()), put("/order/transit/legs/0/departureTime", json!("soon"))], PARAM_ILLEGAL, "order.transit.legs[0].departureTime must be an ISO-8601 datetime"),
            (vec![put("/order/transit", valid_transit()), put("/order/transit/legs/0/arrivalTime", json!("2025-02-01"))], PARAM_ILLEGAL, "order.transit.legs[0].arrivalTime must be an ISO-8601 datetime"),
            (vec![put("/order/transit", valid_transit()), put("/order/transit/legs/0/departureAirportCode", long(9))], PARAM_ILLEGAL, "order.transit.legs[0].departureAirportCode must be at most 8"),
            (vec![put("/order/transit", valid_transit()), put("/order/transit/passengers", json!(vec![json!({}); 101]))], PARAM_ILLEGAL, "order.transit.passengers must contain at most 100 items"),
            (vec![put("/order/transit", valid_transit()), put("/order/transit/passengers/0/passengerName/firstName", long(33))], PARAM_ILLEGAL, "order.transit.passengers[0].passengerName.firstName must be at most 32"),
            (vec![put("/order/lodging", valid_lodging()), put("/order/lodging/hotelName", long(129))], PARAM_ILLEGAL, "order.lodging.hotelName must be at most 128"),
            (vec![put("/order/lodging", valid_lodging()), put("/order/lodging/checkInDate", json!("next week"))], PARAM_ILLEGAL, "order.lodging.checkInDate must be an ISO-8601 datetime"),
            (vec![put("/order/lodging", valid_lodging()), put("/order/lodging/checkOutDate", json!("2025-13-01"))], PARAM_ILLEGAL, "order.lodging.checkOutDate must be an ISO-8601 datetime"),
            (vec![put("/order/lodging", valid_lodging()), put("/order/lodging/numberOfNights", json!(0))], PARAM_ILLEGAL, "order.lodging.numberOfNights must be a positive integer"),
            (vec![put("/order/lodging", valid_lodging()), put("/order/lodging/numberOfRooms", json!("two"))], PARAM_ILLEGAL, "order.lodging.numberOfRooms must be a positive integer"),
            // 11. method list
            (vec![rm("/availablePaymentMethod/paymentMethodTypeList/1/paymentMethodType")], PARAM_ILLEGAL, "availablePaymentMethod.paymentMethodTypeList[1].paymentMethodType is required"),
            (vec![put("/availablePaymentMethod/paymentMethodTypeList/0/paymentMethodType", long(65))], PARAM_ILLEGAL, "availablePaymentMethod.paymentMethodTypeList[0].paymentMethodType must be at most 64"),
            (vec![put("/availablePaymentMethod/paymentMethodTypeList/0/paymentMethodOrder", json!("0"))], PARAM_ILLEGAL, "availablePaymentMethod.paymentMethodTypeList[0].paymentMethodOrder must be a positive integer"),
            (vec![put("/availablePaymentMethod/paymentMethodTypeList/1/paymentMethodOrder", json!(1.5))], PARAM_ILLEGAL, "availablePaymentMethod.paymentMethodTypeList[1].paymentMethodOrder must be a positive integer"),
            (vec![put("/availablePaymentMethod/paymentMethodTypeList/1/paymentMethodOrder", json!(4294967296u64))], PARAM_ILLEGAL, "availablePaymentMethod.paymentMethodTypeList[1].paymentMethodOrder must be at most 4294967295"),
        ]
    }

    #[test]
    fn every_rule_rejects_with_its_code_and_names_the_field() {
        let cases = cases();
        assert!(cases.len() >= 40);
        let mut seen = std::collections::HashSet::new();
        for (mutations, code, fragment) in cases {
            let mut request = base_request();
            for (pointer, value) in &mutations {
                apply(&mut request, pointer, value.clone());
            }
            assert!(
                seen.insert(request.to_string()),
                "duplicate case {mutations:?}"
            );
            let rejection =
                check_value(&request).expect_err(&format!("{mutations:?} must be rejected"));
            assert_eq!(rejection.code, code, "{mutations:?}: {rejection}");
            assert!(
                rejection.message.contains(fragment),
                "{mutations:?}: {:?} does not contain {fragment:?}",
                rejection.message
            );
            assert!(
                rejection.message.chars().count() <= 256,
                "{}",
                rejection.message
            );
        }
    }

    #[test]
    fn the_first_violation_in_rule_order_is_reported() {
        let first = |mutations: Vec<Mutation>| {
            let mut request = base_request();
            for (pointer, value) in mutations {
                apply(&mut request, pointer, value);
            }
            check_value(&request).unwrap_err().message
        };
        let everything_wrong = vec![
            put(
                "/availablePaymentMethod/paymentMethodTypeList/0/paymentMethodOrder",
                json!("0"),
            ),
            put("/order/lodging", json!({"numberOfRooms": "none"})),
            put("/locale", long(9)),
            put("/paymentSessionExpiryTime", json!("never")),
            put("/paymentRedirectUrl", json!("nope")),
            put("/paymentAmount/value", json!("1")),
            put("/paymentAmount/currency", json!("XYZ")),
            put("/order/buyer/buyerEmail", long(65)),
            put("/order/goods/0/goodsQuantity", json!("0")),
            rm("/order/orderDescription"),
            put("/order/referenceOrderId", long(65)),
            put("/paymentRequestId", long(65)),
            rm("/productCode"),
        ];
        let expected = [
            "productCode",
            "paymentRequestId",
            "order.referenceOrderId",
            "order.orderDescription",
            "order.goods[0].goodsQuantity",
            "order.buyer.buyerEmail",
            "paymentAmount.currency",
            "paymentAmount.value (1)",
            "paymentRedirectUrl",
            "paymentSessionExpiryTime",
            "locale",
            "order.lodging.numberOfRooms",
            "paymentMethodOrder",
        ];
        // Fix the violations one by one from the front: each time the next
        // one in rule order is reported.
        for (k, fragment) in expected.iter().enumerate() {
            let remaining = everything_wrong[..everything_wrong.len() - k].to_vec();
            let message = first(remaining);
            assert!(
                message.starts_with(fragment) || message.contains(fragment),
                "step {k}: {message}"
            );
        }
    }

    // -- integration warnings (§5.7, §5.8) -------------------------------

    fn flight_goods(name: &str) -> Mutation {
        ("/order/goods/0/goodsName", Some(json!(name)))
    }

    /// Each gap the guide calls "must" but real integrations leave: the
    /// request is accepted and carries exactly this warning, on this field.
    #[allow(clippy::type_complexity)]
    fn warning_cases() -> Vec<(Vec<Mutation>, WarningRule, &'static str)> {
        use WarningRule::*;
        let lodging = || put("/order/lodging", valid_lodging());
        let transit = || put("/order/transit", valid_transit());
        let good_flight = || flight_goods("ticket-20250201-EX12-SIN-HND");
        vec![
            (
                vec![rm("/productScene")],
                ProductSceneMissing,
                "productScene",
            ),
            (
                vec![rm("/order/referenceOrderId")],
                ReferenceOrderIdMissing,
                "order.referenceOrderId",
            ),
            (
                vec![put("/order/referenceOrderId", json!(""))],
                ReferenceOrderIdMissing,
                "order.referenceOrderId",
            ),
            (vec![rm("/order/goods")], GoodsMissing, "order.goods"),
            (
                vec![put("/order/goods", json!([]))],
                GoodsMissing,
                "order.goods",
            ),
            (
                vec![rm("/order/goods/0/referenceGoodsId")],
                GoodsIdMissing,
                "order.goods[0].referenceGoodsId",
            ),
            (
                vec![rm("/order/goods/0/goodsName")],
                GoodsNameMissing,
                "order.goods[0].goodsName",
            ),
            (vec![rm("/order/buyer")], BuyerMissing, "order.buyer"),
            (
                vec![rm("/order/buyer/referenceBuyerId")],
                ReferenceBuyerIdMissing,
                "order.buyer.referenceBuyerId",
            ),
            (
                vec![rm("/order/buyer/buyerName")],
                BuyerNameMissing,
                "order.buyer.buyerName.fullName",
            ),
            (
                vec![put("/order/buyer/buyerName", json!({"firstName": "Zoe"}))],
                BuyerNameMissing,
                "order.buyer.buyerName.fullName",
            ),
            (
                vec![put(
                    "/paymentNotifyUrl",
                    json!("http://merchant.example.com/notify"),
                )],
                NotifyUrlNotHttps,
                "paymentNotifyUrl",
            ),
            (
                vec![put(
                    "/paymentNotifyUrl",
                    json!("HTTP://merchant.example.com/notify"),
                )],
                NotifyUrlNotHttps,
                "paymentNotifyUrl",
            ),
            (vec![good_flight()], TransitMissing, "order.transit"),
            (
                vec![
                    put("/order/goods/0/goodsCategory", json!("Travel/Flights")),
                    good_flight(),
                ],
                TransitMissing,
                "order.transit",
            ),
            (
                vec![transit(), good_flight(), rm("/order/transit/transitType")],
                TransitIncomplete,
                "order.transit.transitType",
            ),
            (
                vec![transit(), good_flight(), rm("/order/transit/legs")],
                TransitIncomplete,
                "order.transit.legs",
            ),
            (
                vec![
                    transit(),
                    good_flight(),
                    rm("/order/transit/legs/0/departureTime"),
                ],
                TransitIncomplete,
                "order.transit.legs[0].departureTime",
            ),
            (
                vec![
                    transit(),
                    good_flight(),
                    rm("/order/transit/legs/0/departureAddress"),
                ],
                TransitIncomplete,
                "order.transit.legs[0].departureAddress.city",
            ),
            (
                vec![
                    transit(),
                    good_flight(),
                    rm("/order/transit/legs/0/arrivalAddress/city"),
                ],
                TransitIncomplete,
                "order.transit.legs[0].arrivalAddress.city",
            ),
            (
                vec![
                    transit(),
                    good_flight(),
                    rm("/order/transit/legs/0/carrierNo"),
                ],
                TransitIncomplete,
                "order.transit.legs[0].carrierNo",
            ),
            (
                vec![transit()],
                FlightGoodsNameFormat,
                "order.goods[0].goodsName",
            ),
            (
                vec![
                    transit(),
                    flight_goods("ticket-date-flight number-departure-arrival"),
                ],
                FlightGoodsNameFormat,
                "order.goods[0].goodsName",
            ),
            (
                vec![lodging()],
                HotelGoodsNameFormat,
                "order.goods[0].goodsName",
            ),
            (
                vec![
                    lodging(),
                    flight_goods("Accommodation Period (20250201-20250201), Example Hotel"),
                ],
                HotelGoodsNameFormat,
                "order.goods[0].goodsName",
            ),
            (
                vec![lodging(), hotel_goods(), rm("/order/lodging/hotelName")],
                LodgingIncomplete,
                "order.lodging.hotelName",
            ),
            (
                vec![lodging(), hotel_goods(), rm("/order/lodging/hotelAddress")],
                LodgingIncomplete,
                "order.lodging.hotelAddress",
            ),
            (
                vec![lodging(), hotel_goods(), rm("/order/lodging/checkInDate")],
                LodgingIncomplete,
                "order.lodging.checkInDate",
            ),
            (
                vec![lodging(), hotel_goods(), rm("/order/lodging/checkOutDate")],
                LodgingIncomplete,
                "order.lodging.checkOutDate",
            ),
            (
                vec![
                    lodging(),
                    hotel_goods(),
                    rm("/order/lodging/numberOfNights"),
                ],
                LodgingIncomplete,
                "order.lodging.numberOfNights",
            ),
            (
                vec![lodging(), hotel_goods(), rm("/order/lodging/numberOfRooms")],
                LodgingIncomplete,
                "order.lodging.numberOfRooms",
            ),
            (
                vec![
                    lodging(),
                    hotel_goods(),
                    put("/order/lodging/guestNames", json!([])),
                ],
                LodgingIncomplete,
                "order.lodging.guestNames",
            ),
        ]
    }

    fn hotel_goods() -> Mutation {
        flight_goods("Accommodation Period (20250201-20250203), Hotel Example")
    }

    #[test]
    fn every_gap_the_guide_forbids_is_accepted_with_its_warning() {
        let mut seen = std::collections::HashSet::new();
        for (mutations, rule, field) in warning_cases() {
            let mut request = base_request();
            for (pointer, value) in &mutations {
                apply(&mut request, pointer, value.clone());
            }
            assert!(
                seen.insert(request.to_string()),
                "duplicate case {mutations:?}"
            );
            let session = check_value(&request)
                .unwrap_or_else(|r| panic!("{mutations:?} must be accepted: {r}"));
            assert_eq!(
                session
                    .warnings
                    .iter()
                    .map(|w| (w.rule, w.field.as_str()))
                    .collect::<Vec<_>>(),
                vec![(rule, field)],
                "{mutations:?}"
            );
            let message = &session.warnings[0].message;
            assert!(message.contains(field), "{message} names {field}");
        }
    }

    #[test]
    fn complete_travel_and_hotel_orders_carry_no_warning() {
        let mut flight = base_request();
        apply(&mut flight, "/order/transit", Some(valid_transit()));
        let (pointer, name) = flight_goods("ticket-20250201-EX12-SIN-HND");
        apply(&mut flight, pointer, name);
        assert_eq!(check_value(&flight).unwrap().warnings, vec![]);

        let mut hotel = base_request();
        apply(&mut hotel, "/order/lodging", Some(valid_lodging()));
        let (pointer, name) =
            flight_goods("Accommodation Period (20250201-20250203), Example Hotel");
        apply(&mut hotel, pointer, name);
        assert_eq!(check_value(&hotel).unwrap().warnings, vec![]);
    }

    #[test]
    fn created_ids_refuse_control_and_bidi_characters_but_lookups_do_not() {
        let refund = |request_id: &str, reference: Option<&str>| {
            let mut body = json!({
                "refundRequestId": request_id,
                "paymentId": "PAY-1",
                "refundAmount": {"currency": "SGD", "value": "100"}
            });
            if let Some(r) = reference {
                body["referenceRefundId"] = json!(r);
            }
            validate_refund(&parse_json(body.to_string().as_bytes()).unwrap())
        };
        assert!(refund("RF-1", Some("RMA-1")).is_ok());
        assert!(refund("RF-\r1", None)
            .unwrap_err()
            .message
            .starts_with("refundRequestId must not contain control"));
        assert!(refund("RF-1", Some("RMA\u{202d}"))
            .unwrap_err()
            .message
            .starts_with("referenceRefundId must not contain control"));
        // Finding a payment stored before the rule still works.
        let inquiry: InquiryPaymentRequest =
            parse_json(br#"{"paymentRequestId":"OLD\nID"}"#).unwrap();
        assert_eq!(
            validate_inquiry(&inquiry),
            Ok(PaymentRef::PaymentRequestId("OLD\nID".into()))
        );
    }

    #[test]
    fn a_bare_order_is_accepted_with_every_gap_named_in_order() {
        let body = json!({
            "productCode": "CASHIER_PAYMENT",
            "paymentRequestId": "PR-bare",
            "order": {"orderAmount": {"currency": "USD", "value": "500"}, "orderDescription": "Top-up"},
            "paymentAmount": {"currency": "USD", "value": "500"},
            "paymentRedirectUrl": "https://merchant.example.com/back",
            "paymentNotifyUrl": "http://merchant.example.com/notify"
        });
        let session = check_value(&body).unwrap();
        let rules: Vec<_> = session.warnings.iter().map(|w| w.rule).collect();
        assert_eq!(
            rules,
            vec![
                WarningRule::ReferenceOrderIdMissing,
                WarningRule::GoodsMissing,
                WarningRule::BuyerMissing,
                WarningRule::NotifyUrlNotHttps,
                WarningRule::ProductSceneMissing,
            ]
        );
        assert_eq!(session.reference_order_id, None);
        assert_eq!(session.buyer_reference_id, None);
        assert!(session.goods.is_empty());
        let risk = session.card_risk_warning().unwrap();
        assert_eq!(risk.rule, WarningRule::CardRiskFieldsMissing);
        assert_eq!(
            risk.message,
            "cards are offered but order.buyer.buyerEmail, order.buyer.buyerPhoneNo, env.clientIp are missing"
        );
    }

    #[test]
    fn plain_http_on_this_machine_is_not_warned_about() {
        for url in [
            "http://127.0.0.1:8080/notify",
            "http://127.8.9.10/notify",
            "http://[::1]:9000/notify",
            "http://localhost:3000/notify",
            "http://shop.localhost/notify",
        ] {
            let mut request = base_request();
            apply(&mut request, "/paymentNotifyUrl", Some(json!(url)));
            assert_eq!(check_value(&request).unwrap().warnings, vec![], "{url}");
        }
    }

    #[test]
    fn card_risk_fields_count_from_either_env() {
        let mut request = base_request();
        apply(
            &mut request,
            "/order/buyer/buyerPhoneNo",
            Some(json!("+65 8123 4567")),
        );
        apply(
            &mut request,
            "/order/env",
            Some(json!({"clientIp": "203.0.113.9"})),
        );
        assert_eq!(check_value(&request).unwrap().card_risk_warning(), None);
        apply(&mut request, "/order/env", None);
        apply(&mut request, "/env/clientIp", Some(json!("203.0.113.9")));
        assert_eq!(check_value(&request).unwrap().card_risk_warning(), None);
        apply(&mut request, "/env/clientIp", Some(json!("")));
        let warning = check_value(&request).unwrap().card_risk_warning().unwrap();
        assert_eq!(warning.field, "env.clientIp");
        assert_eq!(
            warning.message,
            "cards are offered but env.clientIp is missing"
        );
    }

    // -- accepted variants and derived values ---------------------------

    #[test]
    fn defaults_and_normalisation() {
        let mut request = base_request();
        for p in [
            "/productScene",
            "/env",
            "/settlementStrategy",
            "/availablePaymentMethod",
        ] {
            apply(&mut request, p, None);
        }
        apply(&mut request, "/locale", Some(json!("automatic")));
        apply(&mut request, "/paymentNotifyUrl", Some(json!("")));
        apply(&mut request, "/order/buyer/buyerEmail", Some(json!("")));
        apply(
            &mut request,
            "/order/env",
            Some(json!({"terminalType": "WAP", "osType": "IOS"})),
        );
        apply(
            &mut request,
            "/allowedPaymentMethodRegions",
            Some(json!(["sg", "GLOBAL"])),
        );
        apply(
            &mut request,
            "/paymentMethod",
            Some(json!({"paymentMethodType": "ALIPAY_CN"})),
        );
        apply(&mut request, "/userRegion", Some(json!("sg")));
        let session = check_value(&request).unwrap();
        assert_eq!(session.product_scene, "CHECKOUT_PAYMENT");
        assert_eq!(session.locale, None);
        assert_eq!(session.notify_url, None);
        assert_eq!(session.buyer_email, None);
        assert_eq!(session.terminal_type.as_deref(), Some("WAP"));
        assert_eq!(session.settlement_currency, None);
        assert_eq!(session.method_filter, None);
        assert_eq!(
            session.allowed_regions,
            Some(vec!["SG".to_string(), "GLOBAL".to_string()])
        );
        assert_eq!(session.preselected_method.as_deref(), Some("ALIPAY_CN"));
        assert_eq!(session.session_expires_at, now() + Duration::hours(1));

        apply(
            &mut request,
            "/productScene",
            Some(json!("ELEMENT_PAYMENT")),
        );
        apply(
            &mut request,
            "/availablePaymentMethod",
            Some(json!({"paymentMethodTypeList": []})),
        );
        apply(
            &mut request,
            "/paymentSessionExpiryTime",
            Some(json!("2025-01-01T04:30:00Z")),
        );
        let session = check_value(&request).unwrap();
        assert_eq!(session.product_scene, "ELEMENT_PAYMENT");
        assert_eq!(session.method_filter, None);
        assert_eq!(session.session_expires_at, now() + Duration::minutes(30));
    }

    #[test]
    fn expiry_bounds_are_inclusive_of_one_hour_and_php_offsets_parse() {
        let mut request = base_request();
        for (text, ok) in [
            ("2025-01-01T13:00:00+08:00", true),
            ("2025-01-01T05:00:00+0000", true),
            ("2025-01-01T12:00:01+08:00", true),
            ("2025-01-01T04:00:00.5Z", true),
            ("2025-01-01T13:00:00.001+08:00", false),
            ("2025-01-01T04:00:00Z", false),
        ] {
            apply(&mut request, "/paymentSessionExpiryTime", Some(json!(text)));
            assert_eq!(check_value(&request).is_ok(), ok, "{text}");
        }
    }

    #[test]
    fn goods_totals_sum_lines_in_minor_units() {
        let mut request = base_request();
        apply(
            &mut request,
            "/order/goods",
            Some(
                json!([goods_item("A", "500", "3"), goods_item("B", "499", 1.to_string().as_str()), {
                    "referenceGoodsId": "FREE", "goodsName": "Sticker", "goodsQuantity": 5,
                    "goodsUnitAmount": {"currency": "USD", "value": 0}, "deliveryMethodType": "PHYSICAL"
                }]),
            ),
        );
        let session = check_value(&request).unwrap();
        let totals: Vec<u64> = session.goods.iter().map(|g| g.line_total.minor()).collect();
        assert_eq!(totals, [1500, 499, 0]);
        assert_eq!(session.goods[2].quantity, 5);

        // Zero-exponent and three-decimal currencies need no conversion.
        for (currency, unit, qty, total) in
            [("JPY", "1500", "2", "3000"), ("KWD", "1005", "3", "3015")]
        {
            let mut request = base_request();
            apply(
                &mut request,
                "/order/orderAmount",
                Some(json!({"currency": currency, "value": total})),
            );
            apply(
                &mut request,
                "/paymentAmount",
                Some(json!({"currency": currency, "value": total})),
            );
            apply(
                &mut request,
                "/order/goods/0/goodsUnitAmount",
                Some(json!({"currency": currency, "value": unit})),
            );
            apply(
                &mut request,
                "/order/goods/0/goodsQuantity",
                Some(json!(qty)),
            );
            apply(&mut request, "/settlementStrategy", None);
            let session = check_value(&request).unwrap();
            assert_eq!(
                session.amount.display(),
                Amount::parse(currency, total).unwrap().display()
            );
        }
    }

    #[test]
    fn travel_and_hotel_data_that_is_complete_is_accepted() {
        let mut request = base_request();
        apply(&mut request, "/order/transit", Some(valid_transit()));
        apply(&mut request, "/order/lodging", Some(valid_lodging()));
        assert!(check_value(&request).is_ok());
    }

    #[test]
    fn urls_accept_http_ports_queries_and_are_kept_verbatim() {
        for url in [
            "http://127.0.0.1:8080/return",
            "https://merchant.example.com/return?a=1&b=%20#frag",
            "https://user@merchant.example.com:8443/r",
            "HTTPS://Merchant.Example.com/Return",
        ] {
            let mut request = base_request();
            apply(&mut request, "/paymentRedirectUrl", Some(json!(url)));
            apply(&mut request, "/paymentNotifyUrl", Some(json!(url)));
            let session = check_value(&request).unwrap();
            assert_eq!(session.redirect_url, url);
            assert_eq!(session.notify_url.as_deref(), Some(url));
        }
    }

    #[test]
    fn fingerprint_covers_the_idempotency_key_parts() {
        let session = expected_session();
        assert_eq!(session.fingerprint(), "CASHIER_PAYMENT|USD|1999||USD");

        let mut with_method = session.clone();
        with_method.preselected_method = Some("ALIPAY_CN".into());
        assert_eq!(
            with_method.fingerprint(),
            "CASHIER_PAYMENT|USD|1999|ALIPAY_CN|USD"
        );

        let mut no_settlement = with_method.clone();
        no_settlement.settlement_currency = None;
        assert_eq!(
            no_settlement.fingerprint(),
            "CASHIER_PAYMENT|USD|1999|ALIPAY_CN|"
        );

        let mut with_token = with_method.clone();
        with_token.preselected_method_id = Some("tok|en".into());
        assert_eq!(
            with_token.fingerprint(),
            "CASHIER_PAYMENT|USD|1999|ALIPAY_CN|USD|tok\\|en"
        );

        let mut other_amount = session.clone();
        other_amount.amount = Amount::parse("USD", "2000").unwrap();
        let mut other_currency = session.clone();
        other_currency.amount = Amount::parse("SGD", "1999").unwrap();
        // Fields outside the fingerprint do not change it.
        let mut other_url = session.clone();
        other_url.redirect_url = "https://elsewhere.example/".into();
        other_url.order_description = "changed".into();

        let all = [
            &session,
            &with_method,
            &no_settlement,
            &with_token,
            &other_amount,
            &other_currency,
        ];
        let prints: std::collections::HashSet<_> = all.iter().map(|s| s.fingerprint()).collect();
        assert_eq!(prints.len(), all.len());
        assert_eq!(other_url.fingerprint(), session.fingerprint());

        // A `|` in the method type cannot forge another settlement currency.
        let mut a = session.clone();
        a.preselected_method = Some("X|USD".into());
        a.settlement_currency = None;
        let mut b = session.clone();
        b.preselected_method = Some("X".into());
        assert_ne!(a.fingerprint(), b.fingerprint());
    }

    // -- parse_json -------------------------------------------------------

    fn parse_err(body: &[u8]) -> Rejection {
        parse_json::<CreatePaymentSessionRequest>(body).unwrap_err()
    }

    #[test]
    fn malformed_bodies_are_param_illegal() {
        for (body, fragment) in [
            (&b""[..], "request body is empty"),
            (b"  \r\n\t ", "request body is empty"),
            (b"[]", "must be a JSON object"),
            (b"null", "must be a JSON object"),
            (b"\"productCode\"", "must be a JSON object"),
            (b"42", "must be a JSON object"),
            (b"{", "not valid JSON"),
            (b"{\"productCode\": \"CASHIER_PAYMENT\",}", "not valid JSON"),
            (b"{} trailing", "not valid JSON"),
            (b"{\"a\": 1} {\"b\": 2}", "not valid JSON"),
            (b"{\"productCode\": \"\xff\xfe\"}", "not valid JSON"),
            (b"\xef\xbb\xbf{}", "must be a JSON object"),
        ] {
            let rejection = parse_err(body);
            assert_eq!(rejection.code, PARAM_ILLEGAL, "{body:?}");
            assert!(
                rejection.message.contains(fragment),
                "{body:?}: {}",
                rejection.message
            );
            assert!(rejection.message.chars().count() <= 256);
        }
        assert_eq!(
            parse_json::<CreatePaymentSessionRequest>(b" {} ").unwrap(),
            CreatePaymentSessionRequest::default()
        );
    }

    #[test]
    fn wrong_types_name_the_field_and_position() {
        for (body, path) in [
            (r#"{"paymentRequestId": {"id": 1}, "productCode": "CASHIER_PAYMENT"}"#, "near paymentRequestId,"),
            (r#"{"paymentAmount": ["USD", "1999"], "productCode": "x"}"#, "near paymentAmount,"),
            (r#"{"order": {"goods": [{"goodsQuantity": [1], "goodsName": "x"}]}}"#, "near order.goods[0].goodsQuantity,"),
            (r#"{"order": {"goods": [{"goodsName": "x"}, null]}}"#, "near order.goods[1],"),
            (r#"{"order": {"goods": [{"goodsName": "x"}, ["SKU"]]}}"#, "near order.goods[1],"),
            (r#"{"order": "ORDER_1"}"#, "near order,"),
            (r#"{"env": {"terminalType": "WEB"}, "order": {"buyer": 7}}"#, "near order.buyer,"),
            (r#"{"allowedPaymentMethodRegions": ["SG", {"r": "MY"}], "x": 1}"#, "near allowedPaymentMethodRegions"),
            ("{\n   \"order\": {\n      \"orderAmount\": {\n         \"currency\": [\"USD\"],\n         \"value\": \"1\"\n      }\n   }\n}", "near order.orderAmount.currency, line 4"),
        ] {
            let rejection = parse_err(body.as_bytes());
            assert_eq!(rejection.code, PARAM_ILLEGAL);
            assert!(rejection.message.contains("invalid field"), "{}", rejection.message);
            assert!(rejection.message.contains(path), "{body}: {}", rejection.message);
        }
        // When the bad field is the last of its object the path may stop at
        // the enclosing object, but the message still locates it.
        let rejection = parse_err(br#"{"order": {"goods": [{"goodsQuantity": [1]}]}}"#);
        assert!(
            rejection.message.contains("near order.goods[0]"),
            "{}",
            rejection.message
        );
        assert!(rejection
            .message
            .contains("expected a string, number or boolean"));
    }

    #[test]
    fn broken_bodies_are_refused_without_panicking() {
        let samples: [&[u8]; 8] = [
            b"",
            b"\"",
            b"\"\\",
            b"{\"a",
            b"]]]}}}",
            b"{\"a\":[1,{\"b\":\"\\\"\"},",
            b"[[[[",
            b"\xff{\xfe\"\x00",
        ];
        for s in samples {
            let rejection = parse_err(s);
            assert_eq!(rejection.code, PARAM_ILLEGAL, "{s:?}");
        }
        assert_eq!(
            path_of_error::<CreatePaymentSessionRequest>(
                br#"{"order":{"goods":[{},{},{"goodsQuantity":[]}]}}"#
            ),
            "order.goods[2].goodsQuantity"
        );
        assert_eq!(path_of_error::<CreatePaymentSessionRequest>(b"[1]"), "");
    }

    // -- Rejection ----------------------------------------------------------

    #[test]
    fn rejections_display_and_convert_to_results() {
        let r = Rejection::param_illegal("paymentRequestId is required");
        assert_eq!(r.to_string(), "PARAM_ILLEGAL: paymentRequestId is required");
        let result = r.to_wire_result();
        assert_eq!(result.result_code, "PARAM_ILLEGAL");
        assert_eq!(
            result.result_message.as_deref(),
            Some("paymentRequestId is required")
        );
        assert_eq!(WireResult::from(r.clone()), result);
        let long = Rejection::new(ResultCode::PROCESS_FAIL, "é".repeat(300));
        assert_eq!(long.message.chars().count(), 256);
        let _: &dyn std::error::Error = &long;
    }

    #[test]
    fn messages_quote_long_values_briefly() {
        let mut request = base_request();
        apply(&mut request, "/productCode", Some(json!("P".repeat(500))));
        let r = check_value(&request).unwrap_err();
        assert!(r.message.len() < 100, "{}", r.message);
    }

    // -- inquiryPayment -------------------------------------------------

    fn inquiry(body: &str) -> Result<PaymentRef, Rejection> {
        validate_inquiry(&parse_json::<InquiryPaymentRequest>(body.as_bytes())?)
    }

    #[test]
    fn inquiry_needs_one_id_and_prefers_payment_id() {
        assert_eq!(
            inquiry(r#"{"paymentId":"P1"}"#),
            Ok(PaymentRef::PaymentId("P1".into()))
        );
        assert_eq!(
            inquiry(r#"{"paymentRequestId":"PR_1"}"#),
            Ok(PaymentRef::PaymentRequestId("PR_1".into()))
        );
        assert_eq!(
            inquiry(r#"{"paymentRequestId":"PR_1","paymentId":"P1"}"#),
            Ok(PaymentRef::PaymentId("P1".into()))
        );
        assert_eq!(
            inquiry(r#"{"paymentRequestId":"PR_1","paymentId":null}"#),
            Ok(PaymentRef::PaymentRequestId("PR_1".into()))
        );
        assert_eq!(
            inquiry(r#"{"paymentRequestId":"PR_1","paymentId":""}"#),
            Ok(PaymentRef::PaymentRequestId("PR_1".into()))
        );
        assert_eq!(
            inquiry(r#"{"paymentId":20250101}"#),
            Ok(PaymentRef::PaymentId("20250101".into()))
        );

        for (body, fragment) in [
            ("{}", "paymentId or paymentRequestId is required"),
            (
                r#"{"paymentId":null,"paymentRequestId":null}"#,
                "paymentId or paymentRequestId is required",
            ),
            (
                r#"{"paymentId":"","paymentRequestId":""}"#,
                "paymentId or paymentRequestId is required",
            ),
            (
                &format!(r#"{{"paymentId":"{}"}}"#, "9".repeat(65)),
                "paymentId must be at most 64",
            ),
            (
                &format!(
                    r#"{{"paymentId":"P1","paymentRequestId":"{}"}}"#,
                    "x".repeat(65)
                ),
                "paymentRequestId must be at most 64",
            ),
            (
                &format!(
                    r#"{{"paymentId":"P1","merchantAccountId":"{}"}}"#,
                    "x".repeat(33)
                ),
                "merchantAccountId must be at most 32",
            ),
            (r#"{"paymentId":["P1"]}"#, "invalid field"),
        ] {
            let r = inquiry(body).unwrap_err();
            assert_eq!(r.code, PARAM_ILLEGAL);
            assert!(r.message.contains(fragment), "{body}: {}", r.message);
        }
    }
}
