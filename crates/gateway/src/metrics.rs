//! Metrics: the one Prometheus registry and what records into it. The
//! HTTP side (`GET /metrics`, the page timing middleware) is `telemetry`.
//!
//! `GET /metrics` serves Prometheus/OpenMetrics text from one
//! [`prometheus_client`] registry. Recording on the hot path is a label
//! lookup (a short read lock, never held across an `.await`) and atomic or
//! briefly-locked updates. Values that live in the database — the
//! notification backlog and the connection pool — are read at scrape time,
//! with two index-range counts, so they cost nothing between scrapes.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::store::{Store, Timestamp};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ApiLabels {
    api: &'static str,
    result_code: &'static str,
    result_status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PageLabels {
    route: &'static str,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabels {
    status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    backend: &'static str,
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LimitLabels {
    scope: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AnswerLabels {
    answer: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReasonLabels {
    reason: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct WarningLabels {
    rule: &'static str,
    /// `recorded` on an accepted payment, `refused` in strict mode.
    outcome: &'static str,
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

/// How a notification attempt ended, for metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// The merchant answered with the acknowledgement.
    Acknowledged,
    /// The merchant answered, but not with the acknowledgement.
    Rejected,
    /// No answer: refused, timed out, connection or target error.
    Error,
}

impl DeliveryOutcome {
    fn as_str(self) -> &'static str {
        match self {
            DeliveryOutcome::Acknowledged => "acknowledged",
            DeliveryOutcome::Rejected => "rejected",
            DeliveryOutcome::Error => "error",
        }
    }
}

/// Every metric the gateway exports.
pub struct Metrics {
    registry: Registry,
    api_requests: Family<ApiLabels, Counter>,
    api_latency: HistogramFamily<ApiLabels>,
    page_requests: Family<PageLabels, Counter>,
    page_latency: HistogramFamily<PageLabels>,
    deliveries: Family<OutcomeLabels, Counter>,
    delivery_latency: HistogramFamily<OutcomeLabels>,
    payments_final: Family<StatusLabels, Counter>,
    rate_limited: Family<LimitLabels, Counter>,
    auth_failures: Family<AnswerLabels, Counter>,
    api_log_dropped: Family<ReasonLabels, Counter>,
    integration_warnings: Family<WarningLabels, Counter>,
    queue_due: Gauge,
    queue_pending: Gauge,
    pool: Family<PoolLabels, Gauge>,
    writer: WriterMetrics,
}

/// SQLite's group-commit writer, copied from `Store::pool_stats` at scrape
/// time (they stay 0 on PostgreSQL, which has no such writer).
#[derive(Default)]
struct WriterMetrics {
    batches: Counter,
    writes: Counter,
    busy_seconds: Counter<f64, AtomicU64>,
    slowest_batch: Gauge<f64, AtomicU64>,
}

fn latency_histogram() -> Histogram {
    // 0.25 ms … ~8 s in powers of two.
    Histogram::new(exponential_buckets(0.000_25, 2.0, 16))
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("cashier");
        let api_requests = Family::<ApiLabels, Counter>::default();
        let api_latency: HistogramFamily<ApiLabels> =
            Family::new_with_constructor(latency_histogram);
        let page_requests = Family::<PageLabels, Counter>::default();
        let page_latency: HistogramFamily<PageLabels> =
            Family::new_with_constructor(latency_histogram);
        let deliveries = Family::<OutcomeLabels, Counter>::default();
        let delivery_latency: HistogramFamily<OutcomeLabels> =
            Family::new_with_constructor(latency_histogram);
        let payments_final = Family::<StatusLabels, Counter>::default();
        let rate_limited = Family::<LimitLabels, Counter>::default();
        let auth_failures = Family::<AnswerLabels, Counter>::default();
        let api_log_dropped = Family::<ReasonLabels, Counter>::default();
        let queue_due = Gauge::default();
        let queue_pending = Gauge::default();
        let pool = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "api_requests",
            "API requests by operation and result code",
            api_requests.clone(),
        );
        registry.register(
            "api_request_duration_seconds",
            "API request latency, from the first byte to the signed response",
            api_latency.clone(),
        );
        registry.register(
            "page_requests",
            "Hosted page requests by route and HTTP status",
            page_requests.clone(),
        );
        registry.register(
            "page_request_duration_seconds",
            "Hosted page request latency",
            page_latency.clone(),
        );
        registry.register(
            "notification_deliveries",
            "Notification attempts by outcome",
            deliveries.clone(),
        );
        registry.register(
            "notification_delivery_duration_seconds",
            "Notification attempt latency",
            delivery_latency.clone(),
        );
        registry.register(
            "payments_final",
            "Payments that reached a final state, by state",
            payments_final.clone(),
        );
        registry.register(
            "rate_limited",
            "Requests refused by a rate limit, by scope",
            rate_limited.clone(),
        );
        registry.register(
            "api_auth_failures",
            "API requests that failed authentication, by how they were answered: signed, reused \
             (the signature of an identical answer in the same second) or unsigned (the \
             address is over --auth-failure-limit)",
            auth_failures.clone(),
        );
        registry.register(
            "api_log_dropped",
            "Entries of the dashboard's API request log dropped: buffer full, or a failed write",
            api_log_dropped.clone(),
        );
        let integration_warnings = Family::<WarningLabels, Counter>::default();
        registry.register(
            "integration_warnings",
            "Integration warnings of createPaymentSession requests by rule: recorded on a new \
             payment, or refused (a merchant in strict mode)",
            integration_warnings.clone(),
        );
        registry.register(
            "notifications_due",
            "Undelivered notifications whose next attempt is due (read at scrape time)",
            queue_due.clone(),
        );
        registry.register(
            "notifications_pending",
            "Undelivered notifications, due or waiting for a retry (read at scrape time)",
            queue_pending.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Database pool connections: open (size), idle and the configured maximum (read at scrape time)",
            pool.clone(),
        );
        let writer = WriterMetrics::default();
        registry.register(
            "db_writer_batches",
            "SQLite group-commit batches committed (read at scrape time)",
            writer.batches.clone(),
        );
        registry.register(
            "db_writer_writes",
            "Writes committed by the SQLite group-commit writer; ÷ batches = mean batch (read at scrape time)",
            writer.writes.clone(),
        );
        registry.register(
            "db_writer_busy_seconds",
            "Time the SQLite writer spent from BEGIN to durable COMMIT; ÷ batches = mean batch time (read at scrape time)",
            writer.busy_seconds.clone(),
        );
        registry.register(
            "db_writer_slowest_batch_seconds",
            "The slowest SQLite group-commit batch since the previous scrape",
            writer.slowest_batch.clone(),
        );
        Metrics {
            registry,
            api_requests,
            api_latency,
            page_requests,
            page_latency,
            deliveries,
            delivery_latency,
            payments_final,
            rate_limited,
            auth_failures,
            api_log_dropped,
            integration_warnings,
            queue_due,
            queue_pending,
            pool,
            writer,
        }
    }

    /// One answered API request. `api` is the operation name, or
    /// `unknown` for paths that name none.
    pub fn api_request(
        &self,
        api: &'static str,
        code: cashier_protocol::ResultCode,
        elapsed: Duration,
    ) {
        let labels = ApiLabels {
            api,
            result_code: code.as_str(),
            result_status: match code.status() {
                cashier_protocol::ResultStatus::S => "S",
                cashier_protocol::ResultStatus::F => "F",
                cashier_protocol::ResultStatus::U => "U",
            },
        };
        self.api_requests.get_or_create(&labels).inc();
        self.api_latency
            .get_or_create(&labels)
            .observe(elapsed.as_secs_f64());
    }

    pub fn page_request(&self, route: &'static str, status: u16, elapsed: Duration) {
        let labels = PageLabels { route, status };
        self.page_requests.get_or_create(&labels).inc();
        self.page_latency
            .get_or_create(&labels)
            .observe(elapsed.as_secs_f64());
    }

    pub fn delivery(&self, outcome: DeliveryOutcome, elapsed: Duration) {
        let labels = OutcomeLabels {
            outcome: outcome.as_str(),
        };
        self.deliveries.get_or_create(&labels).inc();
        self.delivery_latency
            .get_or_create(&labels)
            .observe(elapsed.as_secs_f64());
    }

    /// A payment reached `SUCCESS`, `FAIL` or `CANCELLED`.
    pub fn payment_final(&self, status: &'static str) {
        self.payments_final
            .get_or_create(&StatusLabels { status })
            .inc();
    }

    /// A request refused by a limiter (`client` or `checkout_token`).
    pub fn rate_limited(&self, scope: &'static str) {
        self.rate_limited
            .get_or_create(&LimitLabels { scope })
            .inc();
    }

    /// An API request that failed authentication was answered `signed`,
    /// `reused` or `unsigned`.
    pub fn auth_failure(&self, answer: &'static str) {
        self.auth_failures
            .get_or_create(&AnswerLabels { answer })
            .inc();
    }

    /// One integration warning of a createPaymentSession request, recorded
    /// on a new payment or refused in strict mode.
    pub fn integration_warning(&self, rule: cashier_protocol::WarningRule, refused: bool) {
        let outcome = if refused { "refused" } else { "recorded" };
        self.integration_warnings
            .get_or_create(&WarningLabels {
                rule: rule.code(),
                outcome,
            })
            .inc();
    }

    /// `n` entries of the API request log dropped (`buffer_full` or
    /// `store_error`).
    pub fn api_log_dropped(&self, reason: &'static str, n: u64) {
        self.api_log_dropped
            .get_or_create(&ReasonLabels { reason })
            .inc_by(n);
    }

    /// Refreshes the scrape-time values and encodes everything.
    pub async fn render(&self, store: &dyn Store, now: Timestamp) -> String {
        match store.notification_backlog(now).await {
            Ok((due, pending)) => {
                self.queue_due.set(due as i64);
                self.queue_pending.set(pending as i64);
            }
            Err(e) => tracing::warn!(error = %e, "cannot read the notification backlog"),
        }
        let pool = store.pool_stats();
        for (state, value) in [("size", pool.size), ("idle", pool.idle), ("max", pool.max)] {
            self.pool
                .get_or_create(&PoolLabels {
                    backend: pool.backend,
                    state,
                })
                .set(i64::from(value));
        }
        if let Some(w) = pool.writer {
            // Counters set from the store's own totals: they only grow.
            self.writer
                .batches
                .inner()
                .store(w.batches, Ordering::Relaxed);
            self.writer
                .writes
                .inner()
                .store(w.writes, Ordering::Relaxed);
            self.writer
                .busy_seconds
                .inner()
                .store(w.busy_seconds.to_bits(), Ordering::Relaxed);
            self.writer.slowest_batch.set(w.slowest_batch_seconds);
        }
        let mut out = String::with_capacity(8 * 1024);
        encode(&mut out, &self.registry).expect("writing to a String cannot fail");
        out
    }
}
