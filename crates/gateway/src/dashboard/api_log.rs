//! The recent-API-requests log of the Developers page: per node, in memory,
//! bounded ([`PER_CLIENT`] entries for at most [`MAX_CLIENTS`] client ids),
//! so recording costs no database write on the API's hot path. Each entry
//! is time, API, result code and latency — never a body, header or key.
//! A node restart empties it; with N nodes each shows what it served.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Instant;

use crate::api::Operation;

pub const PER_CLIENT: usize = 100;
pub const MAX_CLIENTS: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiLogEntry {
    pub at_ms: i64,
    pub api: &'static str,
    pub result_code: String,
    pub latency_us: u64,
}

#[derive(Default)]
pub struct ApiLog {
    by_client: Mutex<HashMap<String, VecDeque<ApiLogEntry>>>,
}

#[derive(serde::Deserialize)]
struct ResultOnly {
    result: ResultCodeOnly,
}

#[derive(serde::Deserialize)]
struct ResultCodeOnly {
    #[serde(rename = "resultCode")]
    result_code: String,
}

fn api_name(op: Operation) -> &'static str {
    match op {
        Operation::CreatePaymentSession => "createPaymentSession",
        Operation::InquiryPayment => "inquiryPayment",
        Operation::Cancel => "cancel",
        Operation::Refund => "refund",
        Operation::InquiryRefund => "inquiryRefund",
        Operation::FetchReport => "reports/fetch",
    }
}

impl ApiLog {
    /// Records one answered API request (`body` is the unsigned answer; only
    /// its `result.resultCode` is kept).
    pub fn record(
        &self,
        client_id: &str,
        op: Option<Operation>,
        body: &str,
        started: Instant,
        now_ms: i64,
    ) {
        let Some(op) = op else { return };
        if client_id.is_empty() || client_id.len() > 64 {
            return;
        }
        let result_code = serde_json::from_str::<ResultOnly>(body)
            .map(|r| r.result.result_code)
            .unwrap_or_else(|_| "?".into());
        let entry = ApiLogEntry {
            at_ms: now_ms,
            api: api_name(op),
            result_code: result_code.chars().take(64).collect(),
            latency_us: started.elapsed().as_micros() as u64,
        };
        let mut map = self.by_client.lock().unwrap_or_else(|p| p.into_inner());
        if !map.contains_key(client_id) && map.len() >= MAX_CLIENTS {
            return;
        }
        let ring = map.entry(client_id.to_string()).or_default();
        if ring.len() == PER_CLIENT {
            ring.pop_front();
        }
        ring.push_back(entry);
    }

    /// Newest first.
    pub fn recent(&self, client_id: &str) -> Vec<ApiLogEntry> {
        let map = self.by_client.lock().unwrap_or_else(|p| p.into_inner());
        map.get(client_id)
            .map(|r| r.iter().rev().cloned().collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str = r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"},"paymentId":"x"}"#;

    #[test]
    fn bounded_per_client_newest_first_and_codes_only() {
        let log = ApiLog::default();
        let t = Instant::now();
        for i in 0..(PER_CLIENT as i64 + 5) {
            log.record("C1", Some(Operation::InquiryPayment), OK, t, i);
        }
        log.record("C1", Some(Operation::Refund), "not json", t, 1_000);
        log.record("C1", None, OK, t, 2_000); // no operation: not an API call
        log.record("", Some(Operation::Refund), OK, t, 3_000);
        let got = log.recent("C1");
        assert_eq!(got.len(), PER_CLIENT);
        assert_eq!((got[0].api, got[0].result_code.as_str()), ("refund", "?"));
        assert_eq!(
            (got[1].api, got[1].result_code.as_str()),
            ("inquiryPayment", "SUCCESS")
        );
        assert_eq!(got[1].at_ms, PER_CLIENT as i64 + 4);
        assert!(log.recent("C2").is_empty());
    }
}
