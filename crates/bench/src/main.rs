//! `cashier-bench`: the load generator and benchmark harness of Cashier
//! (issue #7). It starts real `cashier serve` processes (SQLite, or a fresh
//! PostgreSQL database with one or more nodes) or targets running ones,
//! registers a merchant, signs every request before the timed window, drives
//! the scenarios, and reports throughput, latency percentiles, errors by
//! kind, the gateway's RSS and CPU, startup time and the machine's RSA
//! ceiling, as text and JSON. `cashier-bench table` turns JSON reports into
//! a markdown table. See docs/performance.md.

mod ceiling;
mod disk;
mod gateway;
mod load;
mod machine;
mod preload;
mod raw;
mod receiver;
mod report;
mod scenarios;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};

use crate::gateway::{Gateway, MerchantFile, StartOptions};
use crate::load::{Bounds, Mode};
use crate::receiver::Receiver;
use crate::report::{NotifyResult, Report, ScenarioReport, WriterDelta};
use crate::scenarios::Ctx;

#[derive(Parser)]
#[command(
    name = "cashier-bench",
    version,
    about = "Load generator and benchmark harness for the Cashier gateway"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start (or target) a gateway, drive the scenarios, report.
    Run(Box<RunArgs>),
    /// Print a markdown table of JSON reports written by `run --json`.
    Table {
        /// JSON reports.
        files: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, clap::ValueEnum)]
enum Scenario {
    /// createPaymentSession, a new paymentRequestId per request.
    Create,
    /// inquiryPayment over a set of open sessions.
    Inquiry,
    /// create → POST /sandbox/simulate/pay → notification at the built-in receiver.
    Pay,
    /// GET of hosted checkout pages.
    Page,
    /// Delivery of a batch of due notifications queued at once.
    Notify,
}

impl Scenario {
    fn name(self) -> &'static str {
        match self {
            Scenario::Create => "createPaymentSession",
            Scenario::Inquiry => "inquiryPayment",
            Scenario::Pay => "full payment path",
            Scenario::Page => "hosted page GET",
            Scenario::Notify => "notification delivery",
        }
    }
}

#[derive(Args, Clone)]
struct RunArgs {
    /// Target an already running gateway at this base URL instead of
    /// starting one (repeat for several nodes); needs --merchant. The payment
    /// path needs it started with --sandbox-simulation and
    /// --allow-private-notify (notifications go to this harness on loopback).
    #[arg(long)]
    target: Vec<String>,
    /// With --target: the merchant to run as, a JSON file as printed by
    /// `cashier merchant create --generate-key --json` (its notify URL is
    /// ignored: requests name the harness's receiver).
    #[arg(long, requires = "target")]
    merchant: Option<PathBuf>,
    /// PostgreSQL server to run on, e.g. postgres://postgres@127.0.0.1:5432/postgres.
    /// A fresh database is created for the run and dropped afterwards.
    /// Without it the gateway runs on SQLite in a temporary data dir.
    #[arg(long, conflicts_with = "target")]
    database_url: Option<String>,
    /// Gateway nodes to start (PostgreSQL only for more than one); the load
    /// is spread round-robin.
    #[arg(long, default_value_t = 1)]
    nodes: usize,
    /// Pin node N (in order) to these CPUs, a `taskset --cpu-list` such as
    /// `0` or `0-1`; give it once per node. With every node on its own CPU,
    /// 1 node vs 2 nodes shows what a second node's CPU adds while the
    /// harness and the database still share the machine.
    #[arg(long, conflicts_with = "target")]
    node_cpus: Vec<String>,
    /// The `cashier` binary (default: next to this one, else on PATH).
    #[arg(long)]
    cashier_bin: Option<PathBuf>,
    /// Scenarios to run, in order.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [Scenario::Create, Scenario::Inquiry, Scenario::Pay, Scenario::Page, Scenario::Notify])]
    scenarios: Vec<Scenario>,
    /// Closed loop: requests in flight at all times.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Open loop at this many requests per second instead of the closed loop.
    #[arg(long)]
    rate: Option<f64>,
    /// Open loop at this fraction of the RSA ceiling measured in the same
    /// run (0.3 = half of the 60% throughput target of #7), so that a
    /// latency target means the same load on a slower or faster machine.
    #[arg(long, conflicts_with = "rate")]
    rate_of_ceiling: Option<f64>,
    /// After each closed-loop create, inquiry and page run, also run open
    /// loop at half the throughput just measured (the latency target of #7).
    #[arg(long)]
    open_at_half: bool,
    /// Untimed requests sent before each create, inquiry and page run (closed
    /// loop, separate pre-signed requests for create), so that connections,
    /// caches and lazily built state exist before timing starts; 0 = none.
    #[arg(long, default_value_t = 500)]
    warmup: u64,
    /// Open loop: at most this many requests in flight (beyond: `overload` errors).
    #[arg(long, default_value_t = 4096)]
    max_in_flight: usize,
    /// Upper bound of requests per create and payment-path run (each is
    /// signed before the run, so keep it near what the gateway can answer
    /// within --duration).
    #[arg(long, default_value_t = 20_000)]
    requests: u64,
    /// Upper bound of requests per inquiry and page run (these cycle over
    /// a pool of --sessions prepared requests).
    #[arg(long, default_value_t = 200_000)]
    read_requests: u64,
    /// Upper bound of seconds per scenario run.
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// Open sessions the inquiry and page scenarios read from.
    #[arg(long, default_value_t = 200)]
    sessions: u64,
    /// Notifications queued at once for the notification scenario.
    #[arg(long, default_value_t = 5_000)]
    notifications: u64,
    /// Insert this many finished payments before the gateway starts (growth).
    #[arg(long, default_value_t = 0)]
    preload: u64,
    /// Seconds spent measuring RSA sign and verify each (0 skips the ceiling).
    #[arg(long, default_value_t = 2.0)]
    ceiling_secs: f64,
    /// Durable appends (8 KiB + fdatasync) timed in the data directory's
    /// file system before the gateway starts, at most 5 s (0 skips it).
    #[arg(long, default_value_t = 500)]
    disk_syncs: usize,
    /// Write the JSON report here (`-` for stdout, then no text report).
    #[arg(long)]
    json: Option<PathBuf>,
    /// A name for this run in tables.
    #[arg(long)]
    label: Option<String>,
    /// No progress bars.
    #[arg(long)]
    no_progress: bool,
    /// RUST_LOG of the gateway processes (their logs go to the temp data dir).
    #[arg(long, default_value = "info,sqlx=warn")]
    gateway_log: String,
    /// Exit non-zero if any request failed or a notification was lost.
    #[arg(long)]
    fail_on_error: bool,
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Table { files } => {
            let mut reports = Vec::new();
            for f in &files {
                let text = std::fs::read_to_string(f)
                    .with_context(|| format!("reading {}", f.display()))?;
                let r: serde_json::Value = serde_json::from_str(&text)
                    .with_context(|| format!("parsing {}", f.display()))?;
                reports.push(r);
            }
            print!("{}", report::markdown(&reports));
            Ok(())
        }
        Command::Run(args) => {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            let report = rt.block_on(run(*args.clone()))?;
            let errors = report.total_errors();
            match args.json.as_deref() {
                Some(p) if p.as_os_str() == "-" => {
                    println!("{}", serde_json::to_string_pretty(&report)?)
                }
                Some(p) => {
                    std::fs::write(p, serde_json::to_string_pretty(&report)?)
                        .with_context(|| format!("writing {}", p.display()))?;
                    print!("{}", report.text());
                }
                None => print!("{}", report.text()),
            }
            if args.fail_on_error && errors > 0 {
                bail!("{errors} requests failed or notifications were lost");
            }
            Ok(())
        }
    }
}

async fn run(args: RunArgs) -> Result<Report> {
    if args.nodes > 1 && args.database_url.is_none() && args.target.is_empty() {
        bail!("several nodes need a shared database: give --database-url postgres://...");
    }
    if args.requests == 0 || args.read_requests == 0 || args.duration <= 0.0 {
        bail!("--requests and --duration must be positive: every run is bounded");
    }
    let show = !args.no_progress;
    let receiver = Receiver::start().await?;
    let mut report = Report::new(args.label.clone());

    // The crypto ceiling first, on an idle machine (no gateway yet).
    if args.ceiling_secs > 0.0 {
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        let secs = args.ceiling_secs;
        eprintln!("measuring the RSA-2048 ceiling on {threads} threads ({secs} s each)...");
        report.ceiling = Some(
            tokio::task::spawn_blocking(move || {
                ceiling::measure(threads, Duration::from_secs_f64(secs))
            })
            .await??,
        );
    }

    // The disk's fsync latency, where the SQLite data dir will be (the
    // system temp dir); skipped for --target, whose disk is elsewhere.
    if args.target.is_empty() && args.disk_syncs > 0 {
        let n = args.disk_syncs;
        eprintln!(
            "timing {n} durable appends in {}...",
            std::env::temp_dir().display()
        );
        report.disk_sync = Some(
            tokio::task::spawn_blocking(move || {
                disk::measure(&std::env::temp_dir(), n, Duration::from_secs(5))
            })
            .await??,
        );
    }

    let gw = if args.target.is_empty() {
        let preload_n = args.preload;
        let show_preload = show;
        let preload_report = Arc::new(std::sync::Mutex::new(None));
        let pr = preload_report.clone();
        let gw = gateway::start(
            StartOptions {
                cashier_bin: args
                    .cashier_bin
                    .clone()
                    .unwrap_or_else(gateway::default_cashier_bin),
                postgres: args.database_url.clone(),
                nodes: args.nodes,
                receiver_url: receiver.url.clone(),
                gateway_log: args.gateway_log.clone(),
                node_cpus: args.node_cpus.clone(),
            },
            move |db_url: String, merchant: MerchantFile| async move {
                if preload_n == 0 {
                    return Ok(());
                }
                eprintln!("preloading {preload_n} payments...");
                let pb = if show_preload {
                    indicatif::ProgressBar::new(preload_n)
                } else {
                    indicatif::ProgressBar::hidden()
                };
                let mut db = preload::Db::connect(&db_url).await?;
                let took = preload::payments(&mut db, &merchant.client_id, preload_n, |d| {
                    pb.set_position(d)
                })
                .await?;
                pb.finish_and_clear();
                *pr.lock().unwrap() = Some(took);
                Ok(())
            },
        )
        .await?;
        if let Some(took) = *preload_report.lock().unwrap() {
            report.preload = Some(report::Preload {
                rows: args.preload,
                seconds: took.as_secs_f64(),
            });
        }
        gw
    } else {
        let path = args
            .merchant
            .as_ref()
            .context("--target needs --merchant")?;
        let text = std::fs::read_to_string(path)?;
        let merchant: MerchantFile = serde_json::from_str(&text).context("--merchant file")?;
        Gateway {
            nodes: Vec::new(),
            external: args
                .target
                .iter()
                .map(|u| u.trim_end_matches('/').to_string())
                .collect(),
            merchant,
            backend: "external".into(),
            database_url: None,
            _data_dir: None,
            scratch_db: None,
        }
    };
    let result = drive(&args, &gw, receiver, &mut report, show).await;
    let scratch = gw.scratch_db.clone();
    drop(gw);
    if let Some((admin, name)) = scratch {
        if let Err(e) = gateway::drop_scratch(&admin, &name).await {
            eprintln!("warning: could not drop database {name}: {e}");
        }
    }
    result?;
    Ok(report)
}

async fn drive(
    args: &RunArgs,
    gw: &Gateway,
    receiver: Receiver,
    report: &mut Report,
    show: bool,
) -> Result<()> {
    report.backend = gw.backend.clone();
    report.nodes = gw.base_urls().len();
    report.startup_ms = gw
        .nodes
        .iter()
        .map(|n| n.startup.as_secs_f64() * 1000.0)
        .collect();
    let pids = gw.pids();
    // Let the node settle (first sweep, pool warm-up) before reading idle RSS.
    tokio::time::sleep(Duration::from_millis(500)).await;
    report.idle_rss_kib = pids
        .iter()
        .filter_map(|p| gateway::read_proc(*p))
        .map(|r| r.rss_kib)
        .collect();

    let ctx = Arc::new(Ctx::new(
        gw.base_urls(),
        gw.merchant.clone(),
        receiver.clone(),
        args.concurrency,
    )?);
    let bounds = Bounds {
        count: args.requests,
        duration: Duration::from_secs_f64(args.duration),
    };
    let rate = match (args.rate, args.rate_of_ceiling) {
        (Some(rate), _) => Some(rate),
        (None, Some(f)) => {
            let c = report
                .ceiling
                .as_ref()
                .context("--rate-of-ceiling needs the ceiling (--ceiling-secs > 0)")?;
            let rate = (f * c.api_calls_per_s).round().max(1.0);
            eprintln!(
                "open loop at {rate}/s = {f} × the {:.0} calls/s ceiling",
                c.api_calls_per_s
            );
            Some(rate)
        }
        (None, None) => None,
    };
    let mode = match rate {
        Some(rate) => Mode::Open {
            rate,
            max_in_flight: args.max_in_flight,
        },
        None => Mode::Closed {
            concurrency: args.concurrency,
        },
    };
    let needs_sessions = args
        .scenarios
        .iter()
        .any(|s| matches!(s, Scenario::Inquiry | Scenario::Page));
    let sessions = if needs_sessions {
        eprintln!("creating {} open sessions...", args.sessions);
        scenarios::open_sessions(&ctx, args.sessions.max(1)).await?
    } else {
        Vec::new()
    };

    for (round, scenario) in args.scenarios.iter().enumerate() {
        let label = scenario.name();
        let op = match scenario {
            Scenario::Create => {
                eprintln!("signing {} createPaymentSession requests...", bounds.count);
                let reqs = sign_creates(&ctx, format!("c{round}"), bounds.count).await?;
                scenarios::create_op(ctx.clone(), Arc::new(reqs))
            }
            Scenario::Inquiry => {
                let reqs = scenarios::inquiry_requests(&ctx, &sessions)?;
                scenarios::inquiry_op(ctx.clone(), Arc::new(reqs))
            }
            Scenario::Pay => {
                eprintln!("signing {} createPaymentSession requests...", bounds.count);
                let reqs = sign_creates(&ctx, format!("p{round}"), bounds.count).await?;
                scenarios::pay_op(ctx.clone(), Arc::new(reqs), Duration::from_secs(30))
            }
            Scenario::Page => {
                let paths = sessions
                    .iter()
                    .map(|(_, url)| scenarios::path_of(url))
                    .collect::<Result<Vec<_>>>()?;
                report.page_weight = Some(scenarios::page_weight(&ctx, &paths[0]).await?);
                scenarios::page_op(ctx.clone(), Arc::new(paths))
            }
            Scenario::Notify if gw.database_url.is_none() => {
                eprintln!("skipping notification delivery: it queues rows in the gateway's database, which --target does not give");
                continue;
            }
            Scenario::Notify => {
                report.notify = Some(notify_scenario(args, gw, &ctx, &receiver).await?);
                continue;
            }
        };
        let bounds = match scenario {
            Scenario::Inquiry | Scenario::Page => Bounds {
                count: args.read_requests,
                ..bounds
            },
            _ => bounds,
        };
        if args.warmup > 0 && *scenario != Scenario::Pay {
            let warm = match scenario {
                // A create request can be sent only once: sign its own.
                Scenario::Create => {
                    let reqs = sign_creates(&ctx, format!("w{round}"), args.warmup).await?;
                    scenarios::create_op(ctx.clone(), Arc::new(reqs))
                }
                _ => op.clone(),
            };
            let warm_bounds = Bounds {
                count: args.warmup,
                duration: bounds.duration,
            };
            let closed = Mode::Closed {
                concurrency: args.concurrency,
            };
            let r = load::run("warm-up", warm, closed, warm_bounds, &pids, false).await;
            if r.error_count() > 0 {
                bail!(
                    "{label}: {} of the warm-up requests failed: {:?}",
                    r.error_count(),
                    r.errors
                );
            }
        }
        let closed = measured_run(&ctx, label, op.clone(), mode, bounds, &pids, show).await;
        let closed_throughput = closed.run.throughput;
        report.push(closed);
        eprintln!("{}", report.scenarios.last().unwrap().line());
        let half_applies = matches!(
            scenario,
            Scenario::Create | Scenario::Inquiry | Scenario::Page
        );
        if args.open_at_half && rate.is_none() && half_applies && closed_throughput > 0.0 {
            // A create request can be sent only once: sign a fresh batch.
            let op = if *scenario == Scenario::Create {
                let reqs = sign_creates(&ctx, format!("h{round}"), bounds.count).await?;
                scenarios::create_op(ctx.clone(), Arc::new(reqs))
            } else {
                op
            };
            let half = Mode::Open {
                rate: closed_throughput / 2.0,
                max_in_flight: args.max_in_flight,
            };
            report.push(measured_run(&ctx, label, op, half, bounds, &pids, show).await);
            eprintln!("{}", report.scenarios.last().unwrap().line());
        }
    }
    report.receiver = Some(receiver.snapshot());
    report.final_proc = pids.iter().filter_map(|p| gateway::read_proc(*p)).collect();
    Ok(())
}

/// Signs `n` createPaymentSession requests tagged `tag` off the runtime
/// (each can be sent only once).
async fn sign_creates(ctx: &Arc<Ctx>, tag: String, n: u64) -> Result<Vec<scenarios::Prepared>> {
    let c = ctx.clone();
    tokio::task::spawn_blocking(move || c.create_requests(&tag, n)).await?
}

async fn notify_scenario(
    args: &RunArgs,
    gw: &Gateway,
    ctx: &Ctx,
    receiver: &Receiver,
) -> Result<NotifyResult> {
    let Some(url) = &gw.database_url else {
        bail!("the notification scenario writes to the gateway's database: not available with --target");
    };
    let n = args.notifications;
    let prefix = format!("bn{}x", ctx.run_id);
    let mut db = preload::Db::connect(url).await?;
    let before = receiver.unique();
    let pids = gw.pids();
    let cpu_before: f64 = pids
        .iter()
        .filter_map(|p| gateway::read_proc(*p))
        .map(|r| r.cpu_s)
        .sum();
    eprintln!("queueing {n} notifications...");
    let started = Instant::now();
    preload::notifications(&mut db, &ctx.merchant.client_id, &receiver.url, &prefix, n).await?;
    let queued = started.elapsed();
    let deadline =
        Instant::now() + Duration::from_secs_f64(args.duration) + Duration::from_secs(60);
    let pb = if args.no_progress {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(n)
    };
    let r2 = receiver.clone();
    let pbc = pb.clone();
    let ticker = tokio::spawn(async move {
        loop {
            pbc.set_position(r2.unique() - before);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    let done = scenarios::wait_unique(receiver, before + n, deadline).await;
    ticker.abort();
    pb.finish_and_clear();
    let elapsed = done
        .map(|d| d - started)
        .unwrap_or_else(|| started.elapsed());
    let got = receiver.unique() - before;
    // Let the dispatcher record the last acknowledgements, then count them
    // in the store: every queued row must end DELIVERED.
    let mut delivered = 0;
    let check_until = Instant::now() + Duration::from_secs(30);
    while Instant::now() < check_until {
        delivered = preload::delivered(&mut db, &prefix).await?;
        if delivered as u64 >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let cpu_after: f64 = pids
        .iter()
        .filter_map(|p| gateway::read_proc(*p))
        .map(|r| r.cpu_s)
        .sum();
    let result = NotifyResult {
        queued: n,
        queue_insert_s: queued.as_secs_f64(),
        received_unique: got,
        delivered_in_store: delivered as u64,
        lost: n.saturating_sub(delivered as u64),
        seconds: elapsed.as_secs_f64(),
        throughput: got as f64 / elapsed.as_secs_f64().max(1e-9),
        gateway_cpu_s: cpu_after - cpu_before,
        completed: done.is_some(),
    };
    eprintln!(
        "{:>24}: {} acknowledged in {:.2} s = {:.0}/s; {} in store as DELIVERED, {} lost",
        "notification delivery",
        result.received_unique,
        result.seconds,
        result.throughput,
        result.delivered_in_store,
        result.lost
    );
    Ok(result)
}

/// One timed run, with the SQLite writer's counters read around it.
async fn measured_run(
    ctx: &Ctx,
    label: &str,
    op: load::Op,
    mode: Mode,
    bounds: Bounds,
    pids: &[u32],
    show: bool,
) -> ScenarioReport {
    let before = writer_counters(ctx).await;
    let result = load::run(label, op, mode, bounds, pids, show).await;
    let mut scenario = ScenarioReport::new(label, result);
    scenario.writer = writer_since(ctx, before).await;
    scenario
}

/// The first node's group-commit counters (None if /metrics cannot be read).
async fn writer_counters(ctx: &Ctx) -> Option<WriterDelta> {
    let url = format!("{}/metrics", ctx.bases.first()?);
    let text = ctx.http.get(url).send().await.ok()?.text().await.ok()?;
    Some(WriterDelta::parse(&text))
}

/// The counters' change since `before`; None where the node has no writer
/// (PostgreSQL) or was not readable.
async fn writer_since(ctx: &Ctx, before: Option<WriterDelta>) -> Option<WriterDelta> {
    let delta = writer_counters(ctx).await?.since(before?);
    (delta.batches > 0.0).then_some(delta)
}
