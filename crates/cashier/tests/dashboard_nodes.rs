//! The dashboard's shared state across `cashier serve` processes: the API
//! request log lives in the store, so a request answered by node A shows on
//! node B's Developers page (two real nodes on one PostgreSQL database), and
//! it survives a graceful restart (SIGTERM) of a SQLite node, whose
//! buffered entries are written on the way out.
//!
//! The PostgreSQL test runs when `CASHIER_TEST_POSTGRES_URL` is set (CI
//! sets it); without it the test says so on stderr and passes.

mod common;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use cashier_gateway::store::postgres::admin::ScratchDatabase;
use common::{free_port, merchant_client, merchant_create, wait_readyz, Running};
use serde_json::{json, Value};

const PASSWORD: &str = "a long enough password";

/// `cashier serve` on `data_dir` (and `db_url`, else SQLite there); its base
/// URL once ready.
async fn serve(db_url: Option<&str>, data_dir: &Path) -> (Running, String) {
    let port = free_port();
    let server = Running::new(
        common::cashier(db_url)
            .args([
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--data-dir",
            ])
            .arg(data_dir)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cashier serve starts"),
    );
    let base = format!("http://127.0.0.1:{port}");
    wait_readyz(&base, 200, Duration::from_secs(30), None).await;
    (server, base)
}

/// `cashier user create --password-stdin` for the merchant.
fn create_user(db_url: Option<&str>, data_dir: &Path, email: &str, client_id: &str) {
    let mut child = common::cashier(db_url)
        .args(["user", "create", "--email", email, "--client-id", client_id])
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

/// A browser logged in to the dashboard of one node.
struct Dashboard {
    base: String,
    http: reqwest::Client,
    cookies: BTreeMap<String, String>,
}

impl Dashboard {
    async fn login(base: &str, email: &str) -> Dashboard {
        let mut d = Dashboard {
            base: base.to_string(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: BTreeMap::new(),
        };
        let (_, html) = d.get("/dashboard/login").await;
        let csrf = common::input_value(&html, "csrf").expect("a CSRF token");
        let r = d
            .send(d.http.post(format!("{base}/dashboard/login")).form(&[
                ("csrf", csrf.as_str()),
                ("email", email),
                ("password", PASSWORD),
            ]))
            .await;
        assert_eq!(r.0, 303, "login: {}", r.1);
        d
    }

    async fn send(&mut self, req: reqwest::RequestBuilder) -> (u16, String) {
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

    async fn get(&mut self, path: &str) -> (u16, String) {
        let req = self.http.get(format!("{}{path}", self.base));
        self.send(req).await
    }
}

/// The paymentRequestIds in the API request log of a Developers page, newest first.
fn logged_request_ids(html: &str) -> Vec<String> {
    html.split("<tr class=\"api-request\">")
        .skip(1)
        .map(|row| {
            let cells: Vec<&str> = row
                .split("<td")
                .skip(1)
                .map(|c| {
                    let c = &c[c.find('>').unwrap() + 1..];
                    &c[..c.find("</td>").unwrap()]
                })
                .collect();
            cells[4].to_string()
        })
        .collect()
}

async fn inquire(client: &cashier_client::Client, request_id: &str) {
    let raw = client
        .send_raw(
            cashier_client::INQUIRY_PAYMENT,
            json!({ "paymentRequestId": request_id })
                .to_string()
                .as_bytes(),
        )
        .await
        .expect("a signed answer");
    let v: Value = serde_json::from_str(&raw.body).unwrap();
    assert_eq!(v["result"]["resultCode"], "ORDER_NOT_EXIST", "{v}");
}

#[tokio::test]
async fn an_api_call_to_node_a_shows_on_node_b_developers_page() {
    let Ok(admin) = std::env::var("CASHIER_TEST_POSTGRES_URL") else {
        eprintln!("CASHIER_TEST_POSTGRES_URL is not set: the two-node dashboard test is skipped");
        return;
    };
    let db = ScratchDatabase::create(&admin)
        .await
        .expect("a scratch database");
    let url = Some(db.url.as_str());
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let m = merchant_create(common::cashier(url), "Two Nodes", Some(dir_a.path()), &[]);
    let client_id = m["clientId"].as_str().unwrap();
    // Every node signs with the deployment's one gateway key.
    std::fs::copy(
        dir_a.path().join("gateway_key.pk8"),
        dir_b.path().join("gateway_key.pk8"),
    )
    .unwrap();
    create_user(url, dir_a.path(), "owner@two.example", client_id);
    let (_a, base_a) = serve(url, dir_a.path()).await;
    let (_b, base_b) = serve(url, dir_b.path()).await;

    let mut page_b = Dashboard::login(&base_b, "owner@two.example").await;
    let (status, html) = page_b.get("/dashboard/developers").await;
    assert_eq!(status, 200);
    assert!(logged_request_ids(&html).is_empty(), "{html}");

    // Three calls answered by node A only.
    let via_a = merchant_client(&base_a, &m);
    for rid in ["NODE-A-1", "NODE-A-2", "NODE-A-3"] {
        inquire(&via_a, rid).await;
    }
    // Node A writes its buffer within about a second; node B reads the store.
    let t0 = Instant::now();
    let ids = loop {
        let (_, html) = page_b.get("/dashboard/developers").await;
        let ids = logged_request_ids(&html);
        if ids.len() >= 3 || t0.elapsed() > Duration::from_secs(10) {
            break ids;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(ids, ["NODE-A-3", "NODE-A-2", "NODE-A-1"], "newest first");
    assert!(
        t0.elapsed() < Duration::from_secs(5),
        "visible on node B within a few seconds, took {:?}",
        t0.elapsed()
    );
}

#[tokio::test]
async fn the_api_log_survives_a_graceful_restart_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let m = merchant_create(common::cashier(None), "Restarting", Some(dir.path()), &[]);
    let client_id = m["clientId"].as_str().unwrap();
    create_user(None, dir.path(), "owner@restart.example", client_id);
    let (mut server, base) = serve(None, dir.path()).await;
    let client = merchant_client(&base, &m);
    for rid in ["BEFORE-1", "BEFORE-2", "BEFORE-3"] {
        inquire(&client, rid).await;
    }
    // SIGTERM right away, while the entries are most likely still buffered:
    // the node writes them on its way out and exits cleanly.
    let mut child = server.0.take().unwrap();
    let pid = child.id().to_string();
    assert!(std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let t0 = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(15),
            "serve did not stop after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "a graceful stop exits 0: {status:?}");
    let store = common::open_store(dir.path(), None).await;
    let rows = store.recent_api_requests(client_id, 100).await.unwrap();
    assert_eq!(rows.len(), 3, "{rows:?}");
    drop(store);

    let (_server, base) = serve(None, dir.path()).await;
    let mut page = Dashboard::login(&base, "owner@restart.example").await;
    let (status, html) = page.get("/dashboard/developers").await;
    assert_eq!(status, 200);
    assert_eq!(
        logged_request_ids(&html),
        ["BEFORE-3", "BEFORE-2", "BEFORE-1"]
    );
    assert!(html.contains("<td>inquiryPayment</td><td>ORDER_NOT_EXIST</td><td>F</td>"));
}
