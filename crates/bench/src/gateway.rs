//! Starting (or targeting) the gateway under test: the real `cashier`
//! binary on random loopback ports with a temporary data dir, a fresh
//! PostgreSQL database when asked, one registered merchant, and process
//! readings (RSS, CPU time) from `/proc/<pid>`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

/// The merchant the load runs as: what `cashier merchant create --json` prints.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MerchantFile {
    pub client_id: String,
    pub gateway_public_key: String,
    #[serde(default = "one")]
    pub key_version: u32,
    /// PKCS#8, base64.
    pub merchant_private_key: String,
}

fn one() -> u32 {
    1
}

/// One running `cashier serve`.
pub struct Node {
    pub base_url: String,
    pub child: Child,
    /// Spawn → first `200` from `/readyz`.
    pub startup: Duration,
}

impl Node {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where the load goes.
pub struct Gateway {
    pub nodes: Vec<Node>,
    /// URLs when targeting gateways the harness did not start.
    pub external: Vec<String>,
    pub merchant: MerchantFile,
    /// `sqlite`, `postgres` or `external`.
    pub backend: String,
    /// The database the harness talks to for `--preload` and the
    /// notification scenario (SQLite file URL or PostgreSQL URL).
    pub database_url: Option<String>,
    /// Removed when the gateway is dropped (after its nodes stopped).
    pub _data_dir: Option<tempfile::TempDir>,
    /// Fresh PostgreSQL database to drop at the end: (admin URL, name).
    pub scratch_db: Option<(String, String)>,
}

impl Gateway {
    pub fn base_urls(&self) -> Vec<String> {
        if self.nodes.is_empty() {
            self.external.clone()
        } else {
            self.nodes.iter().map(|n| n.base_url.clone()).collect()
        }
    }

    pub fn pids(&self) -> Vec<u32> {
        self.nodes.iter().map(Node::pid).collect()
    }
}

/// The `cashier` binary next to this one (same cargo profile), else on PATH.
pub fn default_cashier_bin() -> PathBuf {
    if let Ok(me) = std::env::current_exe() {
        if let Some(dir) = me.parent() {
            let sibling = dir.join("cashier");
            if sibling.is_file() {
                return sibling;
            }
        }
    }
    PathBuf::from("cashier")
}

fn free_port() -> Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").context("binding a probe port")?;
    Ok(l.local_addr()?.port())
}

fn run_cli(bin: &Path, args: &[String]) -> Result<String> {
    let out = Command::new(bin)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .with_context(|| format!("running {}", bin.display()))?;
    if !out.status.success() {
        bail!(
            "{} {} failed: {}",
            bin.display(),
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Random lower-case database name for a fresh PostgreSQL database.
fn scratch_name() -> String {
    use rand::Rng;
    let n: u64 = rand::thread_rng().gen();
    format!("cashier_bench_{n:016x}")
}

/// `url` with its path (database) replaced by `db`.
pub fn with_database(url: &str, db: &str) -> Result<String> {
    let mut u = url::Url::parse(url).context("--database-url")?;
    u.set_path(&format!("/{db}"));
    Ok(u.to_string())
}

pub struct StartOptions {
    pub cashier_bin: PathBuf,
    /// PostgreSQL server URL (any database; a fresh one is created); None = SQLite.
    pub postgres: Option<String>,
    pub nodes: usize,
    pub receiver_url: String,
    /// RUST_LOG of the nodes.
    pub gateway_log: String,
    /// Per node, the CPUs it may run on (a `taskset -c` list such as `0` or
    /// `0-1`); empty = no pinning.
    pub node_cpus: Vec<String>,
}

/// Creates the data dir, database and merchant, calls `before_serve` with
/// the database URL (`--preload` fills the tables there, so startup is
/// measured on them), and starts the nodes.
pub async fn start<F, Fut>(opts: StartOptions, before_serve: F) -> Result<Gateway>
where
    F: FnOnce(String, MerchantFile) -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    let dir = tempfile::Builder::new()
        .prefix("cashier-bench-")
        .tempdir()
        .context("temp data dir")?;
    let data_dir = dir.path().to_string_lossy().into_owned();
    let bin = opts.cashier_bin.clone();
    let mut store_args = vec!["--data-dir".to_string(), data_dir.clone()];
    let (backend, database_url, scratch) = match &opts.postgres {
        None => (
            "sqlite".to_string(),
            format!("sqlite://{}/cashier.sqlite3", data_dir),
            None,
        ),
        Some(server) => {
            let name = scratch_name();
            let url = with_database(server, &name)?;
            run_cli(
                &bin,
                &[
                    "migrate".into(),
                    "--database-url".into(),
                    url.clone(),
                    "--create-database".into(),
                ],
            )?;
            store_args.push("--database-url".into());
            store_args.push(url.clone());
            ("postgres".to_string(), url, Some((server.clone(), name)))
        }
    };
    let mut args = vec!["merchant".to_string(), "create".into()];
    args.extend(store_args.iter().cloned());
    args.extend([
        "--name".into(),
        "Bench Shop".into(),
        "--generate-key".into(),
        "--json".into(),
        "--notify-url".into(),
        opts.receiver_url.clone(),
    ]);
    let merchant: MerchantFile = serde_json::from_str(run_cli(&bin, &args)?.trim())
        .context("parsing `merchant create --json`")?;
    before_serve(database_url.clone(), merchant.clone()).await?;

    if !opts.node_cpus.is_empty() && opts.node_cpus.len() != opts.nodes.max(1) {
        bail!(
            "--node-cpus was given {} times for {} nodes: give one CPU list per node",
            opts.node_cpus.len(),
            opts.nodes.max(1)
        );
    }
    let mut nodes = Vec::new();
    for i in 0..opts.nodes.max(1) {
        let port = free_port()?;
        let mut serve = vec![
            "serve".to_string(),
            "--listen".into(),
            format!("127.0.0.1:{port}"),
            "--allow-private-notify".into(),
            "--sandbox-simulation".into(),
            // Capacity, not policy: the per-client limit (default 1,000/s) would answer
            // REQUEST_TRAFFIC_EXCEED_LIMIT long before the CPU is the limit.
            "--rate-limit".into(),
            "0".into(),
            "--token-guess-limit".into(),
            "0".into(),
        ];
        serve.extend(store_args.iter().cloned());
        let log = std::fs::File::create(dir.path().join(format!("serve-{port}.log")))?;
        let started = Instant::now();
        // Pinned through taskset, which execs the gateway: the child's pid
        // (read for RSS and CPU) is the gateway's. Tokio sizes its worker
        // pool from the CPUs the process may use, so a node pinned to one
        // CPU runs one worker.
        let mut command = match opts.node_cpus.get(i) {
            Some(cpus) => {
                let mut c = Command::new("taskset");
                c.arg("--cpu-list").arg(cpus).arg(&bin);
                c
            }
            None => Command::new(&bin),
        };
        let child = command
            .args(&serve)
            .env("RUST_LOG", &opts.gateway_log)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(log))
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let base_url = format!("http://127.0.0.1:{port}");
        let mut node = Node {
            base_url,
            child,
            startup: Duration::ZERO,
        };
        node.startup = wait_ready(&mut node, started).await.with_context(|| {
            format!(
                "gateway did not become ready; see {}",
                dir.path().join(format!("serve-{port}.log")).display()
            )
        })?;
        nodes.push(node);
    }
    Ok(Gateway {
        nodes,
        external: Vec::new(),
        merchant,
        backend,
        database_url: Some(database_url),
        _data_dir: Some(dir),
        scratch_db: scratch,
    })
}

async fn wait_ready(node: &mut Node, started: Instant) -> Result<Duration> {
    let http = reqwest::Client::new();
    let url = format!("{}/readyz", node.base_url);
    let deadline = started + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Some(status) = node.child.try_wait()? {
            bail!("gateway exited with {status}");
        }
        if let Ok(r) = http
            .get(&url)
            .timeout(Duration::from_millis(500))
            .send()
            .await
        {
            if r.status().is_success() {
                return Ok(started.elapsed());
            }
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    bail!("no 200 from {url} within 60 s")
}

/// Drops the scratch PostgreSQL database (after the nodes stopped).
pub async fn drop_scratch(admin_url: &str, name: &str) -> Result<()> {
    use sqlx::Connection;
    let url = with_database(admin_url, "postgres")?;
    let mut conn = sqlx::PgConnection::connect(&url).await?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut conn)
        .await?;
    let _ = conn.close().await;
    Ok(())
}

/// Readings of one process from `/proc/<pid>/status` and `/proc/<pid>/stat`.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct ProcReading {
    /// Current resident set, KiB.
    pub rss_kib: u64,
    /// Peak resident set over the process lifetime (`VmHWM`), KiB.
    pub hwm_kib: u64,
    /// User + system CPU seconds so far.
    pub cpu_s: f64,
}

pub fn read_proc(pid: u32) -> Option<ProcReading> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th fields of the whole line.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ProcReading {
        rss_kib: field("VmRSS:"),
        hwm_kib: field("VmHWM:"),
        cpu_s: ticks / clock_ticks_per_second(),
    })
}

/// `sysconf(_SC_CLK_TCK)`: 100 on every Linux this runs on; read from
/// `getconf` once so an unusual kernel is still measured right.
pub fn clock_ticks_per_second() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(100.0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_process() {
        let r = read_proc(std::process::id()).expect("/proc is readable");
        assert!(r.rss_kib > 0 && r.hwm_kib >= r.rss_kib, "{r:?}");
        assert!(r.cpu_s >= 0.0);
        assert!(read_proc(u32::MAX).is_none());
    }

    #[test]
    fn replaces_the_database_of_a_url() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "cashier_bench_1").unwrap(),
            "postgres://postgres@127.0.0.1:5432/cashier_bench_1"
        );
        assert_eq!(
            with_database("postgres://u:p@db/x?sslmode=disable", "y").unwrap(),
            "postgres://u:p@db/y?sslmode=disable"
        );
    }
}
