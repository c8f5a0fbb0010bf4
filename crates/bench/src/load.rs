//! The load driver: runs one operation many times, closed-loop (a fixed
//! number of workers, each sending its next request when the previous one
//! answered) or open-loop (requests started on a fixed schedule whatever
//! the answers do, latency counted from the scheduled start so a stalled
//! server is not hidden — no coordinated omission). Always bounded by a
//! request count and a duration. Latencies go into an HDR histogram
//! (1 µs … 60 s, 3 significant digits); failures are counted by kind.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::gateway::read_proc;
use crate::machine;

pub type OpFuture = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;
/// One request of a scenario: `i` is the request's index (0-based).
pub type Op = Arc<dyn Fn(u64) -> OpFuture + Send + Sync>;

#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Mode {
    /// `concurrency` requests in flight at all times.
    Closed { concurrency: usize },
    /// `rate` requests started per second; at most `max_in_flight` at once
    /// (more is counted as an `overload` error, not queued).
    Open { rate: f64, max_in_flight: usize },
}

#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub count: u64,
    pub duration: Duration,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Latency {
    pub mean_ms: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub p999_ms: f64,
    pub max_ms: f64,
}

impl Latency {
    pub fn of(h: &Histogram<u64>) -> Latency {
        let ms = |us: u64| us as f64 / 1000.0;
        if h.is_empty() {
            return Latency {
                mean_ms: 0.0,
                p50_ms: 0.0,
                p90_ms: 0.0,
                p99_ms: 0.0,
                p999_ms: 0.0,
                max_ms: 0.0,
            };
        }
        Latency {
            mean_ms: h.mean() / 1000.0,
            p50_ms: ms(h.value_at_quantile(0.50)),
            p90_ms: ms(h.value_at_quantile(0.90)),
            p99_ms: ms(h.value_at_quantile(0.99)),
            p999_ms: ms(h.value_at_quantile(0.999)),
            max_ms: ms(h.max()),
        }
    }
}

/// What one timed run produced.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunResult {
    pub mode: Mode,
    pub ok: u64,
    pub errors: BTreeMap<String, u64>,
    pub elapsed_s: f64,
    /// Successful operations per second over the run.
    pub throughput: f64,
    pub latency: Latency,
    /// Highest RSS of each gateway node seen during the run (sampled every 50 ms), KiB.
    pub gateway_peak_rss_kib: Vec<u64>,
    /// CPU seconds the gateway nodes used during the run (all nodes).
    pub gateway_cpu_s: f64,
    /// CPU seconds this harness used during the run (the load generator
    /// shares the machine with the gateway).
    pub harness_cpu_s: f64,
    /// Share of all cores' time that was busy during the run (0–1), by
    /// anyone: gateway, harness, database, the rest of the machine.
    pub machine_cpu_busy: Option<f64>,
    /// CPU seconds the local PostgreSQL server's processes used during the
    /// run, when there are any on this machine.
    pub database_cpu_s: Option<f64>,
}

impl RunResult {
    pub fn error_count(&self) -> u64 {
        self.errors.values().sum()
    }
}

fn new_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 60_000_000, 3).expect("valid histogram bounds")
}

fn progress(label: &str, count: u64, show: bool) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(count);
    pb.set_style(
        ProgressStyle::with_template(
            "{prefix:>24} [{elapsed_precise}] {wide_bar} {pos}/{len} {per_sec} {msg}",
        )
        .expect("valid template"),
    );
    pb.set_prefix(label.to_string());
    pb
}

/// Samples the peak RSS of `pids` until stopped.
struct RssSampler {
    stop: Arc<AtomicBool>,
    handle: tokio::task::JoinHandle<Vec<u64>>,
}

impl RssSampler {
    fn start(pids: Vec<u32>) -> RssSampler {
        let stop = Arc::new(AtomicBool::new(false));
        let s = stop.clone();
        let handle = tokio::spawn(async move {
            let mut peak = vec![0u64; pids.len()];
            loop {
                for (i, pid) in pids.iter().enumerate() {
                    if let Some(r) = read_proc(*pid) {
                        peak[i] = peak[i].max(r.rss_kib);
                    }
                }
                if s.load(Ordering::Relaxed) {
                    return peak;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        });
        RssSampler { stop, handle }
    }

    async fn finish(self) -> Vec<u64> {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.await.unwrap_or_default()
    }
}

fn cpu_of(pids: &[u32]) -> f64 {
    pids.iter()
        .filter_map(|p| read_proc(*p))
        .map(|r| r.cpu_s)
        .sum()
}

#[derive(Default)]
struct Tally {
    hist: Option<Histogram<u64>>,
    ok: u64,
    errors: BTreeMap<String, u64>,
}

impl Tally {
    fn record(&mut self, started: Instant, outcome: Result<(), String>) {
        match outcome {
            Ok(()) => {
                let us = started.elapsed().as_micros().clamp(1, 60_000_000) as u64;
                self.hist
                    .get_or_insert_with(new_histogram)
                    .saturating_record(us);
                self.ok += 1;
            }
            Err(kind) => *self.errors.entry(kind).or_default() += 1,
        }
    }

    fn merge(&mut self, other: Tally) {
        if let Some(h) = other.hist {
            self.hist
                .get_or_insert_with(new_histogram)
                .add(h)
                .expect("same histogram bounds");
        }
        self.ok += other.ok;
        for (k, v) in other.errors {
            *self.errors.entry(k).or_default() += v;
        }
    }
}

/// Runs `op` under `mode` within `bounds`, watching the gateway `pids`.
pub async fn run(
    label: &str,
    op: Op,
    mode: Mode,
    bounds: Bounds,
    pids: &[u32],
    show_progress: bool,
) -> RunResult {
    let pb = progress(label, bounds.count, show_progress);
    let sampler = RssSampler::start(pids.to_vec());
    let cpu_before = cpu_of(pids);
    let me = std::process::id();
    let self_before = read_proc(me).map(|r| r.cpu_s).unwrap_or(0.0);
    let machine_before = machine::cpu_ticks();
    let database_before = machine::postgres_cpu_s();
    let start = Instant::now();
    let deadline = start + bounds.duration;
    let mut total = Tally::default();
    match mode {
        Mode::Closed { concurrency } => {
            let next = Arc::new(AtomicU64::new(0));
            let mut workers = tokio::task::JoinSet::new();
            for _ in 0..concurrency.max(1) {
                let (next, op, pb) = (next.clone(), op.clone(), pb.clone());
                workers.spawn(async move {
                    let mut tally = Tally::default();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= bounds.count || Instant::now() >= deadline {
                            break;
                        }
                        let t = Instant::now();
                        let outcome = op(i).await;
                        tally.record(t, outcome);
                        pb.inc(1);
                    }
                    tally
                });
            }
            while let Some(t) = workers.join_next().await {
                total.merge(t.expect("load worker panicked"));
            }
        }
        Mode::Open {
            rate,
            max_in_flight,
        } => {
            let shared = Arc::new(Mutex::new(Tally::default()));
            let in_flight = Arc::new(tokio::sync::Semaphore::new(max_in_flight.max(1)));
            let mut tasks = tokio::task::JoinSet::new();
            let interval = Duration::from_secs_f64(1.0 / rate.max(0.001));
            for i in 0..bounds.count {
                let target = start + interval.mul_f64(i as f64);
                if target >= deadline {
                    break;
                }
                tokio::time::sleep_until(target.into()).await;
                match in_flight.clone().try_acquire_owned() {
                    Ok(permit) => {
                        let (op, shared, pb) = (op.clone(), shared.clone(), pb.clone());
                        tasks.spawn(async move {
                            let outcome = op(i).await;
                            shared.lock().unwrap().record(target, outcome);
                            pb.inc(1);
                            drop(permit);
                        });
                    }
                    Err(_) => {
                        *shared
                            .lock()
                            .unwrap()
                            .errors
                            .entry("overload (max in flight reached)".into())
                            .or_default() += 1;
                        pb.inc(1);
                    }
                }
                // Reap finished tasks so the set stays small.
                while tasks.try_join_next().is_some() {}
            }
            while tasks.join_next().await.is_some() {}
            let t = std::mem::take(&mut *shared.lock().unwrap());
            total.merge(t);
        }
    }
    let elapsed = start.elapsed();
    pb.finish_and_clear();
    let peaks = sampler.finish().await;
    let hist = total.hist.unwrap_or_else(new_histogram);
    RunResult {
        mode,
        ok: total.ok,
        errors: total.errors,
        elapsed_s: elapsed.as_secs_f64(),
        throughput: total.ok as f64 / elapsed.as_secs_f64().max(1e-9),
        latency: Latency::of(&hist),
        gateway_peak_rss_kib: peaks,
        gateway_cpu_s: cpu_of(pids) - cpu_before,
        harness_cpu_s: read_proc(me).map(|r| r.cpu_s).unwrap_or(0.0) - self_before,
        machine_cpu_busy: machine_before
            .zip(machine::cpu_ticks())
            .and_then(|(before, after)| machine::busy_fraction(before, after)),
        database_cpu_s: database_before
            .zip(machine::postgres_cpu_s())
            .map(|(before, after)| after - before),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every 10th request fails; the others take about a millisecond.
    fn op() -> Op {
        Arc::new(|i| -> OpFuture {
            Box::pin(async move {
                tokio::time::sleep(Duration::from_millis(1)).await;
                if i % 10 == 9 {
                    Err("planned".into())
                } else {
                    Ok(())
                }
            })
        })
    }

    #[tokio::test]
    async fn closed_loop_stops_at_the_count_and_sorts_outcomes() {
        let bounds = Bounds {
            count: 200,
            duration: Duration::from_secs(60),
        };
        let r = run(
            "t",
            op(),
            Mode::Closed { concurrency: 8 },
            bounds,
            &[std::process::id()],
            false,
        )
        .await;
        assert_eq!(r.ok, 180);
        assert_eq!(r.errors.get("planned"), Some(&20));
        assert!(r.latency.p50_ms >= 1.0, "{:?}", r.latency);
        assert!(r.latency.max_ms >= r.latency.p99_ms && r.latency.p99_ms >= r.latency.p50_ms);
        assert!(r.gateway_peak_rss_kib[0] > 0);
    }

    #[tokio::test]
    async fn open_loop_keeps_its_rate_and_stops_at_the_duration() {
        let bounds = Bounds {
            count: 1_000_000,
            duration: Duration::from_millis(500),
        };
        let r = run(
            "t",
            op(),
            Mode::Open {
                rate: 200.0,
                max_in_flight: 100,
            },
            bounds,
            &[],
            false,
        )
        .await;
        let sent = r.ok + r.error_count();
        // 200/s for 0.5 s: 100 scheduled starts.
        assert_eq!(sent, 100, "{r:?}");
        assert!(r.elapsed_s < 5.0);
    }
}
