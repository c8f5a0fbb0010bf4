//! The report: one serialisable value per run, printed as text, written as
//! JSON, and turned into markdown tables by `cashier-bench table`.

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

use crate::ceiling::Ceiling;
use crate::disk::DiskSync;
use crate::gateway::ProcReading;
use crate::load::{Mode, RunResult};
use crate::scenarios::PageWeight;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Machine {
    pub nproc: usize,
    pub cpu_model: String,
    pub kernel: String,
    pub mem_total_kib: u64,
    pub load_average: String,
}

impl Machine {
    pub fn read() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_else(|| "unknown".into());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let mem_total_kib = meminfo
            .lines()
            .find(|l| l.starts_with("MemTotal:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        Machine {
            nproc: std::thread::available_parallelism().map_or(0, |n| n.get()),
            cpu_model,
            kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
                .unwrap_or_default()
                .trim()
                .to_string(),
            mem_total_kib,
            load_average: std::fs::read_to_string("/proc/loadavg")
                .unwrap_or_default()
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preload {
    pub rows: u64,
    pub seconds: f64,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotifyResult {
    pub queued: u64,
    pub queue_insert_s: f64,
    pub received_unique: u64,
    pub delivered_in_store: u64,
    /// Queued rows not `DELIVERED` in the store at the end.
    pub lost: u64,
    /// From queueing until the last one was acknowledged.
    pub seconds: f64,
    pub throughput: f64,
    pub gateway_cpu_s: f64,
    pub completed: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioReport {
    pub name: String,
    #[serde(flatten)]
    pub run: RunResult,
    /// Throughput ÷ the all-core ceiling of one verify + one sign per call
    /// (API scenarios only).
    pub ceiling_ratio: Option<f64>,
    /// Successful calls per gateway CPU-second ÷ the one-core ceiling:
    /// how close the gateway's own CPU use comes to pure RSA cost.
    pub gateway_cpu_efficiency: Option<f64>,
    /// SQLite's group-commit writer during the run (first node's /metrics).
    pub writer: Option<WriterDelta>,
}

/// The change of the first node's `cashier_db_writer_*` counters over a run.
#[derive(Debug, Clone, Copy, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WriterDelta {
    pub batches: f64,
    pub writes: f64,
    pub busy_seconds: f64,
}

impl WriterDelta {
    /// Reads the counters from a `/metrics` text.
    pub fn parse(text: &str) -> WriterDelta {
        let value = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
                .unwrap_or(0.0)
        };
        WriterDelta {
            batches: value("cashier_db_writer_batches_total"),
            writes: value("cashier_db_writer_writes_total"),
            busy_seconds: value("cashier_db_writer_busy_seconds_total"),
        }
    }

    pub fn since(self, before: WriterDelta) -> WriterDelta {
        WriterDelta {
            batches: self.batches - before.batches,
            writes: self.writes - before.writes,
            busy_seconds: self.busy_seconds - before.busy_seconds,
        }
    }
}

impl ScenarioReport {
    pub fn new(name: &str, run: RunResult) -> ScenarioReport {
        ScenarioReport {
            name: name.to_string(),
            run,
            ceiling_ratio: None,
            gateway_cpu_efficiency: None,
            writer: None,
        }
    }

    fn mode_text(&self) -> String {
        match self.run.mode {
            Mode::Closed { concurrency } => format!("closed c={concurrency}"),
            Mode::Open { rate, .. } => format!("open {rate:.0}/s"),
        }
    }

    pub fn line(&self) -> String {
        let r = &self.run;
        let l = &r.latency;
        let mut s = format!(
            "{:>24} [{}]: {} ok in {:.2} s = {:.0}/s; p50 {:.2} p90 {:.2} p99 {:.2} p99.9 {:.2} max {:.2} ms; errors {}",
            self.name,
            self.mode_text(),
            r.ok,
            r.elapsed_s,
            r.throughput,
            l.p50_ms,
            l.p90_ms,
            l.p99_ms,
            l.p999_ms,
            l.max_ms,
            r.error_count()
        );
        if let Some(c) = self.ceiling_ratio {
            let _ = write!(s, "; {:.0}% of RSA ceiling", c * 100.0);
        }
        if let Some(e) = self.gateway_cpu_efficiency {
            let _ = write!(s, " ({:.0}% per gateway CPU-s)", e * 100.0);
        }
        if let Some(w) = self.writer.filter(|w| w.batches > 0.0) {
            let _ = write!(
                s,
                "; writer: {:.0} batches, {:.1} writes each, {:.2} ms each",
                w.batches,
                w.writes / w.batches,
                w.busy_seconds * 1000.0 / w.batches
            );
        }
        s
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub label: Option<String>,
    pub started_at: String,
    pub machine: Machine,
    pub backend: String,
    pub nodes: usize,
    pub preload: Option<Preload>,
    /// Per node: process spawn → first 200 from /readyz.
    pub startup_ms: Vec<f64>,
    /// Per node, after start and before any load.
    pub idle_rss_kib: Vec<u64>,
    pub ceiling: Option<Ceiling>,
    /// Latency of a small durable append in the data directory's file system.
    pub disk_sync: Option<DiskSync>,
    pub scenarios: Vec<ScenarioReport>,
    pub page_weight: Option<PageWeight>,
    pub notify: Option<NotifyResult>,
    pub receiver: Option<Value>,
    /// Per node at the end: RSS, peak RSS (VmHWM), CPU seconds.
    pub final_proc: Vec<ProcReading>,
}

impl Report {
    pub fn new(label: Option<String>) -> Report {
        Report {
            label,
            started_at: chrono::Utc::now().to_rfc3339(),
            machine: Machine::read(),
            backend: String::new(),
            nodes: 0,
            preload: None,
            startup_ms: Vec::new(),
            idle_rss_kib: Vec::new(),
            ceiling: None,
            disk_sync: None,
            scenarios: Vec::new(),
            page_weight: None,
            notify: None,
            receiver: None,
            final_proc: Vec::new(),
        }
    }

    /// Adds a scenario result, with its ratios to the ceiling for API calls.
    pub fn push(&mut self, mut s: ScenarioReport) {
        let api = matches!(s.name.as_str(), "createPaymentSession" | "inquiryPayment");
        if let (true, Some(c)) = (api, &self.ceiling) {
            s.ceiling_ratio = Some(s.run.throughput / c.api_calls_per_s);
            if s.run.gateway_cpu_s > 0.0 {
                s.gateway_cpu_efficiency =
                    Some(s.run.ok as f64 / s.run.gateway_cpu_s / c.api_calls_per_core_s);
            }
        }
        self.scenarios.push(s);
    }

    pub fn total_errors(&self) -> u64 {
        let requests: u64 = self.scenarios.iter().map(|s| s.run.error_count()).sum();
        let lost = self.notify.as_ref().map_or(0, |n| n.lost);
        let bad = self.receiver.as_ref().map_or(0, |r| {
            r["badSignature"].as_u64().unwrap_or(0) + r["badBody"].as_u64().unwrap_or(0)
        });
        requests + lost + bad
    }

    pub fn text(&self) -> String {
        let mut s = String::new();
        let m = &self.machine;
        let _ = writeln!(
            s,
            "\nCashier benchmark{} — {} backend, {} node(s), {} × {}, load {}",
            self.label
                .as_ref()
                .map(|l| format!(" ({l})"))
                .unwrap_or_default(),
            self.backend,
            self.nodes,
            m.nproc,
            m.cpu_model,
            m.load_average
        );
        if let Some(p) = &self.preload {
            let _ = writeln!(s, "preloaded {} payments in {:.1} s", p.rows, p.seconds);
        }
        if let Some(c) = &self.ceiling {
            let _ = writeln!(
                s,
                "RSA-2048 ceiling ({} threads): {:.0} signs/s, {:.0} verifies/s → {:.0} API calls/s (1 verify + 1 sign), {:.0} per core",
                c.threads, c.sign_per_s, c.verify_per_s, c.api_calls_per_s, c.api_calls_per_core_s
            );
        }
        if let Some(d) = &self.disk_sync {
            let _ = writeln!(
                s,
                "disk: 8 KiB append + fdatasync ×{}: p50 {:.2} p90 {:.2} p99 {:.2} max {:.2} ms",
                d.syncs, d.p50_ms, d.p90_ms, d.p99_ms, d.max_ms
            );
        }
        let _ = writeln!(
            s,
            "startup to /readyz: {} ms; idle RSS: {} MiB",
            join(&self.startup_ms, |v| format!("{v:.0}")),
            join(&self.idle_rss_kib, |v| format!("{:.1}", *v as f64 / 1024.0))
        );
        for sc in &self.scenarios {
            let _ = writeln!(s, "{}", sc.line());
            if !sc.run.errors.is_empty() {
                let _ = writeln!(s, "{:>24}  errors: {:?}", "", sc.run.errors);
            }
            let mut machine = String::new();
            if let Some(busy) = sc.run.machine_cpu_busy {
                let _ = write!(machine, ", machine CPU busy {:.0}%", busy * 100.0);
            }
            if let (Some(db), true) = (sc.run.database_cpu_s, self.backend == "postgres") {
                let _ = write!(machine, ", PostgreSQL CPU {db:.2} s");
            }
            let _ = writeln!(
                s,
                "{:>24}  gateway peak RSS {} MiB, gateway CPU {:.2} s, harness CPU {:.2} s{machine}",
                "",
                join(&sc.run.gateway_peak_rss_kib, |v| format!(
                    "{:.1}",
                    *v as f64 / 1024.0
                )),
                sc.run.gateway_cpu_s,
                sc.run.harness_cpu_s
            );
        }
        if let Some(n) = &self.notify {
            let _ = writeln!(
                s,
                "{:>24}: {} queued, {} acknowledged in {:.2} s = {:.0}/s; {} DELIVERED in store, {} lost",
                "notification delivery", n.queued, n.received_unique, n.seconds, n.throughput, n.delivered_in_store, n.lost
            );
        }
        if let Some(p) = &self.page_weight {
            let _ = writeln!(
                s,
                "checkout page: HTML {} B + {} asset(s) = {} B raw, {} B gzip{}; external references: {}",
                p.html_bytes,
                p.assets.len(),
                p.raw_bytes,
                p.gzip_bytes,
                if p.gateway_compresses { " (served compressed)" } else { " (gateway serves uncompressed)" },
                if p.external_references.is_empty() { "none".to_string() } else { p.external_references.join(", ") }
            );
        }
        if let Some(r) = &self.receiver {
            let _ = writeln!(s, "receiver: {r}");
        }
        let _ = writeln!(
            s,
            "gateway at the end: {}",
            join(&self.final_proc, |p| format!(
                "RSS {:.1} MiB, peak {:.1} MiB, CPU {:.1} s",
                p.rss_kib as f64 / 1024.0,
                p.hwm_kib as f64 / 1024.0,
                p.cpu_s
            ))
        );
        let _ = writeln!(s, "errors in total: {}", self.total_errors());
        s
    }
}

fn join<T>(v: &[T], f: impl Fn(&T) -> String) -> String {
    if v.is_empty() {
        return "-".into();
    }
    v.iter().map(f).collect::<Vec<_>>().join(", ")
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(0.0)
}

/// Markdown tables of several JSON reports (read back as JSON so reports
/// from older harness versions still print).
pub fn markdown(reports: &[Value]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| run | backend | nodes | scenario | mode | ok/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors | % of RSA ceiling | peak RSS MiB | machine CPU busy | PostgreSQL CPU s |"
    );
    let _ = writeln!(
        s,
        "|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    for r in reports {
        let label = r["label"].as_str().unwrap_or("-");
        for sc in r["scenarios"].as_array().into_iter().flatten() {
            let mode = match sc["mode"]["kind"].as_str() {
                Some("closed") => format!("closed c={}", sc["mode"]["concurrency"]),
                Some("open") => format!("open {:.0}/s", num(&sc["mode"]["rate"])),
                _ => "-".into(),
            };
            let errors: u64 = sc["errors"]
                .as_object()
                .map(|o| o.values().filter_map(Value::as_u64).sum())
                .unwrap_or(0);
            let peak = sc["gatewayPeakRssKib"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|v| format!("{:.1}", num(v) / 1024.0))
                        .collect::<Vec<_>>()
                        .join(" / ")
                })
                .unwrap_or_default();
            let busy = sc["machineCpuBusy"]
                .as_f64()
                .map_or_else(|| "-".into(), |b| format!("{:.0}%", b * 100.0));
            let backend = r["backend"].as_str().unwrap_or("-");
            let database = match sc["databaseCpuS"].as_f64() {
                Some(d) if backend == "postgres" => format!("{d:.2}"),
                _ => "-".into(),
            };
            let l = &sc["latency"];
            let _ = writeln!(
                s,
                "| {label} | {backend} | {} | {} | {mode} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {errors} | {} | {peak} | {busy} | {database} |",
                r["nodes"],
                sc["name"].as_str().unwrap_or("-"),
                num(&sc["throughput"]),
                num(&l["p50Ms"]),
                num(&l["p90Ms"]),
                num(&l["p99Ms"]),
                num(&l["p999Ms"]),
                num(&l["maxMs"]),
                sc["ceilingRatio"]
                    .as_f64()
                    .map(|c| format!("{:.0}%", c * 100.0))
                    .unwrap_or_else(|| "-".into()),
            );
        }
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "| run | preload rows | startup ms | idle RSS MiB | RSA signs/s | verifies/s | ceiling calls/s | fsync p50 / p99 ms | notifications/s | lost | page gzip bytes | load avg |"
    );
    let _ = writeln!(
        s,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    );
    for r in reports {
        let list = |v: &Value, f: &dyn Fn(f64) -> String| match v.as_array() {
            Some(a) if !a.is_empty() => a.iter().map(|x| f(num(x))).collect::<Vec<_>>().join(" / "),
            _ => "-".into(),
        };
        let c = &r["ceiling"];
        let n = &r["notify"];
        let opt = |v: &Value, f: &dyn Fn(f64) -> String| {
            if v.is_null() {
                "-".to_string()
            } else {
                f(num(v))
            }
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r["label"].as_str().unwrap_or("-"),
            opt(&r["preload"]["rows"], &|v| format!("{v:.0}")),
            list(&r["startupMs"], &|v| format!("{v:.0}")),
            list(&r["idleRssKib"], &|v| format!("{:.1}", v / 1024.0)),
            opt(&c["signPerS"], &|v| format!("{v:.0}")),
            opt(&c["verifyPerS"], &|v| format!("{v:.0}")),
            opt(&c["apiCallsPerS"], &|v| format!("{v:.0}")),
            match (&r["diskSync"]["p50Ms"], &r["diskSync"]["p99Ms"]) {
                (Value::Null, _) | (_, Value::Null) => "-".to_string(),
                (a, b) => format!("{:.2} / {:.2}", num(a), num(b)),
            },
            opt(&n["throughput"], &|v| format!("{v:.0}")),
            opt(&n["lost"], &|v| format!("{v:.0}")),
            opt(&r["pageWeight"]["gzipBytes"], &|v| format!("{v:.0}")),
            r["machine"]["loadAverage"].as_str().unwrap_or("-"),
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Latency;

    #[test]
    fn writer_counters_are_read_from_metrics_text_and_diffed() {
        let text = "# TYPE cashier_db_writer_batches counter\n\
                    cashier_db_writer_batches_total 10\n\
                    cashier_db_writer_writes_total 55\n\
                    cashier_db_writer_busy_seconds_total 0.025\n\
                    cashier_db_writer_slowest_batch_seconds 0.004\n";
        let before = WriterDelta {
            batches: 4.0,
            writes: 5.0,
            busy_seconds: 0.005,
        };
        let d = WriterDelta::parse(text).since(before);
        assert_eq!((d.batches, d.writes), (6.0, 50.0));
        assert!((d.busy_seconds - 0.02).abs() < 1e-9);
        // No writer (PostgreSQL): zeros.
        assert_eq!(
            WriterDelta::parse("cashier_db_pool_connections 3\n").batches,
            0.0
        );
    }

    #[test]
    fn markdown_has_a_row_per_scenario_and_one_per_run() {
        let mut r = Report::new(Some("unit".into()));
        r.backend = "sqlite".into();
        r.nodes = 1;
        r.ceiling = Some(Ceiling {
            threads: 2,
            seconds_each: 1.0,
            sign_per_s: 1000.0,
            verify_per_s: 9000.0,
            api_calls_per_s: 900.0,
            api_calls_per_core_s: 450.0,
        });
        r.push(ScenarioReport::new(
            "createPaymentSession",
            RunResult {
                mode: Mode::Closed { concurrency: 4 },
                ok: 450,
                errors: [("http 500".to_string(), 2)].into_iter().collect(),
                elapsed_s: 1.0,
                throughput: 450.0,
                latency: Latency {
                    mean_ms: 1.0,
                    p50_ms: 1.0,
                    p90_ms: 2.0,
                    p99_ms: 3.0,
                    p999_ms: 4.0,
                    max_ms: 5.0,
                },
                gateway_peak_rss_kib: vec![20480],
                gateway_cpu_s: 1.0,
                harness_cpu_s: 0.5,
                machine_cpu_busy: Some(0.97),
                database_cpu_s: Some(0.25),
            },
        ));
        assert_eq!(r.scenarios[0].ceiling_ratio, Some(0.5));
        assert_eq!(r.scenarios[0].gateway_cpu_efficiency, Some(1.0));
        assert_eq!(r.total_errors(), 2);
        let json = serde_json::to_value(&r).unwrap();
        let md = markdown(&[json]);
        assert!(
            md.contains("| unit | sqlite | 1 | createPaymentSession | closed c=4 | 450 | 1.00 | 2.00 | 3.00 | 4.00 | 5.00 | 2 | 50% | 20.0 | 97% | - |"),
            "{md}"
        );
        assert!(
            md.contains("| unit | - | - | - | 1000 | 9000 | 900 |"),
            "{md}"
        );
        // PostgreSQL's CPU is shown for PostgreSQL runs only.
        let mut on_postgres = serde_json::to_value(&r).unwrap();
        on_postgres["backend"] = "postgres".into();
        let md = markdown(&[on_postgres]);
        assert!(md.contains("| 50% | 20.0 | 97% | 0.25 |"), "{md}");
    }
}
