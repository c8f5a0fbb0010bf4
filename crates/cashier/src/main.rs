//! `cashier`: the gateway binary. Thin by design: it turns flags, environment
//! variables and an optional TOML file into a `cashier_gateway::Config` and
//! calls the library, exactly as the tests do.

mod demo;
mod listen;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use base64::Engine as _;
use cashier_gateway::config::{parse_duration, parse_schedule, TlsFiles};
use cashier_gateway::store::{ClientId, Timestamp};
use cashier_gateway::{app, merchants, Application, Config};
use cashier_protocol::signing::PublicKey;
use clap::{Args, Parser, Subcommand};
use serde::{Deserialize, Serialize};

#[derive(Parser)]
#[command(
    name = "cashier",
    version,
    about = "A self-hosted, Antom-compatible hosted checkout gateway"
)]
struct Cli {
    /// TOML file with the same keys as the flags (e.g. listen = "0.0.0.0:8080").
    #[arg(long, env = "CASHIER_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Log format: text, or json (one object per line; one line per API request).
    #[arg(long, env = "CASHIER_LOG_FORMAT", value_enum, global = true)]
    log_format: Option<LogFormat>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Run the gateway.
    Serve(Box<ServeArgs>),
    /// Manage merchants and their keys.
    Merchant {
        #[command(subcommand)]
        command: MerchantCommand,
    },
    /// Manage merchant dashboard users (/dashboard).
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Run the gateway with a demo merchant and shop: nothing to configure.
    Demo(demo::DemoArgs),
    /// Bring the database schema up to date and exit. `serve` migrates on
    /// start too; run this once before rolling out N nodes on PostgreSQL.
    Migrate(MigrateArgs),
    /// Show or move a merchant's sandbox clock (gateways started with
    /// --sandbox-clocks run the merchant's payments on it).
    Clock {
        #[command(subcommand)]
        command: ClockCommand,
    },
    /// Copy the SQLite database and the gateway key into one backup file,
    /// consistently, while `serve` keeps running.
    Backup(BackupArgs),
    /// Bring a backup back into a data directory (refused while a gateway
    /// runs there; what was there is kept as `*.replaced-<time>`).
    Restore(RestoreArgs),
    /// Follow a merchant's API requests and notification attempts live, and
    /// optionally forward each notification to a local handler.
    Listen(ListenArgs),
    /// Generate (or regenerate) a merchant's reconciliation reports for one
    /// UTC+8 day into `<data-dir>/reports/<clientId>/<YYYYMMDD>/` and print
    /// their paths.
    Report(ReportArgs),
}

#[derive(Args, Clone)]
struct BackupArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The backup file to create (never overwritten). It holds buyer data
    /// and the gateway's private key: keep it as safe as the data dir.
    #[arg(long)]
    to: PathBuf,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Clone)]
struct RestoreArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// A file made by `cashier backup`.
    #[arg(long)]
    from: PathBuf,
    #[arg(long)]
    json: bool,
}

#[derive(Args, Clone)]
struct ListenArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The merchant.
    #[arg(long)]
    client_id: String,
    /// Also POST each notification attempt's exact body and signed headers
    /// (client-id, request-time, signature) to this URL, e.g.
    /// http://localhost:3000/antom/notify, and print its answer.
    #[arg(long)]
    forward_to: Option<String>,
    /// How often to read the store, e.g. 250ms or 1s.
    #[arg(long, default_value = "250ms")]
    interval: String,
}

#[derive(Args, Clone)]
struct ReportArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The merchant.
    #[arg(long)]
    client_id: String,
    /// The day, in UTC+8, as YYYY-MM-DD.
    #[arg(long)]
    date: String,
    /// Which reports: transaction (details), settlement (details and
    /// summary) or all. A day never generated before is always generated whole.
    #[arg(long, value_enum, default_value_t = ReportKindArg::All)]
    kind: ReportKindArg,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ReportKindArg {
    Transaction,
    Settlement,
    All,
}

#[derive(Subcommand)]
enum ClockCommand {
    /// Print the merchant's clock.
    Show {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long)]
        client_id: String,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Move the merchant's clock forward, e.g. `25h`, `31m`, `2d` or a number
    /// of seconds (at most 400 days at a time). Running gateways decide what
    /// became due (expiry, retries, settlement, reports) within a second or two.
    Advance {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long)]
        client_id: String,
        /// How far: a number of seconds, or a number with s, m, h or d.
        #[arg(allow_hyphen_values = true)]
        by: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Clone)]
struct MigrateArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// PostgreSQL: create the database named by --database-url first if it
    /// does not exist (through the server's `postgres` database).
    #[arg(long)]
    create_database: bool,
}

#[derive(Args, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
struct StoreArgs {
    /// Directory for the gateway key, the SQLite file and report copies.
    #[arg(long, env = "CASHIER_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Database URL; default: the SQLite file in the data dir.
    #[arg(long, env = "CASHIER_DATABASE_URL")]
    database_url: Option<String>,
}

/// The settings of `serve`, each declared once: as a flag, its environment
/// variable, and its key in the TOML file (`--config`), which is this struct
/// in kebab-case. `layer` puts the flags and the environment over the file.
#[derive(Args, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
struct ServeArgs {
    #[command(flatten)]
    #[serde(flatten)]
    store: StoreArgs,
    /// The file's `log-format`: the flag is `Cli::log_format`, global.
    #[arg(skip)]
    log_format: Option<LogFormat>,
    /// Address to listen on.
    #[arg(long, env = "CASHIER_LISTEN")]
    listen: Option<SocketAddr>,
    /// Public base URL (normalUrl is built from it); default derived from --listen.
    #[arg(long, env = "CASHIER_PUBLIC_URL")]
    public_url: Option<String>,
    /// PEM certificate chain: serve HTTPS natively.
    #[arg(long, env = "CASHIER_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key for --tls-cert.
    #[arg(long, env = "CASHIER_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Allow notification URLs on loopback and private networks.
    #[arg(long, env = "CASHIER_ALLOW_PRIVATE_NOTIFY")]
    #[serde(skip_serializing_if = "is_off")]
    allow_private_notify: bool,
    /// Delays between notification attempts, e.g. "1s,2s,5s" (default: Antom's 0s,2m,10m,10m,1h,2h,6h,15h).
    #[arg(long, env = "CASHIER_NOTIFY_RETRY_SCHEDULE")]
    notify_retry_schedule: Option<String>,
    /// Time the asynchronous sandbox test card takes to succeed.
    #[arg(long, env = "CASHIER_SANDBOX_ASYNC_DELAY")]
    sandbox_async_delay: Option<String>,
    /// HTTP timeout of one notification attempt, e.g. "10s".
    #[arg(long, env = "CASHIER_NOTIFY_TIMEOUT")]
    notify_timeout: Option<String>,
    /// How long a node keeps a claimed notification before another node may retry it, e.g. "60s".
    #[arg(long, env = "CASHIER_NOTIFY_LEASE")]
    notify_lease: Option<String>,
    /// Enable POST /sandbox/simulate/pay.
    #[arg(long, env = "CASHIER_SANDBOX_SIMULATION")]
    #[serde(skip_serializing_if = "is_off")]
    sandbox_simulation: bool,
    /// Sandbox clocks: run each merchant's payments on a clock of its own
    /// that POST /ams/sandbox/api/v1/testing/advanceClock (or `cashier clock
    /// advance`) moves forward. Off: every clock is real time and the clock
    /// APIs answer ACCESS_DENIED.
    #[arg(long, env = "CASHIER_SANDBOX_CLOCKS")]
    #[serde(skip_serializing_if = "is_off")]
    sandbox_clocks: bool,
    /// Accepted Request-Time skew, e.g. "10m"; "0s" disables the check.
    #[arg(long, env = "CASHIER_REQUEST_TIME_WINDOW")]
    request_time_window: Option<String>,
    /// API requests per second per clientId (default 1000); 0 turns the limit off.
    #[arg(long, env = "CASHIER_RATE_LIMIT")]
    rate_limit: Option<u32>,
    /// Burst allowed above --rate-limit (default: one second's worth).
    #[arg(long, env = "CASHIER_RATE_LIMIT_BURST")]
    rate_limit_burst: Option<u32>,
    /// Unknown checkout links one IP may open per minute before getting 429 (default 30); 0 = off.
    #[arg(long, env = "CASHIER_TOKEN_GUESS_LIMIT")]
    token_guess_limit: Option<u32>,
    /// API requests per second one IP may have fail authentication and still get a signed
    /// answer (default 20); past it, unsigned 429s. 0 = off.
    #[arg(long, env = "CASHIER_AUTH_FAILURE_LIMIT")]
    auth_failure_limit: Option<u32>,
    /// Serve /metrics, /healthz and /readyz on this separate address (your
    /// monitoring network); the public listener then has no /metrics.
    #[arg(long, env = "CASHIER_METRICS_LISTEN")]
    metrics_listen: Option<SocketAddr>,
    /// Require `Authorization: Bearer <TOKEN>` for /metrics. Prefer the
    /// environment variable: command lines are visible to other users.
    #[arg(long, env = "CASHIER_METRICS_TOKEN", hide_env_values = true)]
    metrics_token: Option<String>,
    /// Reverse proxies (comma-separated CIDRs or addresses, e.g.
    /// "127.0.0.1,10.0.0.0/8") whose Forwarded / X-Forwarded-For name the
    /// client for rate limits, the login throttle and logs.
    #[arg(long, env = "CASHIER_TRUSTED_PROXIES")]
    trusted_proxies: Option<String>,
    /// A client must send a whole request head (and finish a TLS handshake)
    /// within this long, e.g. "10s" (the default).
    #[arg(long, env = "CASHIER_HEADER_READ_TIMEOUT")]
    header_read_timeout: Option<String>,
    /// A connection that moves no bytes for this long is closed, e.g. "75s"
    /// (the default; keep it above your proxy's idle timeout).
    #[arg(long, env = "CASHIER_KEEP_ALIVE_TIMEOUT")]
    keep_alive_timeout: Option<String>,
    /// Connections held at once (default 1000); more wait in the backlog.
    #[arg(long, env = "CASHIER_MAX_CONNECTIONS")]
    max_connections: Option<usize>,
}

#[derive(Subcommand)]
enum MerchantCommand {
    /// Register a merchant; prints its client id and the keys to configure in the SDK.
    Create {
        #[command(flatten)]
        store: StoreArgs,
        /// Merchant (brand) name shown on the checkout page.
        #[arg(long)]
        name: String,
        /// Use this client id instead of a generated SANDBOX_... one.
        #[arg(long)]
        client_id: Option<String>,
        /// The merchant's RSA public key (base64 SPKI DER or PEM).
        #[arg(long, conflicts_with = "generate_key")]
        public_key: Option<PathBuf>,
        /// Generate the merchant key pair and print the private key once.
        #[arg(long)]
        generate_key: bool,
        /// Default notification URL (used when a request has no paymentNotifyUrl).
        #[arg(long)]
        notify_url: Option<String>,
        /// Logo shown on the checkout page (PNG, JPEG or WebP, at most 512 KiB).
        #[arg(long)]
        logo: Option<PathBuf>,
        /// Settlement fee in basis points of each successful payment (100 = 1%).
        #[arg(long, default_value_t = 0)]
        fee_bps: u32,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Change a merchant's settings.
    Update {
        #[command(flatten)]
        store: StoreArgs,
        client_id: String,
        /// Strict mode: refuse createPaymentSession requests with integration
        /// warnings (PARAM_ILLEGAL naming the rule) instead of recording them.
        #[arg(long, conflicts_with = "no_strict")]
        strict: bool,
        /// Leave strict mode: accept such requests and record the warnings.
        #[arg(long)]
        no_strict: bool,
        /// Contracted settlement currencies, e.g. USD,SGD: requests may ask
        /// for these in settlementStrategy.settlementCurrency (others get
        /// SETTLE_CONTRACT_NOT_MATCH) and are converted at the sandbox rates.
        /// An empty value removes the contract: each payment then settles in
        /// its own currency.
        #[arg(long, value_name = "CODES")]
        settlement_currencies: Option<String>,
    },
    /// List merchants.
    List {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long)]
        json: bool,
    },
    /// Manage a merchant's public keys.
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a dashboard user: a merchant's (--client-id) or an admin
    /// (--admin, sees every merchant). Prints a one-time setup link unless
    /// --password-stdin gives the password.
    Create {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long)]
        email: String,
        /// The merchant this user sees.
        #[arg(long, required_unless_present = "admin", conflicts_with = "admin")]
        client_id: Option<String>,
        /// An operator who sees every merchant.
        #[arg(long)]
        admin: bool,
        /// Read the password from the first line of stdin (12+ characters).
        #[arg(long)]
        password_stdin: bool,
        /// The gateway's public URL, to print the setup link in full.
        #[arg(long, env = "CASHIER_PUBLIC_URL")]
        public_url: Option<String>,
    },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Register another key version (rotation); older versions keep working.
    Add {
        #[command(flatten)]
        store: StoreArgs,
        client_id: String,
        #[arg(long)]
        key_version: u32,
        #[arg(long)]
        public_key: PathBuf,
    },
    /// Retire a key version: requests signed with it get KEY_NOT_FOUND from
    /// now on. The merchant's last active key cannot be retired.
    Retire {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long)]
        client_id: String,
        #[arg(long)]
        key_version: u32,
    },
}

/// Switches serialize only when on, so that `layer` turns one on if the flag
/// or the file does.
fn is_off(on: &bool) -> bool {
    !on
}

/// The TOML file (`--config`), if any; unknown keys are refused.
fn load_file(path: Option<&Path>) -> Result<ServeArgs> {
    let Some(p) = path else {
        return Ok(ServeArgs::default());
    };
    let text = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
    toml::from_str(&text).with_context(|| format!("parsing {}", p.display()))
}

/// The settings in layers: the defaults, then the file, then the flags and
/// environment variables in `flags` (an `Args` struct; clap has already put
/// each flag over its variable, and what was not given serializes to nothing).
fn layer(file: &ServeArgs, flags: &impl Serialize) -> Result<ServeArgs> {
    let mut table = toml::Table::try_from(file)?;
    table.extend(toml::Table::try_from(flags)?);
    Ok(table.try_into()?)
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("./cashier-data")
}

fn base_config(store: &StoreArgs, file: &ServeArgs) -> Result<Config> {
    let store = layer(file, store)?.store;
    let mut config = Config::new(store.data_dir.unwrap_or_else(default_data_dir));
    config.database_url = store.database_url;
    Ok(config)
}

fn serve_config(args: &ServeArgs, file: &ServeArgs) -> Result<Config> {
    let s = layer(file, args)?;
    let mut config = base_config(&s.store, file)?;
    if let Some(listen) = s.listen {
        config.listen = listen;
    }
    config.public_url = s.public_url;
    config.tls = match (s.tls_cert, s.tls_key) {
        (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
        (None, None) => None,
        _ => bail!("--tls-cert and --tls-key go together"),
    };
    config.allow_private_notify = s.allow_private_notify;
    config.sandbox_simulation = s.sandbox_simulation;
    config.sandbox_clocks = s.sandbox_clocks;
    if let Some(schedule) = &s.notify_retry_schedule {
        config.notify_retry_schedule = parse_schedule(schedule)
            .map_err(anyhow::Error::msg)
            .context("--notify-retry-schedule")?;
    }
    for (value, flag, target) in [
        (
            &s.sandbox_async_delay,
            "--sandbox-async-delay",
            &mut config.sandbox_async_delay,
        ),
        (
            &s.notify_timeout,
            "--notify-timeout",
            &mut config.notify_timeout,
        ),
        (&s.notify_lease, "--notify-lease", &mut config.notify_lease),
        (
            &s.header_read_timeout,
            "--header-read-timeout",
            &mut config.header_read_timeout,
        ),
        (
            &s.keep_alive_timeout,
            "--keep-alive-timeout",
            &mut config.keep_alive_timeout,
        ),
        (
            &s.request_time_window,
            "--request-time-window",
            &mut config.request_time_window,
        ),
    ] {
        if let Some(value) = value {
            *target = parse_duration(value)
                .map_err(anyhow::Error::msg)
                .context(flag)?;
        }
    }
    for (value, target) in [
        (s.rate_limit, &mut config.rate_limit),
        (s.rate_limit_burst, &mut config.rate_limit_burst),
        (s.token_guess_limit, &mut config.token_guess_limit),
        (s.auth_failure_limit, &mut config.auth_failure_limit),
    ] {
        if let Some(n) = value {
            *target = n;
        }
    }
    if config.header_read_timeout.is_zero() || config.keep_alive_timeout.is_zero() {
        bail!("--header-read-timeout and --keep-alive-timeout must be longer than 0s");
    }
    if let Some(n) = s.max_connections {
        if n == 0 {
            bail!("--max-connections must be at least 1");
        }
        config.max_connections = n;
    }
    config.metrics_listen = s.metrics_listen;
    config.metrics_token = s.metrics_token;
    if let Some(token) = &config.metrics_token {
        // A bearer token is compared as sent: no blanks, and long enough
        // not to be guessed.
        if token.len() < 16 || !token.bytes().all(|b| b.is_ascii_graphic()) {
            bail!("--metrics-token must be at least 16 printable characters without spaces");
        }
    }
    if let Some(list) = &s.trusted_proxies {
        config.trusted_proxies = cashier_gateway::client_addr::parse_trusted_proxies(list)
            .map_err(anyhow::Error::msg)
            .context("--trusted-proxies")?;
    }
    if config.metrics_listen.is_some() && config.metrics_listen == Some(config.listen) {
        bail!("--metrics-listen must be another address than --listen");
    }
    Ok(config)
}

fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        // One JSON object per line: timestamp, level, target, the event's
        // fields at the top level, and the innermost span.
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_span_list(false)
            .init(),
        LogFormat::Text => builder.init(),
    }
}

/// Real time, as the gateway's domain counts it.
fn now() -> Timestamp {
    chrono::Utc::now().into()
}

fn read_public_key(path: &Path) -> Result<PublicKey> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    PublicKey::from_text(&text).with_context(|| {
        format!(
            "{} is not an RSA public key (base64 SPKI DER or PEM)",
            path.display()
        )
    })
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    let file = load_file(cli.config.as_deref())?;
    let log_format = cli.log_format.or(file.log_format).unwrap_or_default();
    match cli.command {
        Command::Serve(args) => {
            init_tracing(log_format);
            let config = serve_config(&args, &file)?;
            let metrics_listen = config.metrics_listen;
            let app = Application::build(config).await.map_err(|e| match e {
                cashier_gateway::app::StartError::Bind { addr, source }
                    if Some(addr) == metrics_listen =>
                {
                    anyhow::anyhow!(
                        "cannot bind {addr}: {source}; choose another address with --metrics-listen \
                         (or CASHIER_METRICS_LISTEN)"
                    )
                }
                cashier_gateway::app::StartError::Bind { addr, source } => anyhow::anyhow!(
                    "cannot bind {addr}: {source}; choose another address with --listen \
                     (or CASHIER_LISTEN; port 0 picks a free port)"
                ),
                other => other.into(),
            })?;
            tracing::info!(address = %app.addr(), public_url = %app.state().public_url, "cashier listening");
            app.run_until(shutdown_signal()).await?;
        }
        Command::Demo(args) => {
            init_tracing(log_format);
            demo::run(args).await?;
        }
        Command::Merchant { command } => merchant(command, &file).await?,
        Command::User { command } => user(command, &file).await?,
        Command::Migrate(args) => migrate(args, &file).await?,
        Command::Report(args) => report(args, &file).await?,
        Command::Clock { command } => clock(command, &file).await?,
        Command::Listen(args) => listen(args, &file).await?,
        Command::Backup(args) => backup(args, &file)?,
        Command::Restore(args) => restore(args, &file)?,
    }
    Ok(())
}

/// Backups are of the embedded database; PostgreSQL has its own tools.
fn embedded_only(config: &Config, what: &str) -> Result<()> {
    match config.database_url.as_deref() {
        None => Ok(()),
        Some(_) => bail!(
            "`cashier {what}` works on the embedded SQLite database of a data dir; for PostgreSQL use \
             pg_dump / pg_restore (or your provider's snapshots) and keep a copy of gateway_key.pk8 from \
             the data dir (README: Backups)"
        ),
    }
}

fn summary_json(s: &cashier_gateway::backup::Summary) -> serde_json::Value {
    serde_json::json!({
        "path": s.path,
        "bytes": s.bytes,
        "payments": s.payments,
        "refunds": s.refunds,
        "gatewayKeySha256": s.gateway_key_fingerprint,
        "replaced": s.replaced,
    })
}

fn backup(args: BackupArgs, file: &ServeArgs) -> Result<()> {
    let config = base_config(&args.store, file)?;
    embedded_only(&config, "backup")?;
    let s = cashier_gateway::backup::backup(&config.data_dir, &args.to, now())?;
    if args.json {
        println!("{}", summary_json(&s));
    } else {
        println!(
            "backed up {} payments and {} refunds to {} ({} bytes)",
            s.payments,
            s.refunds,
            s.path.display(),
            s.bytes
        );
        eprintln!(
            "note: the file holds the gateway's private key (fingerprint {}) and buyer data; it is \
             readable by you only — store it as safely as the data dir",
            s.gateway_key_fingerprint
        );
    }
    Ok(())
}

fn restore(args: RestoreArgs, file: &ServeArgs) -> Result<()> {
    let config = base_config(&args.store, file)?;
    embedded_only(&config, "restore")?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    let s = cashier_gateway::backup::restore(&config.data_dir, &args.from, &stamp)?;
    if args.json {
        println!("{}", summary_json(&s));
    } else {
        println!(
            "restored {} payments and {} refunds into {}",
            s.payments,
            s.refunds,
            s.path.display()
        );
        for old in &s.replaced {
            println!("kept what was there as {}", old.display());
        }
    }
    Ok(())
}

async fn listen(args: ListenArgs, file: &ServeArgs) -> Result<()> {
    let forward_to = match &args.forward_to {
        None => None,
        Some(url) => {
            let parsed = reqwest::Url::parse(url)
                .with_context(|| format!("--forward-to {url:?} is not a URL"))?;
            if !matches!(parsed.scheme(), "http" | "https") {
                bail!("--forward-to must be an http:// or https:// URL, not {url:?}");
            }
            Some(parsed)
        }
    };
    let interval = parse_duration(&args.interval)
        .map_err(anyhow::Error::msg)
        .context("--interval")?;
    let config = base_config(&args.store, file)?;
    let db = app::open_store(&config).await?;
    if db
        .merchant(&ClientId::from(&args.client_id))
        .await?
        .is_none()
    {
        bail!(
            "no merchant with client id {:?} (see `cashier merchant list`)",
            args.client_id
        );
    }
    listen::Listen {
        store: db,
        client_id: args.client_id,
        forward_to,
        interval: interval.max(std::time::Duration::from_millis(10)),
    }
    .run()
    .await
}

async fn clock(command: ClockCommand, file: &ServeArgs) -> Result<()> {
    let (store, client_id, json, by) = match command {
        ClockCommand::Show {
            store,
            client_id,
            json,
        } => (store, client_id, json, None),
        ClockCommand::Advance {
            store,
            client_id,
            by,
            json,
        } => (
            store,
            client_id,
            json,
            Some(cashier_gateway::clock::parse_advance(&by).map_err(anyhow::Error::msg)?),
        ),
    };
    let config = base_config(&store, file)?;
    let db = app::open_store(&config).await?;
    let Some(merchant) = db.merchant(&ClientId::from(&client_id)).await? else {
        bail!("no merchant with client id {client_id:?} (see `cashier merchant list`)");
    };
    let offset = match by {
        None => merchant.clock_offset_ms,
        Some(seconds) => db
            .advance_clock(&ClientId::from(&client_id), seconds * 1000)
            .await?
            .with_context(|| {
                format!(
                    "the clock cannot be moved {seconds} s further: a merchant's clock stays within {} days of real time",
                    cashier_gateway::store::MAX_CLOCK_OFFSET_MS / 86_400_000
                )
            })?,
    };
    let clock_time =
        cashier_gateway::clock::format_timestamp(now() + chrono::Duration::milliseconds(offset));
    if json {
        println!(
            "{}",
            serde_json::json!({"clientId": client_id, "clockTime": clock_time, "offsetSeconds": offset / 1000})
        );
    } else {
        println!(
            "{client_id}: {clock_time} ({} ahead of real time)",
            cashier_gateway::clock::describe_seconds(offset / 1000)
        );
        eprintln!(
            "note: gateways started without --sandbox-clocks run every merchant on real time"
        );
    }
    Ok(())
}

/// SIGTERM or Ctrl-C: `serve` then finishes the requests in flight and
/// writes the API request log's buffer before it exits.
pub(crate) async fn shutdown_signal() {
    let term = async {
        #[cfg(unix)]
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await;
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = term => {}
    }
    tracing::info!("shutting down");
}

async fn report(args: ReportArgs, file: &ServeArgs) -> Result<()> {
    use cashier_gateway::reports::{self, Mode, ReportKind};
    let date = reports::parse_date(&args.date)
        .map_err(anyhow::Error::msg)
        .context("--date")?;
    let config = base_config(&args.store, file)?;
    let db = app::open_store(&config).await?;
    if db
        .merchant(&ClientId::from(&args.client_id))
        .await?
        .is_none()
    {
        bail!(
            "no merchant with client id {:?} (see `cashier merchant list`)",
            args.client_id
        );
    }
    let kinds: &[ReportKind] = match args.kind {
        ReportKindArg::Transaction => &[ReportKind::Transaction],
        ReportKindArg::Settlement => &[ReportKind::Settlement, ReportKind::Summary],
        ReportKindArg::All => &ReportKind::ALL,
    };
    let (_, day_end) = reports::day_window(date);
    if now() < day_end {
        eprintln!("note: {date} has not ended yet (UTC+8); these reports are provisional");
    }
    let paths = reports::generate_and_store(
        db.as_ref(),
        &config.data_dir,
        &ClientId::from(&args.client_id),
        date,
        kinds,
        Mode::Regenerate,
        now(),
    )
    .await?;
    if paths.is_empty() {
        eprintln!("no files of that kind: no money moved on {date}, so there is nothing to settle");
    }
    for p in paths {
        println!("{}", p.display());
    }
    Ok(())
}

async fn user(command: UserCommand, file: &ServeArgs) -> Result<()> {
    use cashier_gateway::dashboard::{create_user, NewUser};
    let UserCommand::Create {
        store,
        email,
        client_id,
        admin,
        password_stdin,
        public_url,
    } = command;
    let config = base_config(&store, file)?;
    let db = app::open_store(&config).await?;
    let password = if password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("reading the password from stdin")?;
        Some(line.trim_end_matches(['\r', '\n']).to_string())
    } else {
        None
    };
    let created = create_user(
        db.as_ref(),
        NewUser {
            email: &email,
            client_id: client_id.map(ClientId::from).as_ref(),
            admin,
            password: password.as_deref(),
            now: now(),
        },
    )
    .await?;
    let who = created
        .user
        .client_id
        .as_deref()
        .unwrap_or("every merchant (admin)");
    println!("user {} created for {who}", created.user.email);
    if let Some(token) = created.setup_token {
        let base = public_url
            .or_else(|| file.public_url.clone())
            .unwrap_or_else(|| "<public URL>".into());
        println!(
            "one-time setup link (valid 72 hours): {}/dashboard/setup/{token}",
            base.trim_end_matches('/')
        );
    }
    Ok(())
}

async fn migrate(args: MigrateArgs, file: &ServeArgs) -> Result<()> {
    use cashier_gateway::store::postgres::{self, admin};
    let config = base_config(&args.store, file)?;
    let url = config.database_url.as_deref().unwrap_or("");
    if args.create_database {
        if !postgres::is_postgres_url(url) {
            bail!("--create-database needs a postgres:// --database-url");
        }
        let name = admin::database_name(url)?;
        let (_, created) =
            admin::create_database(&admin::with_database(url, "postgres")?, &name).await?;
        eprintln!(
            "database {name} {}",
            if created { "created" } else { "exists" }
        );
    }
    app::open_store(&config).await?;
    eprintln!("schema up to date");
    Ok(())
}

async fn merchant(command: MerchantCommand, file: &ServeArgs) -> Result<()> {
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    match command {
        MerchantCommand::Create {
            store,
            name,
            client_id,
            public_key,
            generate_key,
            notify_url,
            logo,
            fee_bps,
            json,
        } => {
            let config = base_config(&store, file)?;
            let db = app::open_store(&config).await?;
            let gateway = app::load_gateway_key(&config, db.as_ref()).await?;
            let public = public_key.as_deref().map(read_public_key).transpose()?;
            let logo_bytes = match &logo {
                Some(p) => {
                    Some(std::fs::read(p).with_context(|| format!("reading {}", p.display()))?)
                }
                None => None,
            };
            let created = merchants::create(
                db.as_ref(),
                merchants::NewMerchant {
                    name: &name,
                    client_id: client_id.as_deref(),
                    public_key: public,
                    generate_key,
                    notify_url: notify_url.as_deref(),
                    logo: logo_bytes.as_deref(),
                    fee_bps,
                    now: now(),
                },
            )
            .await?;
            let gateway_public = gateway.public.to_base64();
            let pkcs8 = created.private_key.as_ref().map(|k| b64(&k.to_pkcs8_der()));
            let pkcs1 = created.private_key.as_ref().map(|k| b64(&k.to_pkcs1_der()));
            if json {
                let mut out = serde_json::json!({
                    "clientId": created.merchant.client_id,
                    "gatewayPublicKey": gateway_public,
                    "keyVersion": created.key_version,
                });
                if let (Some(a), Some(b)) = (&pkcs8, &pkcs1) {
                    out["merchantPrivateKey"] = a.clone().into();
                    out["merchantPrivateKeyPkcs1"] = b.clone().into();
                }
                println!("{out}");
            } else {
                println!("clientId:           {}", created.merchant.client_id);
                println!("keyVersion:         {}", created.key_version);
                println!("gatewayPublicKey:   {gateway_public}");
                if let (Some(a), Some(b)) = (&pkcs8, &pkcs1) {
                    println!("merchantPrivateKey (PKCS#8, for the Java, Go and .NET SDKs; shown once):\n{a}");
                    println!("merchantPrivateKey (PKCS#1, for the Python and PHP SDKs; shown once):\n{b}");
                }
            }
        }
        MerchantCommand::Update {
            store,
            client_id,
            strict,
            no_strict,
            settlement_currencies,
        } => {
            let change = merchants::MerchantUpdate {
                strict: match (strict, no_strict) {
                    (true, _) => Some(true),
                    (_, true) => Some(false),
                    _ => None,
                },
                settlement_currencies,
            };
            if change.strict.is_none() && change.settlement_currencies.is_none() {
                bail!("nothing to change: give --strict, --no-strict or --settlement-currencies");
            }
            let config = base_config(&store, file)?;
            let db = app::open_store(&config).await?;
            let m = merchants::update(db.as_ref(), &ClientId::from(&client_id), &change).await?;
            println!(
                "{}: strict mode {}; settles in {}",
                m.client_id,
                if m.strict { "on" } else { "off" },
                m.settlement_currencies
                    .as_deref()
                    .unwrap_or("each payment's own currency")
            );
        }
        MerchantCommand::List { store, json } => {
            let config = base_config(&store, file)?;
            let db = app::open_store(&config).await?;
            let list = db.merchants().await?;
            if json {
                let items: Vec<_> = list
                    .iter()
                    .map(|m| serde_json::json!({"clientId": m.client_id, "name": m.name, "status": m.status, "notifyUrl": m.notify_url, "strict": m.strict, "settlementCurrencies": m.settlement_currencies}))
                    .collect();
                println!("{}", serde_json::Value::Array(items));
            } else {
                for m in list {
                    println!("{}\t{}\t{}", m.client_id, m.status, m.name);
                }
            }
        }
        MerchantCommand::Key {
            command:
                KeyCommand::Add {
                    store,
                    client_id,
                    key_version,
                    public_key,
                },
        } => {
            let config = base_config(&store, file)?;
            let db = app::open_store(&config).await?;
            let key = read_public_key(&public_key)?;
            merchants::add_key(
                db.as_ref(),
                &ClientId::from(&client_id),
                key_version,
                &key,
                now(),
            )
            .await?;
            println!("registered keyVersion {key_version} for {client_id}");
        }
        MerchantCommand::Key {
            command:
                KeyCommand::Retire {
                    store,
                    client_id,
                    key_version,
                },
        } => {
            let config = base_config(&store, file)?;
            let db = app::open_store(&config).await?;
            merchants::retire_key(db.as_ref(), &ClientId::from(&client_id), key_version, now())
                .await?;
            println!(
                "retired keyVersion {key_version} of {client_id}: requests signed with it now get KEY_NOT_FOUND"
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Parsing reads the process environment: `parse` sets and removes the
    /// variables a test asks for while holding this lock.
    static ENV: std::sync::Mutex<()> = std::sync::Mutex::new(());

    /// `cashier --config FILE ARGS...` with `file` as the file's text.
    fn parse(file: &str, env: &[(&str, &str)], args: &[&str]) -> (Cli, ServeArgs) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cashier.toml");
        std::fs::write(&path, file).unwrap();
        let cli = {
            let _env = ENV.lock().unwrap_or_else(|e| e.into_inner());
            env.iter().for_each(|(k, v)| std::env::set_var(k, v));
            let cli = Cli::try_parse_from(
                ["cashier", "--config", path.to_str().unwrap()]
                    .iter()
                    .chain(args),
            );
            env.iter().for_each(|(k, _)| std::env::remove_var(k));
            cli.unwrap()
        };
        let file = load_file(cli.config.as_deref()).unwrap();
        (cli, file)
    }

    fn serve(file: &str, env: &[(&str, &str)], flags: &[&str]) -> Result<Config> {
        let (cli, file) = parse(file, env, &[&["serve"], flags].concat());
        let Command::Serve(args) = cli.command else {
            unreachable!()
        };
        serve_config(&args, &file)
    }

    #[test]
    fn a_flag_beats_the_file_and_the_file_beats_the_default() {
        let file = "listen = \"127.0.0.1:9001\"\nnotify-timeout = \"3s\"\nrate-limit = 5\n";
        let config = serve(file, &[], &["--listen", "127.0.0.1:9002"]).unwrap();
        assert_eq!(config.listen, "127.0.0.1:9002".parse().unwrap());
        assert_eq!(config.notify_timeout, Duration::from_secs(3));
        assert_eq!(config.rate_limit, 5);
        let default = Config::new(default_data_dir());
        assert_eq!(config.data_dir, default.data_dir);
        assert_eq!(config.notify_lease, default.notify_lease);
        assert_eq!(config.max_connections, default.max_connections);
    }

    #[test]
    fn the_environment_beats_the_file_and_a_flag_the_environment() {
        let file = "rate-limit = 5\ntoken-guess-limit = 6\n";
        let env = [
            ("CASHIER_RATE_LIMIT", "7"),
            ("CASHIER_TOKEN_GUESS_LIMIT", "8"),
        ];
        let config = serve(file, &env, &["--token-guess-limit", "9"]).unwrap();
        assert_eq!(config.rate_limit, 7);
        assert_eq!(config.token_guess_limit, 9);
    }

    #[test]
    fn a_switch_is_on_if_the_flag_or_the_file_says_so() {
        let file = "sandbox-clocks = true\nallow-private-notify = false\n";
        let config = serve(file, &[], &["--allow-private-notify"]).unwrap();
        assert!(config.sandbox_clocks);
        assert!(config.allow_private_notify);
        assert!(!config.sandbox_simulation);
    }

    #[test]
    fn the_file_refuses_unknown_keys_naming_itself() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cashier.toml");
        std::fs::write(&path, "lisen = \"127.0.0.1:9001\"\n").unwrap();
        let error = format!("{:#}", load_file(Some(&path)).err().unwrap());
        assert!(
            error.contains(&format!("parsing {}", path.display())),
            "{error}"
        );
        assert!(error.contains("unknown field `lisen`"), "{error}");
    }

    #[test]
    fn a_bad_value_in_the_file_is_reported_under_its_flag() {
        let error = serve("notify-lease = \"soon\"\n", &[], &[]).unwrap_err();
        assert!(
            format!("{error:#}").starts_with("--notify-lease: "),
            "{error:#}"
        );
        let error = serve("tls-cert = \"cert.pem\"\n", &[], &[]).unwrap_err();
        assert_eq!(error.to_string(), "--tls-cert and --tls-key go together");
        let error = serve("max-connections = 0\n", &[], &[]).unwrap_err();
        assert_eq!(error.to_string(), "--max-connections must be at least 1");
    }

    #[test]
    fn store_commands_and_the_log_format_read_the_file_too() {
        let file = "data-dir = \"/srv/cashier\"\ndatabase-url = \"sqlite:///srv/db\"\n\
                    log-format = \"json\"\nlisten = \"127.0.0.1:9001\"\n";
        let (cli, file) = parse(file, &[], &["merchant", "list", "--data-dir", "/elsewhere"]);
        assert_eq!(cli.log_format.or(file.log_format), Some(LogFormat::Json));
        let Command::Merchant {
            command: MerchantCommand::List { store, .. },
        } = cli.command
        else {
            unreachable!()
        };
        let config = base_config(&store, &file).unwrap();
        assert_eq!(config.data_dir, PathBuf::from("/elsewhere"));
        assert_eq!(config.database_url.as_deref(), Some("sqlite:///srv/db"));
    }
}
