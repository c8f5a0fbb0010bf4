//! Gateway configuration: one plain struct. The `cashier` binary fills it
//! from flags, environment variables and an optional TOML file; tests build
//! it directly.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Antom's retry intervals (docs/protocol.md §6.2), measured from the previous
/// attempt: the first delivery is immediate, then these 8 retries.
pub const DEFAULT_NOTIFY_RETRY_SCHEDULE: [Duration; 8] = [
    Duration::from_secs(0),
    Duration::from_secs(2 * 60),
    Duration::from_secs(10 * 60),
    Duration::from_secs(10 * 60),
    Duration::from_secs(60 * 60),
    Duration::from_secs(2 * 60 * 60),
    Duration::from_secs(6 * 60 * 60),
    Duration::from_secs(15 * 60 * 60),
];

#[derive(Debug, Clone)]
pub struct Config {
    /// Address to bind; port 0 picks a free port.
    pub listen: SocketAddr,
    /// Base URL buyers and merchants use; `normalUrl` is built from it.
    /// `None` → derived from the bound address.
    pub public_url: Option<String>,
    /// Gateway key, SQLite file, report copies (and, from older installs,
    /// `logos/` files that `serve` imports into the database on start).
    pub data_dir: PathBuf,
    /// `sqlite://…`, `postgres://…`, or `None` for the SQLite file in the data dir.
    pub database_url: Option<String>,
    pub tls: Option<TlsFiles>,
    /// Allow notification URLs on loopback/private addresses (demo, tests).
    pub allow_private_notify: bool,
    /// Delays between notification attempts, after the immediate first one.
    pub notify_retry_schedule: Vec<Duration>,
    /// Per-attempt HTTP timeout for notifications.
    pub notify_timeout: Duration,
    /// How long a claimed notification stays reserved for the claiming node:
    /// if that node dies, another retries after this. Never shorter than
    /// twice `notify_timeout`, so a slow delivery is not duplicated.
    pub notify_lease: Duration,
    /// Notification deliveries in flight at once on this node.
    pub notify_max_in_flight: usize,
    /// One merchant's share of them: while a merchant has this many in
    /// flight, its other notifications wait, so a merchant whose endpoint
    /// hangs cannot take every slot. (A claim may add up to this many more.)
    pub notify_max_in_flight_per_client: usize,
    /// How long the asynchronous sandbox card takes to settle.
    pub sandbox_async_delay: Duration,
    /// Enables `POST /sandbox/simulate/pay`.
    pub sandbox_simulation: bool,
    /// Sandbox clocks (`--sandbox-clocks`): each merchant's payments run on
    /// a clock of its own that `advanceClock` moves forward; off, every
    /// merchant's clock is real time and the clock APIs are refused.
    pub sandbox_clocks: bool,
    /// Accepted clock skew of `Request-Time`; zero disables the check.
    pub request_time_window: Duration,
    /// Largest accepted API request body.
    pub max_body_bytes: usize,
    /// How often background workers look for due work.
    pub worker_interval: Duration,
    /// Seconds the result page waits before sending the buyer back.
    pub redirect_delay_secs: u32,
    /// API requests per second per clientId; 0 turns the limit off.
    pub rate_limit: u32,
    /// Requests a client may send at once above the rate; 0 means one
    /// second's worth (`rate_limit`).
    pub rate_limit_burst: u32,
    /// Unknown checkout links one remote IP may open per minute before its
    /// token lookups are answered 429; 0 turns the limit off.
    pub token_guess_limit: u32,
    /// API requests per second one remote IP may have fail authentication
    /// (bad signature, unknown client or key, missing headers) and still get
    /// a signed answer; past it their answers are unsigned HTTP 429s, which
    /// cost no RSA signature. 0 turns the limit off.
    pub auth_failure_limit: u32,
    /// A separate address for `/metrics`, `/healthz` and `/readyz` (the
    /// operator's network). When set, the public listener no longer serves
    /// `/metrics`.
    pub metrics_listen: Option<SocketAddr>,
    /// When set, `/metrics` (on whichever listener serves it) answers only
    /// requests with `Authorization: Bearer <token>`.
    pub metrics_token: Option<String>,
    /// Reverse proxies whose `Forwarded` / `X-Forwarded-For` say who the
    /// client is ([`crate::client_addr`]); empty: the peer is the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// A request head (and a new connection's TLS handshake) must arrive
    /// within this long ([`crate::conn`]).
    pub header_read_timeout: Duration,
    /// A connection that moves no bytes for this long is closed: idle
    /// between requests, or stalled in the middle of one.
    pub keep_alive_timeout: Duration,
    /// Connections held at once; more wait in the kernel's backlog.
    pub max_connections: usize,
}

#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl Config {
    /// Sensible defaults around a data directory.
    pub fn new(data_dir: impl Into<PathBuf>) -> Config {
        Config {
            listen: "127.0.0.1:8080".parse().expect("valid default address"),
            public_url: None,
            data_dir: data_dir.into(),
            database_url: None,
            tls: None,
            allow_private_notify: false,
            notify_retry_schedule: DEFAULT_NOTIFY_RETRY_SCHEDULE.to_vec(),
            notify_timeout: Duration::from_secs(10),
            notify_lease: Duration::from_secs(60),
            notify_max_in_flight: 256,
            notify_max_in_flight_per_client: 32,
            sandbox_async_delay: Duration::from_secs(10),
            sandbox_simulation: false,
            sandbox_clocks: false,
            request_time_window: Duration::from_secs(10 * 60),
            max_body_bytes: 256 * 1024,
            worker_interval: Duration::from_millis(250),
            redirect_delay_secs: 4,
            rate_limit: 1000,
            rate_limit_burst: 0,
            token_guess_limit: 30,
            auth_failure_limit: 20,
            metrics_listen: None,
            metrics_token: None,
            trusted_proxies: Vec::new(),
            header_read_timeout: Duration::from_secs(10),
            keep_alive_timeout: Duration::from_secs(75),
            max_connections: 1000,
        }
    }
}

/// Parses `1s,2m,500ms,1h` into durations.
pub fn parse_schedule(s: &str) -> Result<Vec<Duration>, String> {
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(parse_duration)
        .collect()
}

/// Parses one duration: an integer followed by `ms`, `s`, `m`, `h` or `d`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(|| format!("duration {s:?} needs a unit (ms, s, m, h, d)"))?;
    let (n, unit) = s.split_at(split);
    let n: u64 = n
        .parse()
        .map_err(|_| format!("duration {s:?} must start with a whole number"))?;
    match unit {
        "ms" => Ok(Duration::from_millis(n)),
        "s" => Ok(Duration::from_secs(n)),
        "m" => Ok(Duration::from_secs(n * 60)),
        "h" => Ok(Duration::from_secs(n * 3600)),
        "d" => Ok(Duration::from_secs(n * 86_400)),
        _ => Err(format!(
            "duration {s:?} has unknown unit {unit:?} (use ms, s, m, h, d)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_schedules() {
        assert_eq!(
            parse_schedule("1s, 2s,500ms,1m,2h").unwrap(),
            vec![
                Duration::from_secs(1),
                Duration::from_secs(2),
                Duration::from_millis(500),
                Duration::from_secs(60),
                Duration::from_secs(7200)
            ]
        );
        assert!(parse_schedule("1x").is_err());
        assert!(parse_schedule("s").is_err());
        assert!(parse_schedule("10").is_err());
    }
}
