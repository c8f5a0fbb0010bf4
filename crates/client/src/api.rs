//! Typed requests and responses for the five APIs, and the [`ApiRequest`]
//! trait that ties each request to its path and response.
//!
//! Requests are built so that an invalid one is hard to write: the fields
//! the protocol requires are arguments of the constructor, amounts are
//! [`Amount`]s (a supported currency and integer minor units — never a float
//! or a decimal string), and optional fields are set with chained methods.
//! Each request converts into its wire struct (`cashier_protocol::wire`);
//! anything these types do not cover can still be sent as a wire struct
//! with the per-API methods ([`crate::Client::create_payment_session`], ...).
//!
//! Responses are parsed from the `S` answer: ids are `String`s, statuses
//! are enums ([`PaymentStatus`], [`RefundStatus`]), amounts are [`Amount`]s
//! and times are [`DateTime`]s with the gateway's offset.

use cashier_protocol::wire::{
    self, AdvanceClockRequest, AvailablePaymentMethod, CancelResponse, ClockResponse,
    CreatePaymentSessionRequest, CreatePaymentSessionResponse, Env, InquiryPaymentRequest,
    InquiryPaymentResponse, InquiryRefundRequest, InquiryRefundResponse, PaymentMethodTypeItem,
    RefundRequest, RefundResponse, SettlementStrategy, UserName, WireAmountIn,
};
use cashier_protocol::{Amount, Currency, WireAmount};
use chrono::{DateTime, FixedOffset};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::Error;

/// API paths (production form; [`crate::Client`] rewrites them to the
/// `/ams/sandbox/api/` form for `SANDBOX_` client ids).
pub mod paths {
    /// createPaymentSession.
    pub const CREATE_PAYMENT_SESSION: &str = "/ams/api/v1/payments/createPaymentSession";
    /// inquiryPayment.
    pub const INQUIRY_PAYMENT: &str = "/ams/api/v1/payments/inquiryPayment";
    /// cancel.
    pub const CANCEL: &str = "/ams/api/v1/payments/cancel";
    /// refund.
    pub const REFUND: &str = "/ams/api/v1/payments/refund";
    /// inquiryRefund.
    pub const INQUIRY_REFUND: &str = "/ams/api/v1/payments/inquiryRefund";
    /// advanceClock: Cashier's own sandbox-clock API (not an Antom API).
    pub const ADVANCE_CLOCK: &str = "/ams/api/v1/testing/advanceClock";
    /// inquiryClock: Cashier's own sandbox-clock API (not an Antom API).
    pub const INQUIRY_CLOCK: &str = "/ams/api/v1/testing/inquiryClock";
}

/// A request [`crate::Client::send`] can send: which path it goes to, how
/// its body is made and how an `S` answer is parsed.
///
/// Implemented by the typed requests of this module.
pub trait ApiRequest {
    /// The API path, production form (e.g. [`paths::REFUND`]).
    const PATH: &'static str;
    /// What an `S` answer is parsed into.
    type Response;
    /// The JSON body to send.
    fn body(&self) -> Result<Vec<u8>, Error>;
    /// Parses the body of a verified answer whose result is `S`.
    fn parse(body: &str) -> Result<Self::Response, Error>;
}

fn json_body<T: Serialize>(value: &T) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(value).map_err(|e| Error::Decode(e.to_string()))
}

fn json_parse<T: DeserializeOwned>(body: &str) -> Result<T, Error> {
    serde_json::from_str(body).map_err(|e| Error::Decode(e.to_string()))
}

/// A string enum of the protocol with a catch-all for values a newer
/// gateway may send.
macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
            /// A value this SDK does not know, as sent.
            Other(String),
        }

        impl $name {
            /// Parses the wire text; unknown text becomes `Other`.
            pub fn parse(text: &str) -> $name {
                match text {
                    $($text => $name::$variant,)*
                    other => $name::Other(other.to_string()),
                }
            }

            /// The wire text.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)*
                    $name::Other(s) => s,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_enum! {
    /// `paymentStatus` (docs/protocol.md §3.5, §5.6).
    PaymentStatus {
        /// Paid. Final (a refund or cancel may follow).
        Success => "SUCCESS",
        /// Failed or expired. Final.
        Fail => "FAIL",
        /// Not paid yet: the buyer has not finished. Query again later.
        Processing => "PROCESSING",
        /// Cancelled by the merchant. Final.
        Cancelled => "CANCELLED",
        /// The buyer finished; the final result is awaited.
        Pending => "PENDING",
    }
}

impl PaymentStatus {
    /// `SUCCESS`, `FAIL` and `CANCELLED` never change to another of these.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            PaymentStatus::Success | PaymentStatus::Fail | PaymentStatus::Cancelled
        )
    }
}

wire_enum! {
    /// `refundStatus` (docs/protocol.md §3.8, §3.10).
    RefundStatus {
        /// The refund succeeded.
        Success => "SUCCESS",
        /// Accepted, not finished: wait for notifyRefund or query again.
        Processing => "PROCESSING",
        /// The refund failed.
        Fail => "FAIL",
    }
}

wire_enum! {
    /// `transactionType` of an inquiryPayment transaction.
    TransactionType {
        /// A refund of the payment.
        Refund => "REFUND",
        /// A cancellation of a paid payment.
        Cancel => "CANCEL",
        /// A capture (card authorisations).
        Capture => "CAPTURE",
        /// The payment itself.
        Payment => "PAYMENT",
    }
}

wire_enum! {
    /// `env.terminalType`: the kind of device the buyer uses, which selects
    /// the hosted page layout.
    TerminalType {
        /// A desktop browser.
        Web => "WEB",
        /// A mobile browser.
        Wap => "WAP",
        /// A mobile app.
        App => "APP",
        /// A mini program.
        MiniApp => "MINI_APP",
    }
}

fn amount_in(amount: &Amount) -> WireAmountIn {
    WireAmountIn::from(amount)
}

fn parse_amount(amount: Option<WireAmount>, field: &str) -> Result<Amount, Error> {
    let a = amount.ok_or_else(|| Error::Decode(format!("{field} is missing")))?;
    Amount::parse(&a.currency, &a.value).map_err(|e| Error::Decode(format!("{field}: {e}")))
}

fn required(value: Option<String>, field: &str) -> Result<String, Error> {
    value.ok_or_else(|| Error::Decode(format!("{field} is missing")))
}

fn parse_time(value: Option<String>) -> Option<DateTime<FixedOffset>> {
    value.and_then(|v| {
        DateTime::parse_from_rfc3339(&v)
            .or_else(|_| DateTime::parse_from_str(&v, "%Y-%m-%dT%H:%M:%S%z"))
            .ok()
    })
}

// ---------------------------------------------------------------------------
// createPaymentSession
// ---------------------------------------------------------------------------

/// One line item of an [`Order`].
#[derive(Debug, Clone, PartialEq)]
pub struct Goods {
    wire: wire::Goods,
    unit_amount: Amount,
    quantity: u32,
}

impl Goods {
    /// A line item: your goods id, its name, the unit price and the
    /// quantity. The order amount should equal the sum of
    /// `unit price × quantity` over the goods (docs/protocol.md §5.5).
    pub fn new(
        reference_goods_id: impl Into<String>,
        name: impl Into<String>,
        unit_amount: Amount,
        quantity: u32,
    ) -> Goods {
        Goods {
            wire: wire::Goods {
                reference_goods_id: Some(reference_goods_id.into()),
                goods_name: Some(name.into()),
                goods_unit_amount: Some(amount_in(&unit_amount)),
                goods_quantity: Some(quantity.to_string()),
                ..Default::default()
            },
            unit_amount,
            quantity,
        }
    }

    /// Slash-separated category, parent first.
    pub fn category(mut self, category: impl Into<String>) -> Goods {
        self.wire.goods_category = Some(category.into());
        self
    }

    /// Brand name.
    pub fn brand(mut self, brand: impl Into<String>) -> Goods {
        self.wire.goods_brand = Some(brand.into());
        self
    }

    /// Product page URL.
    pub fn url(mut self, url: impl Into<String>) -> Goods {
        self.wire.goods_url = Some(url.into());
        self
    }

    /// Product image URL.
    pub fn image_url(mut self, url: impl Into<String>) -> Goods {
        self.wire.goods_image_url = Some(url.into());
        self
    }
}

/// The buyer of an [`Order`] (needed to offer card payment on the hosted
/// page).
#[derive(Debug, Clone, PartialEq)]
pub struct Buyer {
    wire: wire::Buyer,
}

impl Buyer {
    /// A buyer: your own buyer id and the buyer's full name (both needed
    /// to offer card payment).
    pub fn new(reference_buyer_id: impl Into<String>, full_name: impl Into<String>) -> Buyer {
        Buyer {
            wire: wire::Buyer {
                reference_buyer_id: Some(reference_buyer_id.into()),
                buyer_name: Some(UserName {
                    full_name: Some(full_name.into()),
                    ..Default::default()
                }),
                ..Default::default()
            },
        }
    }

    /// The buyer's e-mail address.
    pub fn email(mut self, email: impl Into<String>) -> Buyer {
        self.wire.buyer_email = Some(email.into());
        self
    }

    /// The buyer's phone number.
    pub fn phone(mut self, phone: impl Into<String>) -> Buyer {
        self.wire.buyer_phone_no = Some(phone.into());
        self
    }
}

/// The order a payment session pays for.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    wire: wire::Order,
    amount: Amount,
}

impl Order {
    /// An order: your order id (≤ 64 characters), the description shown to
    /// the buyer (≤ 256) and the order amount.
    pub fn new(
        reference_order_id: impl Into<String>,
        description: impl Into<String>,
        amount: Amount,
    ) -> Order {
        Order {
            wire: wire::Order {
                reference_order_id: Some(reference_order_id.into()),
                order_description: Some(description.into()),
                order_amount: Some(amount_in(&amount)),
                ..Default::default()
            },
            amount,
        }
    }

    /// An order whose amount is the sum of `unit price × quantity` of its
    /// goods, so the two cannot disagree (docs/protocol.md §5.5). Fails when
    /// there are no goods, when they are in different currencies, or when
    /// the total overflows.
    ///
    /// ```
    /// use cashier_client::{Amount, Currency, Goods, Order};
    ///
    /// let sgd = Currency::from_code("SGD").unwrap();
    /// let order = Order::with_goods("ORDER-42", "Kopi and kaya toast", [
    ///     Goods::new("KOPI", "Kopi", Amount::new(sgd, 1500), 2),
    ///     Goods::new("TOAST", "Kaya toast", Amount::new(sgd, 3000), 1),
    /// ])?;
    /// assert_eq!(order.amount(), Amount::new(sgd, 6000));
    /// # Ok::<(), cashier_client::Error>(())
    /// ```
    pub fn with_goods(
        reference_order_id: impl Into<String>,
        description: impl Into<String>,
        goods: impl IntoIterator<Item = Goods>,
    ) -> Result<Order, Error> {
        let goods: Vec<Goods> = goods.into_iter().collect();
        let first = goods.first().ok_or_else(|| {
            Error::InvalidRequest("an order needs at least one goods item".into())
        })?;
        let currency = first.unit_amount.currency();
        let mut total: u64 = 0;
        for g in &goods {
            if g.unit_amount.currency() != currency {
                return Err(Error::InvalidRequest(format!(
                    "goods in {} and {}: one order has one currency",
                    currency,
                    g.unit_amount.currency()
                )));
            }
            total = g
                .unit_amount
                .minor()
                .checked_mul(u64::from(g.quantity))
                .and_then(|line| total.checked_add(line))
                .ok_or_else(|| Error::InvalidRequest("the order total overflows".into()))?;
        }
        let mut order = Order::new(
            reference_order_id,
            description,
            Amount::new(currency, total),
        );
        for g in goods {
            order = order.goods(g);
        }
        Ok(order)
    }

    /// Adds a line item.
    pub fn goods(mut self, goods: Goods) -> Order {
        self.wire
            .goods
            .get_or_insert_with(Vec::new)
            .push(goods.wire);
        self
    }

    /// Sets the buyer.
    pub fn buyer(mut self, buyer: Buyer) -> Order {
        self.wire.buyer = Some(buyer.wire);
        self
    }

    /// The order amount.
    pub fn amount(&self) -> Amount {
        self.amount
    }
}

/// createPaymentSession for the hosted checkout page (docs/protocol.md §3.2).
/// Cashier requires at least one goods item (see [`Order::with_goods`]) and
/// a [`Buyer`] in the order (card payments need `referenceBuyerId`); Antom
/// recommends both.
///
/// `productCode` `CASHIER_PAYMENT`, `productScene` `CHECKOUT_PAYMENT`. The
/// answer is a [`PaymentSession`] whose `normal_url` you redirect the buyer
/// to.
///
/// ```
/// use cashier_client::{Amount, Buyer, CreatePaymentSession, Currency, Goods, Order, TerminalType};
///
/// let sgd = Currency::from_code("SGD").unwrap();
/// let order = Order::new("ORDER-42", "Kopi and kaya toast", Amount::new(sgd, 6000))
///     .goods(Goods::new("KOPI", "Kopi", Amount::new(sgd, 1500), 2))
///     .goods(Goods::new("TOAST", "Kaya toast", Amount::new(sgd, 3000), 1))
///     .buyer(Buyer::new("BUYER-1", "Tan Ah Kow"));
/// let request = CreatePaymentSession::new("PAY-42", order, "https://shop.example.com/return?order=42")
///     .notify_url("https://shop.example.com/antom/notify")
///     .terminal_type(TerminalType::Web)
///     .locale("en_US");
/// let body = serde_json::to_value(request.to_wire()).unwrap();
/// assert_eq!(body["paymentAmount"]["value"], "6000");
/// assert_eq!(body["productCode"], "CASHIER_PAYMENT");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CreatePaymentSession {
    wire: CreatePaymentSessionRequest,
}

impl CreatePaymentSession {
    /// A session for `order`, paying the order amount, idempotent on
    /// `payment_request_id` (≤ 64 characters, unique per payment); the
    /// buyer comes back to `redirect_url` (absolute http(s) URL).
    pub fn new(
        payment_request_id: impl Into<String>,
        order: Order,
        redirect_url: impl Into<String>,
    ) -> CreatePaymentSession {
        CreatePaymentSession {
            wire: CreatePaymentSessionRequest {
                product_code: Some("CASHIER_PAYMENT".into()),
                product_scene: Some("CHECKOUT_PAYMENT".into()),
                payment_request_id: Some(payment_request_id.into()),
                payment_amount: Some(amount_in(&order.amount)),
                order: Some(order.wire),
                payment_redirect_url: Some(redirect_url.into()),
                ..Default::default()
            },
        }
    }

    /// Where notifyPayment is sent (otherwise the merchant's configured URL).
    pub fn notify_url(mut self, url: impl Into<String>) -> CreatePaymentSession {
        self.wire.payment_notify_url = Some(url.into());
        self
    }

    /// When the session expires (at most one hour from now; default one
    /// hour).
    pub fn expires_at<Tz: chrono::TimeZone>(mut self, at: DateTime<Tz>) -> CreatePaymentSession
    where
        Tz::Offset: std::fmt::Display,
    {
        self.wire.payment_session_expiry_time =
            Some(at.to_rfc3339_opts(chrono::SecondsFormat::Secs, false));
        self
    }

    /// The hosted page language (`en_US`, `zh_CN`, ...).
    pub fn locale(mut self, locale: impl Into<String>) -> CreatePaymentSession {
        self.wire.locale = Some(locale.into());
        self
    }

    /// The buyer's device kind.
    pub fn terminal_type(mut self, terminal: TerminalType) -> CreatePaymentSession {
        self.wire.env.get_or_insert_with(Env::default).terminal_type =
            Some(terminal.as_str().to_string());
        self
    }

    /// The buyer's IP address (`env.clientIp`), which Antom's guide
    /// recommends for card risk control.
    pub fn client_ip(mut self, ip: impl Into<String>) -> CreatePaymentSession {
        self.wire.env.get_or_insert_with(Env::default).client_ip = Some(ip.into());
        self
    }

    /// The currency you are settled in.
    pub fn settlement_currency(mut self, currency: Currency) -> CreatePaymentSession {
        self.wire.settlement_strategy = Some(SettlementStrategy {
            settlement_currency: Some(currency.code().to_string()),
        });
        self
    }

    /// Offers only these payment methods (e.g. `CARD`, `ALIPAY_CN`), in
    /// this order.
    pub fn payment_methods<I, S>(mut self, methods: I) -> CreatePaymentSession
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let list = methods
            .into_iter()
            .enumerate()
            .map(|(i, m)| PaymentMethodTypeItem {
                payment_method_type: Some(m.into()),
                payment_method_order: Some((i + 1).to_string()),
                ..Default::default()
            })
            .collect();
        self.wire.available_payment_method = Some(AvailablePaymentMethod {
            payment_method_type_list: Some(list),
        });
        self
    }

    /// Free-form metadata stored with the payment.
    pub fn metadata(mut self, metadata: impl Into<String>) -> CreatePaymentSession {
        self.wire.metadata = Some(metadata.into());
        self
    }

    /// The wire body this request sends.
    pub fn to_wire(&self) -> CreatePaymentSessionRequest {
        self.wire.clone()
    }
}

impl From<CreatePaymentSession> for CreatePaymentSessionRequest {
    fn from(r: CreatePaymentSession) -> CreatePaymentSessionRequest {
        r.wire
    }
}

/// A created payment session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentSession {
    /// The session id.
    pub payment_session_id: String,
    /// The hosted checkout page: redirect the buyer here.
    pub normal_url: String,
    /// Opaque data for client-side (embedded) SDKs.
    pub payment_session_data: Option<String>,
    /// When the session expires.
    pub expiry_time: Option<DateTime<FixedOffset>>,
}

impl ApiRequest for CreatePaymentSession {
    const PATH: &'static str = paths::CREATE_PAYMENT_SESSION;
    type Response = PaymentSession;
    fn body(&self) -> Result<Vec<u8>, Error> {
        json_body(&self.wire)
    }
    fn parse(body: &str) -> Result<PaymentSession, Error> {
        let r: CreatePaymentSessionResponse = json_parse(body)?;
        Ok(PaymentSession {
            payment_session_id: required(r.payment_session_id, "paymentSessionId")?,
            normal_url: required(r.normal_url.or(r.url), "normalUrl")?,
            payment_session_data: r.payment_session_data,
            expiry_time: parse_time(r.payment_session_expiry_time),
        })
    }
}

// ---------------------------------------------------------------------------
// inquiryPayment and cancel
// ---------------------------------------------------------------------------

fn payment_ref(
    payment_id: Option<String>,
    payment_request_id: Option<String>,
) -> InquiryPaymentRequest {
    InquiryPaymentRequest {
        payment_id,
        payment_request_id,
        merchant_account_id: None,
    }
}

/// inquiryPayment (docs/protocol.md §3.5): the state of one payment.
#[derive(Debug, Clone, PartialEq)]
pub struct InquiryPayment {
    wire: InquiryPaymentRequest,
}

impl InquiryPayment {
    /// By the gateway's `paymentId`.
    pub fn by_payment_id(payment_id: impl Into<String>) -> InquiryPayment {
        InquiryPayment {
            wire: payment_ref(Some(payment_id.into()), None),
        }
    }

    /// By your `paymentRequestId`.
    pub fn by_request_id(payment_request_id: impl Into<String>) -> InquiryPayment {
        InquiryPayment {
            wire: payment_ref(None, Some(payment_request_id.into())),
        }
    }

    /// The wire body this request sends.
    pub fn to_wire(&self) -> InquiryPaymentRequest {
        self.wire.clone()
    }
}

/// One refund, cancel or capture listed by inquiryPayment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    /// What kind of transaction.
    pub kind: TransactionType,
    /// Its status (`SUCCESS`, `FAIL`, `PROCESSING`, ...).
    pub status: PaymentStatus,
    /// The gateway's id (e.g. the `refundId`).
    pub id: Option<String>,
    /// Your request id (e.g. the `refundRequestId`).
    pub request_id: Option<String>,
    /// The amount moved.
    pub amount: Option<Amount>,
    /// When it happened.
    pub time: Option<DateTime<FixedOffset>>,
}

/// A payment as inquiryPayment reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// The gateway's payment id.
    pub payment_id: String,
    /// Your payment request id.
    pub payment_request_id: String,
    /// Where the payment stands.
    pub status: PaymentStatus,
    /// The payment-level result code (`SUCCESS`, `PAYMENT_IN_PROCESS`,
    /// `ORDER_IS_CLOSED`, `RISK_REJECT`, ...).
    pub result_code: Option<String>,
    /// The payment-level result message.
    pub result_message: Option<String>,
    /// The amount to pay.
    pub amount: Amount,
    /// When the payment was created.
    pub created_at: Option<DateTime<FixedOffset>>,
    /// When it succeeded.
    pub paid_at: Option<DateTime<FixedOffset>>,
    /// The method the buyer chose (`CARD`, `ALIPAY_CN`, ...).
    pub payment_method_type: Option<String>,
    /// What the buyer was charged, in the method's currency
    /// (`actualPaymentAmount`); once paid.
    pub actual_amount: Option<Amount>,
    /// The session's `paymentRedirectUrl`, as sent.
    pub redirect_url: Option<String>,
    /// Card details of a card payment (`paymentResultInfo`) once a card
    /// decided it: masked number, brand, funding, issuing country, issuer,
    /// the security-code check, a refusal's network code and the 3-D Secure
    /// result — what the gateway knows, never the full number.
    pub card: Option<cashier_protocol::wire::PaymentResultInfo>,
    /// Refunds and cancels of this payment.
    pub transactions: Vec<Transaction>,
}

impl ApiRequest for InquiryPayment {
    const PATH: &'static str = paths::INQUIRY_PAYMENT;
    type Response = Payment;
    fn body(&self) -> Result<Vec<u8>, Error> {
        json_body(&self.wire)
    }
    fn parse(body: &str) -> Result<Payment, Error> {
        let r: InquiryPaymentResponse = json_parse(body)?;
        let transactions = r
            .transactions
            .unwrap_or_default()
            .into_iter()
            .map(|t| Transaction {
                kind: TransactionType::parse(t.transaction_type.as_deref().unwrap_or("")),
                status: PaymentStatus::parse(t.transaction_status.as_deref().unwrap_or("")),
                id: t.transaction_id,
                request_id: t.transaction_request_id,
                amount: t
                    .transaction_amount
                    .and_then(|a| Amount::parse(&a.currency, &a.value).ok()),
                time: parse_time(t.transaction_time),
            })
            .collect();
        Ok(Payment {
            payment_id: required(r.payment_id, "paymentId")?,
            payment_request_id: required(r.payment_request_id, "paymentRequestId")?,
            status: PaymentStatus::parse(&required(r.payment_status, "paymentStatus")?),
            result_code: r.payment_result_code,
            result_message: r.payment_result_message,
            amount: parse_amount(r.payment_amount, "paymentAmount")?,
            created_at: parse_time(r.payment_create_time),
            paid_at: parse_time(r.payment_time),
            payment_method_type: r.payment_method_type,
            actual_amount: r
                .actual_payment_amount
                .and_then(|a| Amount::parse(&a.currency, &a.value).ok()),
            redirect_url: r.payment_redirect_url,
            card: r.payment_result_info,
            transactions,
        })
    }
}

/// cancel (docs/protocol.md §3.6): closes an unpaid payment, or voids a paid one
/// inside its cancel window (`CANCEL_WINDOW_EXCEED` outside it: refund
/// instead). Repeating a cancel is safe.
#[derive(Debug, Clone, PartialEq)]
pub struct CancelPayment {
    wire: InquiryPaymentRequest,
}

impl CancelPayment {
    /// By the gateway's `paymentId`.
    pub fn by_payment_id(payment_id: impl Into<String>) -> CancelPayment {
        CancelPayment {
            wire: payment_ref(Some(payment_id.into()), None),
        }
    }

    /// By your `paymentRequestId`.
    pub fn by_request_id(payment_request_id: impl Into<String>) -> CancelPayment {
        CancelPayment {
            wire: payment_ref(None, Some(payment_request_id.into())),
        }
    }

    /// The wire body this request sends.
    pub fn to_wire(&self) -> InquiryPaymentRequest {
        self.wire.clone()
    }
}

/// A completed cancellation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancellation {
    /// The gateway's payment id.
    pub payment_id: Option<String>,
    /// Your payment request id.
    pub payment_request_id: Option<String>,
    /// When the cancellation took effect (the original time on a repeat).
    pub cancel_time: Option<DateTime<FixedOffset>>,
}

impl ApiRequest for CancelPayment {
    const PATH: &'static str = paths::CANCEL;
    type Response = Cancellation;
    fn body(&self) -> Result<Vec<u8>, Error> {
        json_body(&self.wire)
    }
    fn parse(body: &str) -> Result<Cancellation, Error> {
        let r: CancelResponse = json_parse(body)?;
        Ok(Cancellation {
            payment_id: r.payment_id,
            payment_request_id: r.payment_request_id,
            cancel_time: parse_time(r.cancel_time),
        })
    }
}

// ---------------------------------------------------------------------------
// refund and inquiryRefund
// ---------------------------------------------------------------------------

/// refund (docs/protocol.md §3.7): a full or partial refund of a paid payment,
/// idempotent on `refund_request_id`.
///
/// ```
/// use cashier_client::{Amount, Currency, RefundPayment};
///
/// let sgd = Currency::from_code("SGD").unwrap();
/// let refund = RefundPayment::new("REFUND-1", "2025010112345", Amount::new(sgd, 1000))
///     .reason("size exchange");
/// assert_eq!(refund.to_wire().refund_amount.unwrap().value.as_deref(), Some("1000"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RefundPayment {
    wire: RefundRequest,
}

impl RefundPayment {
    /// Refunds `amount` (in the payment currency) of payment `payment_id`;
    /// `refund_request_id` is your unique id of this refund.
    pub fn new(
        refund_request_id: impl Into<String>,
        payment_id: impl Into<String>,
        amount: Amount,
    ) -> RefundPayment {
        RefundPayment {
            wire: RefundRequest {
                refund_request_id: Some(refund_request_id.into()),
                payment_id: Some(payment_id.into()),
                refund_amount: Some(amount_in(&amount)),
                ..Default::default()
            },
        }
    }

    /// Why (shown to the buyer).
    pub fn reason(mut self, reason: impl Into<String>) -> RefundPayment {
        self.wire.refund_reason = Some(reason.into());
        self
    }

    /// Where notifyRefund is sent.
    pub fn notify_url(mut self, url: impl Into<String>) -> RefundPayment {
        self.wire.refund_notify_url = Some(url.into());
        self
    }

    /// Your own refund reference for reconciliation.
    pub fn reference_refund_id(mut self, id: impl Into<String>) -> RefundPayment {
        self.wire.reference_refund_id = Some(id.into());
        self
    }

    /// The wire body this request sends.
    pub fn to_wire(&self) -> RefundRequest {
        self.wire.clone()
    }
}

impl From<RefundPayment> for RefundRequest {
    fn from(r: RefundPayment) -> RefundRequest {
        r.wire
    }
}

/// A refund that succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    /// The gateway's refund id.
    pub refund_id: String,
    /// Your refund request id.
    pub refund_request_id: String,
    /// The refunded payment.
    pub payment_id: Option<String>,
    /// The refunded amount.
    pub amount: Amount,
    /// When the refund succeeded.
    pub refund_time: Option<DateTime<FixedOffset>>,
}

impl ApiRequest for RefundPayment {
    const PATH: &'static str = paths::REFUND;
    type Response = Refund;
    fn body(&self) -> Result<Vec<u8>, Error> {
        json_body(&self.wire)
    }
    fn parse(body: &str) -> Result<Refund, Error> {
        let r: RefundResponse = json_parse(body)?;
        Ok(Refund {
            refund_id: required(r.refund_id, "refundId")?,
            refund_request_id: required(r.refund_request_id, "refundRequestId")?,
            payment_id: r.payment_id,
            amount: parse_amount(r.refund_amount, "refundAmount")?,
            refund_time: parse_time(r.refund_time),
        })
    }
}

/// inquiryRefund (docs/protocol.md §3.8): the state of one refund.
#[derive(Debug, Clone, PartialEq)]
pub struct InquiryRefund {
    wire: InquiryRefundRequest,
}

impl InquiryRefund {
    /// By the gateway's `refundId`.
    pub fn by_refund_id(refund_id: impl Into<String>) -> InquiryRefund {
        InquiryRefund {
            wire: InquiryRefundRequest {
                refund_id: Some(refund_id.into()),
                ..Default::default()
            },
        }
    }

    /// By your `refundRequestId`.
    pub fn by_request_id(refund_request_id: impl Into<String>) -> InquiryRefund {
        InquiryRefund {
            wire: InquiryRefundRequest {
                refund_request_id: Some(refund_request_id.into()),
                ..Default::default()
            },
        }
    }

    /// The wire body this request sends.
    pub fn to_wire(&self) -> InquiryRefundRequest {
        self.wire.clone()
    }
}

/// A refund as inquiryRefund reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundDetails {
    /// The gateway's refund id.
    pub refund_id: Option<String>,
    /// Your refund request id.
    pub refund_request_id: Option<String>,
    /// Where the refund stands.
    pub status: RefundStatus,
    /// The refund amount.
    pub amount: Option<Amount>,
    /// When the refund succeeded.
    pub refund_time: Option<DateTime<FixedOffset>>,
}

impl ApiRequest for InquiryRefund {
    const PATH: &'static str = paths::INQUIRY_REFUND;
    type Response = RefundDetails;
    fn body(&self) -> Result<Vec<u8>, Error> {
        json_body(&self.wire)
    }
    fn parse(body: &str) -> Result<RefundDetails, Error> {
        let r: InquiryRefundResponse = json_parse(body)?;
        Ok(RefundDetails {
            refund_id: r.refund_id,
            refund_request_id: r.refund_request_id,
            status: RefundStatus::parse(&required(r.refund_status, "refundStatus")?),
            amount: r
                .refund_amount
                .and_then(|a| Amount::parse(&a.currency, &a.value).ok()),
            refund_time: parse_time(r.refund_time),
        })
    }
}

// ---------------------------------------------------------------------------
// sandbox clocks (Cashier's own testing APIs)
// ---------------------------------------------------------------------------

/// advanceClock: moves this merchant's sandbox clock forward, and the
/// gateway decides everything that became due on the new clock (expired
/// sessions close, asynchronous payments settle, notification retries and
/// daily reports fall due) before it answers. A Cashier API, not an Antom
/// one: it answers `ACCESS_DENIED` unless the gateway runs with
/// `--sandbox-clocks`.
///
/// ```
/// use cashier_client::AdvanceClock;
///
/// let tomorrow = AdvanceClock::by_seconds(25 * 3600);
/// assert_eq!(tomorrow.seconds(), 90_000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdvanceClock {
    seconds: u64,
}

impl AdvanceClock {
    /// Forward by `seconds` (1 to 34,560,000, i.e. 400 days, per call).
    pub fn by_seconds(seconds: u64) -> AdvanceClock {
        AdvanceClock { seconds }
    }

    /// How far this request moves the clock.
    pub fn seconds(&self) -> u64 {
        self.seconds
    }
}

/// inquiryClock: reads this merchant's sandbox clock without moving it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InquiryClock;

/// A merchant's sandbox clock, as advanceClock and inquiryClock answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    /// The merchant's current time on the gateway (UTC+8, as Antom writes
    /// times).
    pub time: DateTime<FixedOffset>,
}

fn parse_clock(body: &str) -> Result<Clock, Error> {
    let r: ClockResponse = json_parse(body)?;
    let text = required(r.clock_time, "clockTime")?;
    let time = parse_time(Some(text.clone()))
        .ok_or_else(|| Error::Decode(format!("clockTime {text:?} is not an ISO 8601 time")))?;
    Ok(Clock { time })
}

impl ApiRequest for AdvanceClock {
    const PATH: &'static str = paths::ADVANCE_CLOCK;
    type Response = Clock;
    fn body(&self) -> Result<Vec<u8>, Error> {
        json_body(&AdvanceClockRequest {
            advance_seconds: Some(self.seconds.to_string()),
        })
    }
    fn parse(body: &str) -> Result<Clock, Error> {
        parse_clock(body)
    }
}

impl ApiRequest for InquiryClock {
    const PATH: &'static str = paths::INQUIRY_CLOCK;
    type Response = Clock;
    fn body(&self) -> Result<Vec<u8>, Error> {
        Ok(b"{}".to_vec())
    }
    fn parse(body: &str) -> Result<Clock, Error> {
        parse_clock(body)
    }
}
