//! Row → record mapping shared by both backends.
//!
//! SQLite and PostgreSQL return the same column names and compatible types
//! (TEXT, 64-bit integers, blobs), so one set of mapping functions serves
//! both; the macro instantiates it for each row type: sqlx's SQLite and
//! PostgreSQL rows, and the SQLite store's direct (rusqlite) rows. Booleans
//! too: SQLite keeps them as the integers 0 and 1, which all three drivers
//! read as `bool`.
//!
//! Values with a type of their own are decoded here, once: a payment's, a
//! refund's and a report line's `currency` and `amount_minor` columns
//! become an [`Amount`], a `settlement_currency` column a [`Currency`],
//! `payments.goods_json` its [`GoodsRecord`]s and `payments.methods_json`
//! its [`OfferedMethods`]. A row that does not decode is
//! [`StoreError::CorruptRow`], never a panic nor empty data; writes encode
//! from the typed fields with [`amount_minor`], [`encode_goods`] and
//! [`encode_methods`].

use cashier_protocol::amount::MAX_VALUE_DIGITS;
use cashier_protocol::{Amount, Currency};

use crate::{GoodsRecord, OfferedMethods, StoreError, StoreResult};

/// The `currency` and `amount_minor` columns of row `id` of `table` as an
/// [`Amount`]: a supported currency and at most
/// [`MAX_VALUE_DIGITS`] non-negative digits.
pub(crate) fn decode_amount(
    table: &'static str,
    id: &str,
    currency: &str,
    minor: i64,
) -> StoreResult<Amount> {
    let corrupt = |what: String| StoreError::CorruptRow {
        table,
        id: id.to_string(),
        what,
    };
    let currency = decode_currency(table, id, "currency", currency)?;
    let minor = u64::try_from(minor)
        .ok()
        .filter(|m| m.to_string().len() <= MAX_VALUE_DIGITS)
        .ok_or_else(|| corrupt(format!("amount_minor {minor} is not an amount")))?;
    Ok(Amount::new(currency, minor))
}

/// The currency column `col` of row `id` of `table`: a supported ISO 4217
/// code.
pub(crate) fn decode_currency(
    table: &'static str,
    id: &str,
    col: &str,
    code: &str,
) -> StoreResult<Currency> {
    Currency::from_code(code).ok_or_else(|| StoreError::CorruptRow {
        table,
        id: id.to_string(),
        what: format!("{col} {code:?} is not supported"),
    })
}

/// The nullable currency column `col` of row `id` of `table`.
pub(crate) fn decode_optional_currency(
    table: &'static str,
    id: &str,
    col: &str,
    code: Option<&str>,
) -> StoreResult<Option<Currency>> {
    code.map(|code| decode_currency(table, id, col, code))
        .transpose()
}

/// The `goods_json` column of row `id` of `table`.
pub(crate) fn decode_goods(
    table: &'static str,
    id: &str,
    json: &str,
) -> StoreResult<Vec<GoodsRecord>> {
    serde_json::from_str(json).map_err(|e| StoreError::CorruptRow {
        table,
        id: id.to_string(),
        what: format!("goods_json: {e}"),
    })
}

/// The `methods_json` column of row `id` of `table`: a plain array of codes
/// (none express) or an [`OfferedMethods`] object.
pub(crate) fn decode_methods(
    table: &'static str,
    id: &str,
    json: &str,
) -> StoreResult<OfferedMethods> {
    serde_json::from_str::<Vec<String>>(json)
        .map(|codes| OfferedMethods {
            codes,
            express: Vec::new(),
        })
        .or_else(|_| serde_json::from_str::<OfferedMethods>(json))
        .map_err(|e| StoreError::CorruptRow {
            table,
            id: id.to_string(),
            what: format!("methods_json: {e}"),
        })
}

/// An amount's `amount_minor` column (at most 16 digits from the wire, so
/// it fits).
pub(crate) fn amount_minor(amount: &Amount) -> i64 {
    i64::try_from(amount.minor()).unwrap_or(i64::MAX)
}

/// The `goods_json` column of `goods`.
pub(crate) fn encode_goods(goods: &[GoodsRecord]) -> String {
    // Strings and integers only: serialising cannot fail.
    serde_json::to_string(goods).expect("goods serialise")
}

/// The `methods_json` column of `methods`: a plain array of the codes when
/// none is express, so such rows read the same as before express checkout.
pub(crate) fn encode_methods(methods: &OfferedMethods) -> String {
    // Strings only: serialising cannot fail.
    if methods.express.is_empty() {
        serde_json::to_string(&methods.codes)
    } else {
        serde_json::to_string(methods)
    }
    .expect("method codes serialise")
}

macro_rules! row_mappers {
    ($row:ty) => {
        pub(crate) fn parse<T: FromStr>(row: &$row, col: &str) -> StoreResult<T>
        where
            T::Err: std::fmt::Display,
        {
            let s: String = row.try_get(col)?;
            s.parse::<T>()
                .map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
        }

        pub(crate) fn u32_col(row: &$row, col: &str) -> StoreResult<u32> {
            let v: i64 = row.try_get(col)?;
            u32::try_from(v).map_err(|_| StoreError::Corrupt(format!("{col}: {v} out of range")))
        }

        pub(crate) fn merchant_from(row: &$row) -> StoreResult<Merchant> {
            Ok(Merchant {
                client_id: row.try_get("client_id")?,
                name: row.try_get("name")?,
                brand_name: row.try_get("brand_name")?,
                logo_file: row.try_get("logo_file")?,
                notify_url: row.try_get("notify_url")?,
                refund_notify_url: row.try_get("refund_notify_url")?,
                status: row.try_get("status")?,
                fee_bps: u32_col(row, "fee_bps")?,
                created_at: row.try_get("created_at")?,
                accent_color: row.try_get("accent_color")?,
                strict: row.try_get("strict")?,
                settlement_currencies: row.try_get("settlement_currencies")?,
                clock_offset_ms: row.try_get("clock_offset_ms")?,
            })
        }

        pub(crate) fn key_from(row: &$row) -> StoreResult<MerchantKey> {
            Ok(MerchantKey {
                client_id: row.try_get("client_id")?,
                key_version: u32_col(row, "key_version")?,
                public_key: row.try_get("public_key")?,
                created_at: row.try_get("created_at")?,
                retired_at: row.try_get("retired_at")?,
            })
        }

        pub(crate) fn payment_from(row: &$row) -> StoreResult<Payment> {
            let payment_id: PaymentId = row.try_get("payment_id")?;
            let currency: String = row.try_get("currency")?;
            let goods_json: String = row.try_get("goods_json")?;
            let methods_json: String = row.try_get("methods_json")?;
            let settlement_currency: Option<String> = row.try_get("settlement_currency")?;
            Ok(Payment {
                client_id: row.try_get("client_id")?,
                payment_request_id: row.try_get("payment_request_id")?,
                fingerprint: row.try_get("fingerprint")?,
                status: parse(row, "status")?,
                result_code: row.try_get("result_code")?,
                result_message: row.try_get("result_message")?,
                amount: crate::rows::decode_amount(
                    "payments",
                    &payment_id,
                    &currency,
                    row.try_get("amount_minor")?,
                )?,
                reference_order_id: row.try_get("reference_order_id")?,
                order_description: row.try_get("order_description")?,
                goods: crate::rows::decode_goods("payments", &payment_id, &goods_json)?,
                buyer_reference_id: row.try_get("buyer_reference_id")?,
                redirect_url: row.try_get("redirect_url")?,
                notify_url: row.try_get("notify_url")?,
                locale: row.try_get("locale")?,
                terminal_type: row.try_get("terminal_type")?,
                methods: crate::rows::decode_methods("payments", &payment_id, &methods_json)?,
                preselected_method: row.try_get("preselected_method")?,
                session_id: row.try_get("session_id")?,
                session_data: row.try_get("session_data")?,
                checkout_token: row.try_get("checkout_token")?,
                session_expires_at: row.try_get("session_expires_at")?,
                payment_method_type: row.try_get("payment_method_type")?,
                card_brand: row.try_get("card_brand")?,
                card_last4: row.try_get("card_last4")?,
                card_masked: row.try_get("card_masked")?,
                card_details: row.try_get("card_details")?,
                created_at: row.try_get("created_at")?,
                paid_at: row.try_get("paid_at")?,
                closed_at: row.try_get("closed_at")?,
                updated_at: row.try_get("updated_at")?,
                refunded_minor: row.try_get("refunded_minor")?,
                cancel_time: row.try_get("cancel_time")?,
                settlement_currency: crate::rows::decode_optional_currency(
                    "payments",
                    &payment_id,
                    "settlement_currency",
                    settlement_currency.as_deref(),
                )?,
                settlement_rate: row.try_get("settlement_rate")?,
                settlement_rate_at: row.try_get("settlement_rate_at")?,
                payment_id,
            })
        }

        pub(crate) fn refund_from(row: &$row) -> StoreResult<Refund> {
            let refund_id: RefundId = row.try_get("refund_id")?;
            let currency: String = row.try_get("currency")?;
            Ok(Refund {
                client_id: row.try_get("client_id")?,
                refund_request_id: row.try_get("refund_request_id")?,
                payment_id: row.try_get("payment_id")?,
                reference_refund_id: row.try_get("reference_refund_id")?,
                fingerprint: row.try_get("fingerprint")?,
                amount: crate::rows::decode_amount(
                    "refunds",
                    &refund_id,
                    &currency,
                    row.try_get("amount_minor")?,
                )?,
                reason: row.try_get("reason")?,
                notify_url: row.try_get("notify_url")?,
                status: parse(row, "status")?,
                result_code: row.try_get("result_code")?,
                result_message: row.try_get("result_message")?,
                created_at: row.try_get("created_at")?,
                refund_time: row.try_get("refund_time")?,
                settle_at: row.try_get("settle_at")?,
                updated_at: row.try_get("updated_at")?,
                refund_id,
            })
        }

        pub(crate) fn report_from(row: &$row) -> StoreResult<ReportTxn> {
            let transaction_id: String = row.try_get("transaction_id")?;
            let original_transaction_id: Option<String> = row.try_get("original_transaction_id")?;
            // The settlement currency is the payment's: the row's own id,
            // or for a refund or cancel the payment it belongs to.
            let settlement_currency: Option<String> = row.try_get("settlement_currency")?;
            let settlement_currency = crate::rows::decode_optional_currency(
                "payments",
                original_transaction_id
                    .as_deref()
                    .unwrap_or(&transaction_id),
                "settlement_currency",
                settlement_currency.as_deref(),
            )?;
            let transaction_type: String = row.try_get("transaction_type")?;
            let currency: String = row.try_get("currency")?;
            let amount = crate::rows::decode_amount(
                if transaction_type == "REFUND" {
                    "refunds"
                } else {
                    "payments"
                },
                &transaction_id,
                &currency,
                row.try_get("amount_minor")?,
            )?;
            Ok(ReportTxn {
                transaction_request_id: row.try_get("transaction_request_id")?,
                reference_transaction_id: row.try_get("reference_transaction_id")?,
                payment_method_type: row.try_get("payment_method_type")?,
                transaction_type,
                transaction_status: row.try_get("transaction_status")?,
                transaction_time: row.try_get("transaction_time")?,
                amount,
                settlement_currency,
                settlement_rate: row.try_get("settlement_rate")?,
                original_transaction_id,
                transaction_id,
            })
        }

        pub(crate) fn attempt_from(row: &$row) -> StoreResult<Attempt> {
            Ok(Attempt {
                attempt_id: row.try_get("attempt_id")?,
                payment_id: row.try_get("payment_id")?,
                nonce: row.try_get("nonce")?,
                method: row.try_get("method")?,
                state: parse(row, "state")?,
                result_code: row.try_get("result_code")?,
                result_message: row.try_get("result_message")?,
                card_brand: row.try_get("card_brand")?,
                card_last4: row.try_get("card_last4")?,
                card_masked: row.try_get("card_masked")?,
                card_details: row.try_get("card_details")?,
                wallet_token: row.try_get("wallet_token")?,
                settle_at: row.try_get("settle_at")?,
                created_at: row.try_get("created_at")?,
                updated_at: row.try_get("updated_at")?,
            })
        }

        pub(crate) fn notification_from(row: &$row) -> StoreResult<Notification> {
            Ok(Notification {
                notification_id: row.try_get("notification_id")?,
                client_id: row.try_get("client_id")?,
                kind: row.try_get("kind")?,
                subject_id: row.try_get("subject_id")?,
                url: row.try_get("url")?,
                body: row.try_get("body")?,
                status: row.try_get("status")?,
                attempts: u32_col(row, "attempts")?,
                next_attempt_at: row.try_get("next_attempt_at")?,
                created_at: row.try_get("created_at")?,
                delivered_at: row.try_get("delivered_at")?,
            })
        }
        pub(crate) fn delivery_from(row: &$row) -> StoreResult<DeliveryAttempt> {
            let http_status: Option<i64> = row.try_get("http_status")?;
            Ok(DeliveryAttempt {
                notification_id: row.try_get("notification_id")?,
                attempt_no: u32_col(row, "attempt_no")?,
                attempted_at: row.try_get("attempted_at")?,
                http_status: http_status.map(|s| s as u16),
                latency_ms: row.try_get("latency_ms")?,
                response_excerpt: row.try_get("response_excerpt")?,
                error: row.try_get("error")?,
                acknowledged: row.try_get("acknowledged")?,
                request_time: row.try_get("request_time")?,
                signature: row.try_get("signature")?,
            })
        }

        pub(crate) fn dashboard_user_from(row: &$row) -> StoreResult<DashboardUser> {
            Ok(DashboardUser {
                user_id: row.try_get("user_id")?,
                email: row.try_get("email")?,
                role: row.try_get("role")?,
                client_id: row.try_get("client_id")?,
                password_hash: row.try_get("password_hash")?,
                setup_token_hash: row.try_get("setup_token_hash")?,
                setup_expires_at: row.try_get("setup_expires_at")?,
                created_at: row.try_get("created_at")?,
            })
        }

        pub(crate) fn logo_from(row: &$row) -> StoreResult<MerchantLogo> {
            Ok(MerchantLogo {
                name: row.try_get("name")?,
                client_id: row.try_get("client_id")?,
                content_type: row.try_get("content_type")?,
                sha256: row.try_get("sha256")?,
                bytes: row.try_get("bytes")?,
                created_at: row.try_get("created_at")?,
            })
        }

        pub(crate) fn api_request_from(row: &$row) -> StoreResult<ApiRequestRecord> {
            Ok(ApiRequestRecord {
                client_id: row.try_get("client_id")?,
                at: row.try_get("at")?,
                api: row.try_get("api")?,
                result_code: row.try_get("result_code")?,
                result_status: row.try_get("result_status")?,
                latency_us: row.try_get("latency_us")?,
                request_id: row.try_get("request_id")?,
                authenticated: row.try_get("authenticated")?,
            })
        }

        pub(crate) fn warning_from(row: &$row) -> StoreResult<PaymentWarning> {
            Ok(PaymentWarning {
                payment_id: row.try_get("payment_id")?,
                seq: u32_col(row, "seq")?,
                rule: row.try_get("rule")?,
                field: row.try_get("field")?,
                message: row.try_get("message")?,
                created_at: row.try_get("created_at")?,
            })
        }

        pub(crate) fn warning_count_from(row: &$row) -> StoreResult<WarningCount> {
            let payments: i64 = row.try_get("payments")?;
            Ok(WarningCount {
                rule: row.try_get("rule")?,
                payments: u64::try_from(payments).unwrap_or_default(),
                last_at: row.try_get("last_at")?,
            })
        }

        pub(crate) fn dashboard_session_from(row: &$row) -> StoreResult<DashboardSession> {
            Ok(DashboardSession {
                session_hash: row.try_get("session_hash")?,
                user_id: row.try_get("user_id")?,
                csrf_token: row.try_get("csrf_token")?,
                created_at: row.try_get("created_at")?,
                expires_at: row.try_get("expires_at")?,
            })
        }
    };
}

pub(crate) use row_mappers;
