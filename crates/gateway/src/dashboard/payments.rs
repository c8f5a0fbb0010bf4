//! The payments list: filters, keyset pagination, CSV export.
//!
//! Pages are keyset-paginated on (`created_at`, `payment_id`) descending —
//! the cursor is the last row shown — so page 1,000 costs what page 1 does;
//! migration 0005 adds the indexes (`payments_list*`). The CSV export walks
//! the same query in pages and is capped at [`EXPORT_LIMIT`] rows.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use super::auth::Viewer;
use super::DashboardState;
use super::{fmt_time, iso_time, money, page, strings, DashError, DashResult, DashStrings, Nav};
use crate::payments::state::PaymentStatus;
use crate::processor::methods::CATALOGUE;
use crate::store::{ClientId, Payment, PaymentFilter, PaymentId, Timestamp};

pub const PAGE_SIZE: u32 = 50;
pub const EXPORT_LIMIT: usize = 100_000;
const EXPORT_BATCH: u32 = 1_000;

/// The list's query string, as typed by the user (echoed back in the form).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
    pub client: String,
    pub status: String,
    pub method: String,
    pub currency: String,
    pub from: String,
    pub to: String,
    pub before: String,
}

impl ListQuery {
    /// The store filter for `viewer`: a merchant user's scope always wins
    /// over a `client` parameter. The error is the message to show.
    fn filter(&self, viewer: &Viewer, t: &DashStrings) -> Result<PaymentFilter, String> {
        let opt = |s: &str| Some(s.trim()).filter(|s| !s.is_empty()).map(str::to_string);
        let date = |s: &str, invalid: &str| -> Result<Option<Timestamp>, String> {
            match opt(s) {
                None => Ok(None),
                // A UTC+8 calendar day, as everywhere in the dashboard.
                Some(d) => NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                    .map(|d| Some(super::day_start(d)))
                    .map_err(|_| invalid.to_string()),
            }
        };
        let status = match opt(&self.status) {
            None => None,
            Some(s) => Some(
                s.parse::<PaymentStatus>()
                    .map_err(|_| t.payments_status_unknown(&format!("{s:?}")))?,
            ),
        };
        let currency = opt(&self.currency).map(|c| c.to_ascii_uppercase());
        if currency
            .as_ref()
            .is_some_and(|c| c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()))
        {
            return Err(t.payments_currency_invalid.into());
        }
        let before = match opt(&self.before) {
            None => None,
            Some(c) => Some(
                c.split_once('.')
                    .and_then(|(t, id)| {
                        Some((
                            Timestamp::from_millis(t.parse::<i64>().ok()?),
                            PaymentId::from(id),
                        ))
                    })
                    .ok_or(t.payments_cursor_invalid)?,
            ),
        };
        let client_id = match viewer.scope() {
            Some(c) => Some(c.clone()),
            None => opt(&self.client).map(ClientId::from),
        };
        Ok(PaymentFilter {
            client_id,
            status,
            method: opt(&self.method),
            currency,
            created_from: date(&self.from, t.payments_from_invalid)?,
            created_to: date(&self.to, t.payments_to_invalid)?
                .map(|t| t + chrono::Duration::days(1)),
            search: opt(&self.q),
            before,
        })
    }

    fn href(&self, path: &str, before: Option<String>) -> String {
        let mut s = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("q", &self.q),
            ("client", &self.client),
            ("status", &self.status),
            ("method", &self.method),
            ("currency", &self.currency),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if !v.trim().is_empty() {
                s.append_pair(k, v.trim());
            }
        }
        if let Some(b) = before {
            s.append_pair("before", &b);
        }
        let qs = s.finish();
        if qs.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{qs}")
        }
    }
}

pub struct Row {
    pub payment_id: String,
    pub request_id: String,
    pub client_id: String,
    pub status: String,
    pub method: String,
    pub amount: String,
    pub refunded: String,
    pub created: String,
    pub created_iso: String,
}

impl Row {
    fn of(p: &Payment) -> Row {
        Row {
            payment_id: p.payment_id.to_string(),
            request_id: p.payment_request_id.to_string(),
            client_id: p.client_id.to_string(),
            status: p.status.as_str().to_string(),
            method: p.payment_method_type.clone().unwrap_or_default(),
            amount: money(p.amount.currency().code(), p.amount.minor()),
            refunded: if p.refunded_minor > 0 {
                money(p.amount.currency().code(), p.refunded_minor)
            } else {
                String::new()
            },
            created: fmt_time(p.created_at),
            created_iso: iso_time(p.created_at),
        }
    }
}

#[derive(Template)]
#[template(path = "dashboard/payments.html")]
struct ListPage {
    t: &'static DashStrings,
    title: String,
    nav: Option<Nav>,
    admin: bool,
    merchants: Vec<String>,
    statuses: Vec<String>,
    methods: Vec<String>,
    f: ListQuery,
    error: Option<String>,
    rows: Vec<Row>,
    first_page: bool,
    first_href: String,
    next_href: Option<String>,
    csv_href: String,
}

pub async fn list(
    State(svc): State<Arc<DashboardState>>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> DashResult {
    let t = strings();
    let (rows, error, next) = match query.filter(&viewer, t) {
        Ok(filter) => {
            let mut rows = svc.store.list_payments(&filter, PAGE_SIZE + 1).await?;
            let more = rows.len() > PAGE_SIZE as usize;
            rows.truncate(PAGE_SIZE as usize);
            let next = more
                .then(|| {
                    rows.last()
                        .map(|p| format!("{}.{}", p.created_at.millis(), p.payment_id))
                })
                .flatten();
            (rows, None, next)
        }
        Err(e) => (Vec::new(), Some(e), None),
    };
    let merchants = if viewer.is_admin() {
        svc.store
            .merchants()
            .await?
            .into_iter()
            .map(|m| m.client_id.into_string())
            .collect()
    } else {
        Vec::new()
    };
    let view = ListPage {
        t,
        title: t.payments_title.into(),
        nav: Some(viewer.nav("payments")),
        admin: viewer.is_admin(),
        merchants,
        statuses: PaymentStatus::ALL
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
        methods: CATALOGUE.iter().map(|m| m.code.to_string()).collect(),
        first_page: query.before.trim().is_empty(),
        first_href: query.href("/dashboard/payments", None),
        next_href: next.map(|n| query.href("/dashboard/payments", Some(n))),
        csv_href: query.href("/dashboard/payments.csv", None),
        rows: rows.iter().map(Row::of).collect(),
        f: query,
        error,
    };
    page(&view)
}

/// The filtered list as CSV (newest first, at most [`EXPORT_LIMIT`] rows).
pub async fn export_csv(
    State(svc): State<Arc<DashboardState>>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, DashError> {
    let mut filter = query
        .filter(&viewer, strings())
        .map_err(DashError::BadRequest)?;
    filter.before = None;
    let mut out = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| {
        tracing::error!(error = %e, "CSV export failed");
        DashError::Internal
    };
    out.write_record([
        "paymentId",
        "paymentRequestId",
        "clientId",
        "status",
        "resultCode",
        "currency",
        "amountValue",
        "refundedValue",
        "paymentMethodType",
        "createdAt",
        "paidAt",
        "referenceOrderId",
        "integrationWarnings",
    ])
    .map_err(csv_err)?;
    let mut written = 0usize;
    loop {
        let batch = svc.store.list_payments(&filter, EXPORT_BATCH).await?;
        let ids: Vec<PaymentId> = batch.iter().map(|p| p.payment_id.clone()).collect();
        let mut warnings: std::collections::HashMap<PaymentId, Vec<String>> =
            std::collections::HashMap::new();
        for w in svc.store.warnings_for_payments(&ids).await? {
            warnings
                .entry(w.payment_id)
                .or_default()
                .push(format!("{} {}", w.rule, w.field));
        }
        for p in &batch {
            // Minor units as in the API's amount.value: no decimals to misread.
            // Merchant-chosen text cannot start a spreadsheet formula.
            out.write_record([
                p.payment_id.as_str(),
                &crate::reports::spreadsheet_safe(&p.payment_request_id),
                &p.client_id,
                p.status.as_str(),
                &p.result_code,
                p.amount.currency().code(),
                &p.amount.value_string(),
                &p.refunded_minor.to_string(),
                p.payment_method_type.as_deref().unwrap_or(""),
                &iso_time(p.created_at),
                &p.paid_at.map(iso_time).unwrap_or_default(),
                &crate::reports::spreadsheet_safe(&p.reference_order_id),
                // `RULE field; RULE field`, in the order they were met.
                &warnings
                    .get(&p.payment_id)
                    .map(|w| w.join("; "))
                    .unwrap_or_default(),
            ])
            .map_err(csv_err)?;
            written += 1;
            if written >= EXPORT_LIMIT {
                break;
            }
        }
        match batch.last() {
            Some(last) if batch.len() == EXPORT_BATCH as usize && written < EXPORT_LIMIT => {
                filter.before = Some((last.created_at, last.payment_id.clone()));
            }
            _ => break,
        }
    }
    let body = out
        .into_inner()
        .map_err(|e| csv_err(e.into_error().into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"payments.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}
