//! The harness the integration tests of the real `cashier` binary share:
//! running `cashier` on a data dir or database, waiting for `/readyz`,
//! killing processes, the merchant's notification endpoint, and signed
//! calls with the client crate. Each suite keeps only its scenario.

use std::path::Path;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use cashier_client::{Client, ClientConfig};
use cashier_gateway::store::{NotificationId, Store};
use cashier_protocol::signing::PublicKey;
pub use cashier_test_support::gateway::{simulate_pay, simulated};
pub use cashier_test_support::{
    eventually, free_port, input_value, scratch_database, test_database, ScratchDatabase,
};
use cashier_test_support::{header_text, serve_router};
use serde_json::Value;

/// The path the merchant's notification endpoint listens on.
pub const NOTIFY_PATH: &str = "/notify";

/// The `cashier` binary, on the database `db_url` (SQLite in the data dir
/// when `None`), ignoring the caller's `CASHIER_DATABASE_URL` and
/// `CASHIER_DATA_DIR`.
pub fn cashier(db_url: Option<&str>) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cashier"));
    cmd.env_remove("CASHIER_DATABASE_URL")
        .env_remove("CASHIER_DATA_DIR");
    if let Some(url) = db_url {
        cmd.env("CASHIER_DATABASE_URL", url);
    }
    cmd
}

/// Runs `cmd` to completion; it must succeed (its stderr is the message).
pub fn run_ok(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// `cashier merchant create --name NAME --generate-key --json [--data-dir
/// DIR] EXTRA…` with `cmd`: the printed merchant (clientId,
/// merchantPrivateKey, gatewayPublicKey, …).
pub fn merchant_create(
    mut cmd: Command,
    name: &str,
    data_dir: Option<&Path>,
    extra: &[&str],
) -> Value {
    cmd.args([
        "merchant",
        "create",
        "--name",
        name,
        "--generate-key",
        "--json",
    ])
    .args(extra);
    if let Some(dir) = data_dir {
        cmd.arg("--data-dir").arg(dir);
    }
    let out = run_ok(&mut cmd);
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The merchant's SDK client for the gateway at `base`, from the JSON of
/// `cashier merchant create`.
pub fn merchant_client(base: &str, m: &Value) -> Client {
    Client::new(
        ClientConfig::new(
            base,
            m["clientId"].as_str().unwrap(),
            m["merchantPrivateKey"].as_str().unwrap(),
            m["gatewayPublicKey"].as_str().unwrap(),
        )
        .unwrap(),
    )
    .unwrap()
}

/// The HTTP status `/readyz` answers (promptly, also while the database is
/// down), or `None` when the connection fails.
pub async fn readyz(base: &str) -> Option<u16> {
    let r = reqwest::Client::new()
        .get(format!("{base}/readyz"))
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .ok()?;
    Some(r.status().as_u16())
}

/// Waits until `/readyz` at `base` answers `want`; fails after `within`,
/// showing the server log if there is one. Returns how long it took.
pub async fn wait_readyz(base: &str, want: u16, within: Duration, log: Option<&Path>) -> Duration {
    let t0 = Instant::now();
    let ready = eventually(within, || async { readyz(base).await == Some(want) }).await;
    assert!(
        ready,
        "{base}/readyz never said {want} within {within:?}\n{}",
        log.map(|l| std::fs::read_to_string(l).unwrap_or_default())
            .unwrap_or_default()
    );
    t0.elapsed()
}

/// `cashier serve` on a free loopback port with `data_dir` (and `db_url`,
/// else SQLite there) plus `extra` flags, quiet; its base URL once
/// `/readyz` says 200.
pub async fn serve(db_url: Option<&str>, data_dir: &Path, extra: &[&str]) -> (Running, String) {
    let port = free_port();
    let server = Running::new(
        cashier(db_url)
            .arg("serve")
            .args(extra)
            .args(["--listen", &format!("127.0.0.1:{port}"), "--data-dir"])
            .arg(data_dir)
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("cashier serve starts"),
    );
    let base = format!("http://127.0.0.1:{port}");
    wait_readyz(&base, 200, Duration::from_secs(30), None).await;
    (server, base)
}

/// Waits (up to `within`) for `child` to exit: its status, or `None` if it
/// still runs.
pub async fn wait_exit(child: &mut Child, within: Duration) -> Option<std::process::ExitStatus> {
    eventually(within, || std::future::ready(child.try_wait().unwrap())).await
}

/// A running process, SIGKILLed and reaped when dropped.
#[derive(Default)]
pub struct Running(pub Option<Child>);

impl Running {
    pub fn new(child: Child) -> Running {
        Running(Some(child))
    }

    /// SIGKILL (std's `Child::kill` on Unix) and wait for it.
    pub fn kill(&mut self) {
        let mut c = self.0.take().expect("running");
        c.kill().expect("SIGKILL");
        c.wait().unwrap();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut c) = self.0.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Serves `router` on a random loopback port: the URL of `path` on it.
pub async fn spawn_endpoint(router: Router, path: &str) -> String {
    format!("{}{path}", serve_router(router).await)
}

/// A merchant's dedupe key of a notification: `notifyType:refundId` or
/// `notifyType:paymentId`.
pub fn dedupe_key(v: &Value) -> String {
    format!(
        "{}:{}",
        v["notifyType"].as_str().unwrap_or("?"),
        v["refundId"]
            .as_str()
            .or_else(|| v["paymentId"].as_str())
            .unwrap_or("?")
    )
}

/// The acknowledgement a merchant answers a notification with.
pub fn ack() -> (StatusCode, String) {
    (
        StatusCode::OK,
        cashier_protocol::wire::ack_body().to_string(),
    )
}

// ------------------------------------------------------------ the merchant's endpoint

#[derive(Default)]
pub struct Ledger {
    /// Dedupe key → result code of every delivery.
    pub deliveries: std::collections::HashMap<String, Vec<String>>,
    /// Processed once each, as a deduplicating merchant does.
    pub processed: std::collections::HashMap<String, usize>,
    pub bad_signatures: usize,
}

/// A merchant endpoint that verifies every notification's signature,
/// records it and acknowledges it (after `hold_ms`).
#[derive(Clone)]
pub struct Endpoint {
    pub ledger: Arc<Mutex<Ledger>>,
    pub key: Arc<PublicKey>,
    /// Hold each response this long (after processing the notification).
    pub hold_ms: Arc<AtomicU64>,
    /// Responses being held.
    pub in_flight: Arc<AtomicUsize>,
}

impl Endpoint {
    /// Starts an endpoint trusting `gateway_key` at [`NOTIFY_PATH`]: it and
    /// its URL.
    pub async fn start(gateway_key: &str) -> (Endpoint, String) {
        let endpoint = Endpoint {
            ledger: Arc::default(),
            key: Arc::new(PublicKey::from_text(gateway_key).unwrap()),
            hold_ms: Arc::default(),
            in_flight: Arc::default(),
        };
        let router = Router::new()
            .route(NOTIFY_PATH, post(receive))
            .with_state(endpoint.clone());
        let url = spawn_endpoint(router, NOTIFY_PATH).await;
        (endpoint, url)
    }
}

async fn receive(
    State(ep): State<Endpoint>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let h = |n: &str| header_text(&headers, n);
    // The receiver serves whichever test merchant the gateway notifies: the signature (which
    // covers the client id) is what it checks, so the header's own client id is the expected one.
    let verified = cashier_client::verify_webhook::<Value>(
        &ep.key,
        &h("client-id"),
        NOTIFY_PATH,
        &h("client-id"),
        &h("request-time"),
        &h("signature"),
        &body,
    );
    let Ok(v) = verified else {
        ep.ledger.lock().unwrap().bad_signatures += 1;
        return (StatusCode::BAD_REQUEST, "bad signature".into());
    };
    let key = dedupe_key(&v);
    {
        let mut l = ep.ledger.lock().unwrap();
        let code = v["result"]["resultCode"]
            .as_str()
            .unwrap_or("?")
            .to_string();
        l.deliveries.entry(key.clone()).or_default().push(code);
        // Dedupe: the first delivery is processed, repeats only acknowledged.
        *l.processed.entry(key).or_default() = 1;
    }
    // Counted while held; the guard also uncounts a handler that axum drops
    // because the gateway's connection died.
    struct InFlight(Arc<AtomicUsize>);
    impl Drop for InFlight {
        fn drop(&mut self) {
            self.0.fetch_sub(1, Ordering::SeqCst);
        }
    }
    ep.in_flight.fetch_add(1, Ordering::SeqCst);
    let _guard = InFlight(ep.in_flight.clone());
    let hold = ep.hold_ms.load(Ordering::SeqCst);
    if hold > 0 {
        tokio::time::sleep(Duration::from_millis(hold)).await;
    }
    ack()
}

// ------------------------------------------------------------ requests

/// A session for one SGD 10 item, notified at `notify_url`.
pub fn session(rid: &str, notify_url: &str) -> cashier_client::CreatePaymentSession {
    use cashier_client::{Amount, Buyer, CreatePaymentSession, Currency, Goods, Order};
    let sgd = Currency::from_code("SGD").unwrap();
    let order = Order::with_goods(
        format!("ORDER-{rid}"),
        "Kopi",
        [Goods::new("KOPI", "Kopi", Amount::new(sgd, 1000), 1)],
    )
    .unwrap()
    .buyer(Buyer::new("BUYER-1", "Tan Ah Kow"));
    CreatePaymentSession::new(rid, order, "https://shop.example/back").notify_url(notify_url)
}

/// The store of the data dir `dir` (or of the database `db_url`), opened as
/// `cashier serve` opens it.
pub async fn open_store(dir: &Path, db_url: Option<String>) -> Arc<dyn Store> {
    let mut config = cashier_gateway::Config::new(dir);
    config.database_url = db_url;
    cashier_gateway::app::open_store(&config)
        .await
        .expect("store opens")
}

/// How many delivery attempts of the notification the store recorded as
/// acknowledged.
pub async fn acknowledged_attempts(store: &dyn Store, notification_id: &str) -> usize {
    store
        .delivery_attempts(&NotificationId::from(notification_id))
        .await
        .unwrap()
        .iter()
        .filter(|a| a.acknowledged)
        .count()
}

/// How many delivery attempts of the notification were acknowledged: at
/// most one, or the test fails (`key` names it).
pub async fn acknowledgements(store: &dyn Store, notification_id: &str, key: &str) -> usize {
    let acks = acknowledged_attempts(store, notification_id).await;
    assert!(acks <= 1, "{key}: acknowledged {acks} times");
    acks
}

/// Checks what the endpoint received against `expected` (dedupe key →
/// result code): every delivery signed, only expected notifications, every
/// delivery of one carrying its result code, each processed once. Returns
/// how many deliveries were repeats.
pub fn check_deliveries(
    ledger: &Ledger,
    expected: &std::collections::BTreeMap<String, String>,
) -> usize {
    assert_eq!(ledger.bad_signatures, 0);
    let mut redelivered = 0;
    for (key, codes) in &ledger.deliveries {
        let want = expected
            .get(key)
            .unwrap_or_else(|| panic!("unexpected notification {key}"));
        assert!(
            codes.iter().all(|c| c == want),
            "{key}: {codes:?}, want {want}"
        );
        assert_eq!(ledger.processed[key], 1);
        redelivered += codes.len() - 1;
    }
    redelivered
}

// ------------------------------------------------------------ the dashboard

/// The password [`create_user`] and [`create_admin`] give dashboard users.
pub const PASSWORD: &str = "a long enough password";

/// `cashier user create --password-stdin` with [`PASSWORD`] for the
/// merchant `client_id`.
pub fn create_user(db_url: Option<&str>, data_dir: &Path, email: &str, client_id: &str) {
    user_create(
        db_url,
        data_dir,
        &["--email", email, "--client-id", client_id],
    );
}

/// `cashier user create --admin --password-stdin` with [`PASSWORD`].
pub fn create_admin(db_url: Option<&str>, data_dir: &Path, email: &str) {
    user_create(db_url, data_dir, &["--email", email, "--admin"]);
}

fn user_create(db_url: Option<&str>, data_dir: &Path, args: &[&str]) {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cashier(db_url)
        .args(["user", "create"])
        .args(args)
        .args(["--password-stdin", "--data-dir"])
        .arg(data_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A browser on the dashboard of one node: it keeps its cookies, and
/// follows no redirects.
pub struct Dashboard {
    pub base: String,
    pub http: reqwest::Client,
    pub cookies: std::collections::BTreeMap<String, String>,
}

impl Dashboard {
    /// A browser with no session, connecting from `from` (any 127.0.0.0/8
    /// address; the gateway sees it as the client's address) or the default.
    pub fn new(base: &str, from: Option<std::net::IpAddr>) -> Dashboard {
        Dashboard {
            base: base.to_string(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .local_address(from)
                .build()
                .unwrap(),
            cookies: std::collections::BTreeMap::new(),
        }
    }

    /// Logged in as `email` with [`PASSWORD`].
    pub async fn login(base: &str, email: &str) -> Dashboard {
        let mut d = Dashboard::new(base, None);
        let csrf = d.login_csrf().await;
        let r = d.try_login(&csrf, email, PASSWORD).await;
        assert_eq!(r.0, 303, "login: {}", r.1);
        d
    }

    /// Opens the login page: the CSRF token of its form.
    pub async fn login_csrf(&mut self) -> String {
        let (_, html) = self.get("/dashboard/login").await;
        input_value(&html, "csrf").expect("a CSRF token")
    }

    /// Posts the login form: its status (303 logged in, 401 wrong
    /// password, 429 throttled) and body.
    pub async fn try_login(&mut self, csrf: &str, email: &str, password: &str) -> (u16, String) {
        let req = self
            .http
            .post(format!("{}/dashboard/login", self.base))
            .form(&[("csrf", csrf), ("email", email), ("password", password)]);
        self.send(req).await
    }

    pub async fn send(&mut self, req: reqwest::RequestBuilder) -> (u16, String) {
        let cookie: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let r = req
            .header("cookie", cookie.join("; "))
            .send()
            .await
            .unwrap();
        for c in r.headers().get_all("set-cookie") {
            let c = c.to_str().unwrap();
            let kv = c.split(';').next().unwrap();
            if let Some((k, v)) = kv.split_once('=') {
                self.cookies.insert(k.to_string(), v.to_string());
            }
        }
        (r.status().as_u16(), r.text().await.unwrap())
    }

    pub async fn get(&mut self, path: &str) -> (u16, String) {
        let req = self.http.get(format!("{}{path}", self.base));
        self.send(req).await
    }

    /// Opens `page` and submits `fields` with its CSRF token to `action`,
    /// as the page's form would: the answer's status and body.
    pub async fn submit(
        &mut self,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> (u16, String) {
        let (_, html) = self.get(page).await;
        let csrf = input_value(&html, "csrf").expect("a CSRF token");
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        let req = self.http.post(format!("{}{action}", self.base)).form(&form);
        self.send(req).await
    }
}
