//! `cashier listen` (issue #16): follows one merchant's activity in the
//! terminal, as a developer tails webhooks — each API request answered and
//! each notification attempt — and, with `--forward-to`, re-sends each
//! attempt's exact signed request to a handler of the developer's.
//!
//! It reads the store (SQLite beside a running server, or the PostgreSQL
//! database every node writes), so it sees what every node does. Rows are
//! followed by their id. On PostgreSQL an id is taken when a row is
//! inserted but the row is seen when its transaction commits, so a row
//! can appear after one with a higher id: ids above the cursor are read
//! again for [`LATE_ROWS`] and rows already shown are skipped.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use cashier_gateway::clock::format_timestamp;
use cashier_gateway::store::{ClientId, ListenedAttempt, ListenedRequest, Store};
use serde_json::Value;

/// How long a row committed out of id order can still be picked up.
const LATE_ROWS: Duration = Duration::from_secs(5);
/// Rows read per query.
const PAGE: u32 = 500;
/// How much of a forwarded request's answer is printed.
const ANSWER_EXCERPT: usize = 200;

pub struct Listen {
    pub store: Arc<dyn Store>,
    pub client_id: String,
    pub forward_to: Option<reqwest::Url>,
    pub interval: Duration,
}

/// Which rows of one kind were shown: everything up to `floor`, and the
/// ids above it seen recently (with when).
#[derive(Default)]
struct Cursor {
    floor: i64,
    seen: BTreeMap<i64, Instant>,
}

impl Cursor {
    /// Whether `id` is new (and records it).
    fn admit(&mut self, id: i64, now: Instant) -> bool {
        id > self.floor && self.seen.insert(id, now).is_none()
    }

    /// Moves the floor over the ids seen longer ago than [`LATE_ROWS`]:
    /// a row that commits later than that below them is not shown.
    fn settle(&mut self, now: Instant) {
        let old: Vec<i64> = self
            .seen
            .iter()
            .take_while(|(_, at)| now.duration_since(**at) >= LATE_ROWS)
            .map(|(id, _)| *id)
            .collect();
        if let Some(last) = old.last() {
            self.floor = *last;
            self.seen.retain(|id, _| id > last);
        }
    }

    /// Where the next query starts.
    fn after(&self) -> i64 {
        self.floor
    }
}

impl Listen {
    pub async fn run(self) -> Result<()> {
        let builder = || {
            reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .redirect(reqwest::redirect::Policy::none())
        };
        // reqwest builds no client when the system has no CA certificates:
        // trust none then, so listening and forwarding to an http handler
        // still work (forwarding to an https one shows the TLS error).
        let http = builder()
            .build()
            .or_else(|_| builder().tls_certs_only([]).build())
            .context("HTTP client")?;
        // Start at the end: what happened before is in the dashboard.
        let mut requests = Cursor {
            floor: self.last_request_id().await?,
            ..Cursor::default()
        };
        let mut attempts = Cursor {
            floor: self.last_attempt_id().await?,
            ..Cursor::default()
        };
        match &self.forward_to {
            Some(url) => println!(
                "Listening to {} (Ctrl-C to stop); forwarding notifications to {url}",
                self.client_id
            ),
            None => println!("Listening to {} (Ctrl-C to stop)", self.client_id),
        }
        let mut warned_path = false;
        loop {
            let now = Instant::now();
            for row in self.requests_after(requests.after()).await? {
                if requests.admit(row.id, now) {
                    println!("{}", request_line(&row));
                }
            }
            for row in self.attempts_after(attempts.after()).await? {
                if !attempts.admit(row.id, now) {
                    continue;
                }
                println!("{}", attempt_line(&row));
                if let Some(url) = &self.forward_to {
                    if !warned_path && !same_path(url, &row.notification.url) {
                        warned_path = true;
                        println!(
                            "  note: the signature covers the path of {}; a handler at {} must verify against that path",
                            row.notification.url,
                            url.path()
                        );
                    }
                    println!("  {}", forward(&http, url, &row).await);
                }
            }
            requests.settle(now);
            attempts.settle(now);
            tokio::select! {
                _ = tokio::time::sleep(self.interval) => {}
                _ = tokio::signal::ctrl_c() => return Ok(()),
            }
        }
    }

    async fn requests_after(&self, mut after: i64) -> Result<Vec<ListenedRequest>> {
        let mut all = Vec::new();
        loop {
            let page = self
                .store
                .api_requests_after(&ClientId::from(&self.client_id), after, PAGE)
                .await?;
            let full = page.len() == PAGE as usize;
            after = page.last().map_or(after, |r| r.id);
            all.extend(page);
            if !full {
                return Ok(all);
            }
        }
    }

    async fn attempts_after(&self, mut after: i64) -> Result<Vec<ListenedAttempt>> {
        let mut all = Vec::new();
        loop {
            let page = self
                .store
                .delivery_attempts_after(&ClientId::from(&self.client_id), after, PAGE)
                .await?;
            let full = page.len() == PAGE as usize;
            after = page.last().map_or(after, |r| r.id);
            all.extend(page);
            if !full {
                return Ok(all);
            }
        }
    }

    async fn last_request_id(&self) -> Result<i64> {
        Ok(self.requests_after(0).await?.last().map_or(0, |r| r.id))
    }

    async fn last_attempt_id(&self) -> Result<i64> {
        Ok(self.attempts_after(0).await?.last().map_or(0, |r| r.id))
    }
}

/// `2025-01-01T08:00:00+08:00  API     inquiryPayment  S SUCCESS  PR-1  (3 ms)`
fn request_line(row: &ListenedRequest) -> String {
    let r = &row.request;
    let mut line = format!(
        "{}  API     {}  {} {}",
        format_timestamp(r.at),
        r.api,
        r.result_status,
        r.result_code
    );
    if let Some(id) = &r.request_id {
        line.push_str(&format!("  {id}"));
    }
    line.push_str(&format!("  ({} ms)", r.latency_us / 1000));
    line
}

/// `2025-01-01T08:00:00+08:00  NOTIFY  PAYMENT_RESULT  PR-1  SUCCESS  attempt 1: HTTP 200, acknowledged (12 ms)`
fn attempt_line(row: &ListenedAttempt) -> String {
    let a = &row.attempt;
    let body: Value = serde_json::from_str(&row.notification.body).unwrap_or(Value::Null);
    let text = |k: &str| body.get(k).and_then(Value::as_str);
    let kind = text("notifyType").unwrap_or(&row.notification.kind);
    let subject = text("paymentRequestId")
        .or_else(|| text("refundRequestId"))
        .unwrap_or(&row.notification.subject_id);
    let status = text("refundStatus")
        .or_else(|| text("paymentStatus"))
        .or_else(|| body["result"]["resultCode"].as_str())
        .unwrap_or("?");
    let answer = match (a.http_status, &a.error) {
        (Some(code), _) if a.acknowledged => format!("HTTP {code}, acknowledged"),
        (Some(code), _) => format!("HTTP {code}, not acknowledged"),
        (None, Some(e)) => format!("no answer: {e}"),
        (None, None) => "no answer".to_string(),
    };
    format!(
        "{}  NOTIFY  {kind}  {subject}  {status}  attempt {}: {answer} ({} ms)",
        format_timestamp(a.attempted_at),
        a.attempt_no,
        a.latency_ms
    )
}

fn same_path(url: &reqwest::Url, notify_url: &str) -> bool {
    reqwest::Url::parse(notify_url).is_ok_and(|u| u.path() == url.path())
}

/// Re-sends one attempt's exact request to `url`; what to print about it.
async fn forward(http: &reqwest::Client, url: &reqwest::Url, row: &ListenedAttempt) -> String {
    let a = &row.attempt;
    let (Some(request_time), Some(signature)) = (&a.request_time, &a.signature) else {
        return "forward: skipped (this attempt was not signed: it failed before sending)"
            .to_string();
    };
    let started = Instant::now();
    let sent = http
        .post(url.clone())
        .header("content-type", "application/json; charset=UTF-8")
        .header("client-id", row.notification.client_id.as_str())
        .header("request-time", request_time)
        .header("signature", signature)
        .body(row.notification.body.clone())
        .send()
        .await;
    let ms = started.elapsed().as_millis();
    match sent {
        Ok(response) => {
            let status = response.status().as_u16();
            let text = response.text().await.unwrap_or_default();
            let excerpt: String = text.chars().take(ANSWER_EXCERPT).collect();
            format!("forward: HTTP {status} ({ms} ms) {excerpt}")
        }
        Err(e) => format!("forward: failed ({ms} ms): {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_shows_each_row_once_and_waits_for_late_ones() {
        let t0 = Instant::now();
        let mut c = Cursor::default();
        assert!(c.admit(3, t0));
        assert!(!c.admit(3, t0), "shown once");
        // Row 2 commits after row 3: still shown.
        assert!(c.admit(2, t0));
        c.settle(t0 + Duration::from_secs(1));
        assert_eq!(c.after(), 0, "recent rows keep the floor down");
        c.settle(t0 + LATE_ROWS);
        assert_eq!(c.after(), 3);
        assert!(!c.admit(1, t0 + LATE_ROWS), "below the floor: too late");
        assert!(c.admit(4, t0 + LATE_ROWS));
    }
}
