//! The recent-API-requests log of the Developers page: per node, in memory,
//! bounded ([`PER_CLIENT`] entries for at most [`MAX_CLIENTS`] client ids),
//! so recording costs no database write on the API's hot path. Each entry
//! is time, API, result code and latency — never a body, header or key.
//! A node restart empties it; with N nodes each shows what it served.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

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

impl ApiLog {
    /// Records one answered API request. Requests naming no registered
    /// client (`INVALID_CLIENT`, or no operation) are not kept, so forged
    /// client ids cannot crowd real merchants out of the log.
    pub fn record(
        &self,
        client_id: &str,
        op: Option<Operation>,
        result_code: &str,
        latency: Duration,
        now_ms: i64,
    ) {
        let Some(op) = op else { return };
        if client_id.is_empty() || client_id.len() > 64 || result_code == "INVALID_CLIENT" {
            return;
        }
        let entry = ApiLogEntry {
            at_ms: now_ms,
            api: op.name(),
            result_code: result_code.chars().take(64).collect(),
            latency_us: u64::try_from(latency.as_micros()).unwrap_or(u64::MAX),
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

    #[test]
    fn bounded_per_client_newest_first_and_codes_only() {
        let log = ApiLog::default();
        let d = Duration::from_micros(1500);
        for i in 0..(PER_CLIENT as i64 + 5) {
            log.record("C1", Some(Operation::InquiryPayment), "SUCCESS", d, i);
        }
        log.record("C1", Some(Operation::Refund), "PARAM_ILLEGAL", d, 1_000);
        log.record("C1", None, "SUCCESS", d, 2_000); // no operation: not an API call
        log.record("", Some(Operation::Refund), "SUCCESS", d, 3_000);
        log.record(
            "FORGED",
            Some(Operation::Refund),
            "INVALID_CLIENT",
            d,
            4_000,
        );
        let got = log.recent("C1");
        assert_eq!(got.len(), PER_CLIENT);
        assert_eq!(
            (got[0].api, got[0].result_code.as_str()),
            ("refund", "PARAM_ILLEGAL")
        );
        assert_eq!(
            (got[1].api, got[1].result_code.as_str(), got[1].latency_us),
            ("inquiryPayment", "SUCCESS", 1500)
        );
        assert_eq!(got[1].at_ms, PER_CLIENT as i64 + 4);
        assert!(log.recent("C2").is_empty());
        assert!(log.recent("FORGED").is_empty());
    }
}
