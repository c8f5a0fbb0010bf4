//! Regression tests for the holes a hostile tester found (issue #22,
//! docs/security.md), each through the real `cashier` binary and, where a
//! store is involved, on SQLite and on PostgreSQL: each such check is an
//! `on_sqlite` and an `on_postgres` test, and the PostgreSQL ones run when
//! `CASHIER_TEST_POSTGRES_URL` is set (CI sets it); without it they are
//! reported as ignored, with the reason (see `build.rs`).
//!
//! Source addresses: every 127.0.0.0/8 address reaches the gateway on
//! loopback, and the gateway sees it as the client's address, so one test
//! can be many clients.

use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::common::ScratchDatabase;
use crate::common::{
    create_admin, create_user, merchant_client, merchant_create, Dashboard, PASSWORD,
};
use serde_json::Value;

use cashier_gateway::store::ClientId;

/// One backend a test runs on: a data dir, and a scratch PostgreSQL
/// database for the PostgreSQL run.
struct Backend {
    name: &'static str,
    dir: tempfile::TempDir,
    db: Option<ScratchDatabase>,
}

impl Backend {
    fn url(&self) -> Option<&str> {
        self.db.as_ref().map(|d| d.url.as_str())
    }
}

/// The SQLite backend.
async fn sqlite() -> Backend {
    Backend {
        name: "sqlite",
        dir: tempfile::tempdir().unwrap(),
        db: None,
    }
}

/// The PostgreSQL backend: only for the `on_postgres` tests, which are
/// ignored unless `CASHIER_TEST_POSTGRES_URL` is set.
async fn postgres() -> Backend {
    Backend {
        name: "postgres",
        dir: tempfile::tempdir().unwrap(),
        db: Some(crate::common::scratch_database().await),
    }
}

/// Turns a check, an async fn taking the [`Backend`], into an `on_sqlite`
/// and an `on_postgres` test (`cargo test -p cashier --test cashier security:: on_sqlite` runs them on SQLite).
macro_rules! on_each_backend {
    ($check:ident) => {
        mod $check {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn on_sqlite() {
                super::$check(super::sqlite().await).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            #[cfg_attr(
                not(postgres_tests),
                ignore = "needs PostgreSQL: set CASHIER_TEST_POSTGRES_URL"
            )]
            async fn on_postgres() {
                super::$check(super::postgres().await).await;
            }
        }
    };
}

fn addr(s: &str) -> Option<IpAddr> {
    Some(s.parse().unwrap())
}

/// Fires `n` logins at once from `from`, the i-th with `attempt(i)`'s
/// email and password: the statuses, in order.
async fn login_burst(
    base: &str,
    from: Option<IpAddr>,
    n: usize,
    attempt: impl Fn(usize) -> (String, String),
) -> Vec<u16> {
    login_burst_across(&[base.to_string()], from, n, attempt).await
}

/// [`login_burst`] spread over nodes sharing one database and gateway key:
/// the i-th login goes to node `i % bases.len()`.
async fn login_burst_across(
    bases: &[String],
    from: Option<IpAddr>,
    n: usize,
    attempt: impl Fn(usize) -> (String, String),
) -> Vec<u16> {
    let mut page = Dashboard::new(&bases[0], from);
    let csrf = page.login_csrf().await;
    let cookie = page
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let mut set = tokio::task::JoinSet::new();
    for i in 0..n {
        let (email, password) = attempt(i);
        let req = page
            .http
            .post(format!("{}/dashboard/login", bases[i % bases.len()]))
            .header("cookie", cookie.clone())
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", &email),
                ("password", &password),
            ]);
        set.spawn(async move { (i, req.send().await.unwrap().status().as_u16()) });
    }
    let mut statuses = vec![0; n];
    while let Some(r) = set.join_next().await {
        let (i, status) = r.unwrap();
        statuses[i] = status;
    }
    statuses
}

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

// ------------------------------------------------------------ 1. the login throttle

/// 100 parallel logins for one email, the right password among them, check
/// at most 5 passwords (the email's limit); then the right password is
/// refused too. 100 parallel logins from one address, each for another
/// email, check at most 20 (the address's limit). On PostgreSQL the bursts
/// are spread over two nodes: the limits hold across them.
async fn login_throttle_holds_under_parallel_attempts(b: Backend) {
    let m = merchant_create(
        crate::common::cashier(b.url()),
        "Throttle",
        Some(b.dir.path()),
        &[],
    );
    let email = "owner@throttle.example";
    create_user(
        b.url(),
        b.dir.path(),
        email,
        m["clientId"].as_str().unwrap(),
    );
    let (_server, base) = crate::common::serve(b.url(), b.dir.path(), &[]).await;
    let mut bases = vec![base.clone()];
    let second_dir = tempfile::tempdir().unwrap();
    let _second = match b.url() {
        Some(url) => {
            let key = "gateway_key.pk8";
            std::fs::copy(b.dir.path().join(key), second_dir.path().join(key)).unwrap();
            let (node, base) = crate::common::serve(Some(url), second_dir.path(), &[]).await;
            bases.push(base);
            Some(node)
        }
        None => None,
    };

    let statuses = login_burst_across(&bases, addr("127.0.0.2"), 100, |i| {
        let password = if i == 50 { PASSWORD } else { "wrong password!" };
        (email.to_string(), password.to_string())
    })
    .await;
    let checked = count(&statuses, 401) + count(&statuses, 303);
    assert!(checked <= 5, "{}: {checked} passwords checked", b.name);
    assert!(checked >= 1, "{}: nothing was checked", b.name);
    assert_eq!(count(&statuses, 429), 100 - checked, "{}", b.name);
    if statuses[50] != 303 {
        // The right password came after the limit: no way in now.
        let mut page = Dashboard::new(&base, addr("127.0.0.4"));
        let csrf = page.login_csrf().await;
        let (status, body) = page.try_login(&csrf, email, PASSWORD).await;
        assert_eq!(status, 429, "{}: {body}", b.name);
        assert!(body.contains("Too many failed logins"), "{body}");
    }

    let statuses = login_burst_across(&bases, addr("127.0.0.3"), 100, |i| {
        (format!("nobody{i}@throttle.example"), "wrong".into())
    })
    .await;
    let checked = count(&statuses, 401);
    assert!(
        checked <= 20,
        "{}: {checked} checked from one address",
        b.name
    );
    assert!(checked >= 1, "{}: nothing was checked", b.name);
    assert_eq!(count(&statuses, 429), 100 - checked, "{}", b.name);
}

on_each_backend!(login_throttle_holds_under_parallel_attempts);

// ------------------------------------------------------------ 2. memory of password checks

/// Resident and peak resident memory of a process, in KiB.
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap()
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// The most memory 200 parallel logins may add: two password checks of
/// 19 MiB at once ([`cashier_gateway::dashboard::auth::HASH_SLOTS`]), plus
/// 26 MiB for the requests themselves. (Measured: 45 MiB.)
const LOGIN_BURST_MAX_GROWTH_KIB: u64 = 64 * 1024;

/// 200 parallel logins for known emails (each a real argon2 check) from
/// ten addresses: peak memory grows by at most two checks' worth plus
/// request overhead, and falls back afterwards. (Before the bound, 160
/// such logins took the gateway to 3 GiB.)
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn password_checks_under_200_parallel_logins_stay_within_bounded_memory() {
    use cashier_gateway::dashboard::auth::{hash_password, HASH_SLOTS, MEMORY_KEPT_IDLE};
    use cashier_gateway::store::{DashboardUser, ROLE_ADMIN};
    assert_eq!(HASH_SLOTS, 2, "update the bound with the slots");
    let dir = tempfile::tempdir().unwrap();
    merchant_create(
        crate::common::cashier(None),
        "Memory",
        Some(dir.path()),
        &[],
    );
    // 40 users (5 attempts each stay inside each email's limit), one hash
    // for all.
    let store = crate::common::open_store(dir.path(), None).await;
    let phc = hash_password(PASSWORD).unwrap();
    for i in 0..40 {
        store
            .insert_dashboard_user(&DashboardUser {
                user_id: format!("u_mem{i}"),
                email: format!("user{i}@memory.example"),
                role: ROLE_ADMIN.into(),
                client_id: None,
                password_hash: Some(phc.clone()),
                setup_token_hash: None,
                setup_expires_at: None,
                created_at: cashier_gateway::store::Timestamp::from_millis(0),
            })
            .await
            .unwrap();
    }
    drop(store);
    let (server, base) = crate::common::serve(None, dir.path(), &[]).await;
    let pid = server.0.as_ref().unwrap().id();
    // Warm up the connection handling and the database with a login that
    // checks no password (an unknown email, once a check was timed).
    login_burst(&base, addr("127.0.1.1"), 1, |_| {
        ("user0@memory.example".into(), "wrong".into())
    })
    .await;
    login_burst(&base, addr("127.0.1.1"), 1, |_| {
        ("nobody@memory.example".into(), "wrong".into())
    })
    .await;
    // The check's buffer is freed once no check ran for MEMORY_KEPT_IDLE.
    tokio::time::sleep(MEMORY_KEPT_IDLE + Duration::from_millis(500)).await;
    let (before, _) = memory_kib(pid);

    let mut bursts = tokio::task::JoinSet::new();
    for a in 0..10 {
        let base = base.clone();
        bursts.spawn(async move {
            // 20 per address (its limit): users 4a..4a+3, five each.
            login_burst(&base, addr(&format!("127.0.2.{}", a + 1)), 20, move |i| {
                (
                    format!("user{}@memory.example", a * 4 + i / 5),
                    "wrong".into(),
                )
            })
            .await
        });
    }
    let mut statuses = Vec::new();
    while let Some(r) = bursts.join_next().await {
        statuses.extend(r.unwrap());
    }
    assert_eq!(statuses.len(), 200);
    // Checked (401) or, on a slow machine, refused as busy (429): nothing else.
    assert_eq!(
        count(&statuses, 401) + count(&statuses, 429),
        200,
        "{statuses:?}"
    );
    assert!(count(&statuses, 401) >= 10, "{statuses:?}");

    let (after, peak) = memory_kib(pid);
    eprintln!("RSS before {before} KiB, peak {peak} KiB, after {after} KiB");
    assert!(
        peak <= before + LOGIN_BURST_MAX_GROWTH_KIB,
        "peak {peak} KiB, {} KiB over {before} KiB",
        peak - before
    );
    // And given back once logins stop (MEMORY_KEPT_IDLE): no more than
    // where it started, give or take 8 MiB.
    let settled = crate::common::eventually(Duration::from_secs(30), || async {
        let (now, _) = memory_kib(pid);
        (now <= before + 8 * 1024).then_some(now)
    })
    .await;
    assert!(settled.is_some(), "RSS stayed at {} KiB", memory_kib(pid).0);
}

// ------------------------------------------------------------ 3. totals past i64

/// The largest amount a payment may have: 16 digits (docs/protocol.md §3.1).
const LARGEST: i64 = 9_999_999_999_999_999;
/// Payments of [`LARGEST`] whose total passes `i64::MAX`.
const PAST_I64: i64 = 923;

/// 923 paid payments of the largest amount, about 9.23 × 10^18 minor
/// units in all: the overview answers with the exact total (it answered
/// 503 "integer overflow" for everyone), and the day's settlement summary
/// carries it exactly (it wrapped to a negative number).
async fn money_totals_past_i64_are_exact_on_the_overview_and_in_reports(b: Backend) {
    let m = merchant_create(
        crate::common::cashier(b.url()),
        "Big",
        Some(b.dir.path()),
        &[],
    );
    let client_id = m["clientId"].as_str().unwrap().to_string();
    create_admin(b.url(), b.dir.path(), "ops@big.example");
    let (_server, base) = crate::common::serve(
        b.url(),
        b.dir.path(),
        &["--sandbox-simulation", "--rate-limit", "0"],
    )
    .await;
    let day = || (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let first_day = day();
    pay_largest(&base, &m, PAST_I64).await;

    let total = i128::from(LARGEST) * i128::from(PAST_I64);
    assert!(total > i128::from(i64::MAX));
    let mut page = Dashboard::login(&base, "ops@big.example").await;
    let (status, html) = page.get("/dashboard/overview").await;
    assert_eq!(status, 200, "{}: {html}", b.name);
    let shown = format!("USD {}.{:02}", total / 100, total % 100);
    assert!(
        html.contains(&shown),
        "{}: {shown} not on the overview",
        b.name
    );

    if day() != first_day {
        eprintln!(
            "{}: the UTC+8 day changed while paying; report not checked",
            b.name
        );
        return;
    }
    let out = crate::common::run_ok(
        crate::common::cashier(b.url())
            .args(["report", "--client-id", &client_id, "--date"])
            .arg(first_day.format("%Y-%m-%d").to_string())
            .arg("--data-dir")
            .arg(b.dir.path()),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let summary = stdout
        .lines()
        .find(|l| l.contains("settlementSummary_USD"))
        .unwrap_or_else(|| panic!("{}: no USD summary in {stdout}", b.name));
    let rows = summary_rows(Path::new(summary.trim()));
    let payment: i128 = rows["PAYMENT"].parse().unwrap();
    let fee: i128 = rows["FEE"].parse().unwrap();
    let net: i128 = rows["TOTAL"].parse().unwrap();
    assert_eq!(payment, total, "{}", b.name);
    assert!(fee <= 0 && net > 0, "{}: fee {fee}, total {net}", b.name);
    assert_eq!(net, payment + fee, "{}", b.name);
}

on_each_backend!(money_totals_past_i64_are_exact_on_the_overview_and_in_reports);

/// Creates `n` sessions of the largest USD amount and pays each through
/// the sandbox simulation, 16 at a time.
async fn pay_largest(base: &str, merchant: &Value, n: i64) {
    use cashier_client::{Amount, Buyer, CreatePaymentSession, Currency, Goods, Order};
    let client = Arc::new(merchant_client(base, merchant));
    let client_id = merchant["clientId"].as_str().unwrap().to_string();
    let usd = Currency::from_code("USD").unwrap();
    let slots = Arc::new(tokio::sync::Semaphore::new(16));
    let http = reqwest::Client::new();
    let mut set = tokio::task::JoinSet::new();
    for i in 0..n {
        let (client, http, base, client_id) = (
            client.clone(),
            http.clone(),
            base.to_string(),
            client_id.clone(),
        );
        let slot = slots.clone().acquire_owned().await.unwrap();
        set.spawn(async move {
            let rid = format!("BIG-{i}");
            let amount = Amount::new(usd, LARGEST as u64);
            let order = Order::with_goods(
                format!("ORDER-{i}"),
                "A very large order",
                [Goods::new("YACHT", "A yacht", amount, 1)],
            )
            .unwrap()
            .buyer(Buyer::new("BUYER-1", "Tan Ah Kow"));
            let req = CreatePaymentSession::new(&rid, order, "https://shop.example/back");
            client.send(&req).await.unwrap();
            let paid = crate::common::simulated(&http, &base, &client_id, &rid, "SUCCESS").await;
            assert_eq!(paid["paymentStatus"], "SUCCESS", "{paid}");
            drop(slot);
        });
    }
    while let Some(r) = set.join_next().await {
        r.unwrap();
    }
}

/// `summaryType` → `settlementAmountValue` of a settlement summary file.
fn summary_rows(path: &Path) -> std::collections::BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| *l != "<END>")
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[3].to_string(), f[4].to_string())
        })
        .collect()
}

// ------------------------------------------------------------ 4. unauthenticated API floods

/// An API call from `from`: `signed` by the merchant's key, or with a
/// signature that does not verify. Status, signature header, body.
async fn api_call(
    base: &str,
    from: Option<IpAddr>,
    merchant: &Value,
    body: &str,
    signed: bool,
) -> (u16, Option<String>, Value) {
    let client = merchant_client(base, merchant);
    let mut s = client
        .sign_request(cashier_client::INQUIRY_PAYMENT, body.as_bytes())
        .unwrap();
    let path = s.path.clone();
    if !signed {
        s.signature = cashier_protocol::signing::signature_header(1, "Zm9yZ2Vk");
    }
    let r = reqwest::Client::builder()
        .local_address(from)
        .build()
        .unwrap()
        .post(format!("{base}{path}"))
        .header("content-type", "application/json; charset=UTF-8")
        .header("client-id", &s.client_id)
        .header("request-time", &s.request_time)
        .header("signature", &s.signature)
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await.unwrap();
    let signature = headers
        .get("signature")
        .map(|v| v.to_str().unwrap().to_string());
    if let Some(sig) = &signature {
        let key =
            cashier_client::PublicKey::from_text(merchant["gatewayPublicKey"].as_str().unwrap())
                .unwrap();
        cashier_client::verify_signature(
            &key,
            &path,
            headers["client-id"].to_str().unwrap(),
            headers["response-time"].to_str().unwrap(),
            sig,
            text.as_bytes(),
        )
        .expect("every signed answer verifies");
    }
    (status, signature, serde_json::from_str(&text).unwrap())
}

/// A metric's value in `/metrics` (0 when absent).
async fn metric(base: &str, series: &str) -> f64 {
    let text = reqwest::get(format!("{base}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(series).and_then(|v| v.trim().parse().ok()))
        .unwrap_or(0.0)
}

/// A burst of forged API calls from one address gets signed answers up to
/// the address's limit (5 a second here) and unsigned 429s after it, while a
/// properly signed call from the same address is still answered, signed;
/// identical forgeries within a second reuse one signature. (Before, every
/// forgery cost an RSA signature: 1,800/s raised a real merchant's p99
/// from 4 to 33 ms.)
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn failed_authentication_floods_cost_no_signatures_past_the_address_limit() {
    let dir = tempfile::tempdir().unwrap();
    let m = merchant_create(crate::common::cashier(None), "Flood", Some(dir.path()), &[]);
    let (_server, base) =
        crate::common::serve(None, dir.path(), &["--auth-failure-limit", "5"]).await;
    let forger = addr("127.0.0.5");

    let mut set = tokio::task::JoinSet::new();
    for i in 0..60 {
        let (base, m) = (base.clone(), m.clone());
        set.spawn(async move {
            let body = format!(r#"{{"paymentRequestId":"FORGED-{i}"}}"#);
            api_call(&base, forger, &m, &body, false).await
        });
    }
    let (mut signed, mut unsigned) = (0, 0);
    while let Some(r) = set.join_next().await {
        let (status, signature, body) = r.unwrap();
        match status {
            200 => {
                assert!(signature.is_some());
                assert_eq!(body["result"]["resultCode"], "INVALID_SIGNATURE", "{body}");
                signed += 1;
            }
            429 => {
                assert!(signature.is_none(), "a throttled answer costs no signature");
                assert_eq!(body["result"]["resultCode"], "REQUEST_TRAFFIC_EXCEED_LIMIT");
                assert_eq!(body["result"]["resultStatus"], "U");
                unsigned += 1;
            }
            other => panic!("status {other}: {body}"),
        }
    }
    assert!(
        signed >= 5 && unsigned >= 1,
        "{signed} signed, {unsigned} unsigned"
    );

    // The merchant, from the same address: verified and answered as usual.
    let body = r#"{"paymentRequestId":"REAL-1"}"#;
    let (status, signature, answer) = api_call(&base, forger, &m, body, true).await;
    assert_eq!((status, signature.is_some()), (200, true), "{answer}");
    assert_eq!(
        answer["result"]["resultCode"], "ORDER_NOT_EXIST",
        "{answer}"
    );

    // Identical forgeries from another address (within its burst of 5):
    // one signature a second.
    let reused_before = metric(&base, "cashier_api_auth_failures_total{answer=\"reused\"}").await;
    for _ in 0..5 {
        let body = r#"{"paymentRequestId":"SAME"}"#;
        let (status, signature, _) = api_call(&base, addr("127.0.0.6"), &m, body, false).await;
        assert_eq!((status, signature.is_some()), (200, true));
    }
    let reused = metric(&base, "cashier_api_auth_failures_total{answer=\"reused\"}").await;
    assert!(reused - reused_before >= 3.0, "{reused_before} → {reused}");
    assert!(
        metric(
            &base,
            "cashier_api_auth_failures_total{answer=\"unsigned\"}"
        )
        .await
            >= 1.0
    );
    assert!(metric(&base, "cashier_rate_limited_total{scope=\"auth_failure\"}").await >= 1.0);
}

// ------------------------------------------------------------ 5. the Developers page's log

/// 150 forged requests naming a merchant's client id, after 3 of its own:
/// its own are still the log of the Developers page, and the forgeries are
/// in a separate list. (Before, the forgeries pushed its requests out.)
async fn forged_requests_cannot_push_a_merchants_requests_out_of_its_api_log(b: Backend) {
    let m = merchant_create(
        crate::common::cashier(b.url()),
        "Log",
        Some(b.dir.path()),
        &[],
    );
    let client_id = m["clientId"].as_str().unwrap();
    let email = "owner@log.example";
    create_user(b.url(), b.dir.path(), email, client_id);
    let (_server, base) = crate::common::serve(b.url(), b.dir.path(), &[]).await;
    for i in 0..3 {
        let body = format!(r#"{{"paymentRequestId":"OWN-{i}"}}"#);
        let (status, _, _) = api_call(&base, None, &m, &body, true).await;
        assert_eq!(status, 200);
    }
    for i in 0..150 {
        // From many addresses, as a forger with a botnet would.
        let from = addr(&format!("127.0.3.{}", i % 50 + 1));
        let body = format!(r#"{{"paymentRequestId":"FORGED-{i}"}}"#);
        let (status, _, _) = api_call(&base, from, &m, &body, false).await;
        assert_eq!(status, 200);
    }
    let mut page = Dashboard::login(&base, email).await;
    let (status, html) = page.get("/dashboard/developers").await;
    assert_eq!(status, 200, "{}: {html}", b.name);
    let own = html.matches("<tr class=\"api-request\">").count();
    let forged = html.matches("<tr class=\"api-request-failed\">").count();
    assert_eq!(own, 3, "{}: the merchant's own requests", b.name);
    assert_eq!(forged, 20, "{}: the newest forgeries, apart", b.name);
    assert!(
        html.contains("OWN-2") && !html.contains("FORGED-"),
        "{}",
        b.name
    );
}

on_each_backend!(forged_requests_cannot_push_a_merchants_requests_out_of_its_api_log);

// ------------------------------------------------------------ 6. 6to4 and Teredo

/// Notify URLs whose IPv6 address embeds a private IPv4 address (6to4,
/// Teredo, local-use NAT64) are refused like every other spelling of one;
/// the same tunnels around public addresses are accepted.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn notify_urls_tunnelling_to_private_ipv4_addresses_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let m = merchant_create(
        crate::common::cashier(None),
        "Tunnel",
        Some(dir.path()),
        &[],
    );
    let (_server, base) = crate::common::serve(None, dir.path(), &[]).await;
    let client = merchant_client(&base, &m);
    for (i, url) in [
        "http://[2002:7f00:1::]/notify",
        "http://[2002:a9fe:a9fe::1]:8080/notify",
        "http://[2001:0:7f00:1::1]/notify",
        "http://[2001:0:808:808::f5ff:fffe]/notify",
        "http://[64:ff9b:1::a00:1]/notify",
    ]
    .iter()
    .enumerate()
    {
        let rid = format!("TUNNEL-{i}");
        match client.send(&crate::common::session(&rid, url)).await {
            Err(cashier_client::Error::Api { result_code, .. }) => {
                assert_eq!(result_code, "PARAM_ILLEGAL", "{url}")
            }
            other => panic!("{url} accepted: {other:?}"),
        }
        let inquiry = cashier_client::InquiryPayment::by_request_id(&rid);
        match client.send(&inquiry).await {
            Err(cashier_client::Error::Api { result_code, .. }) => {
                assert_eq!(result_code, "ORDER_NOT_EXIST", "{url}: nothing was created")
            }
            other => panic!("{url}: {other:?}"),
        }
    }
    for (i, url) in [
        "http://[2002:808:808::1]/notify",
        "http://[2001:0:808:808::f7f7:fbfb]/notify",
    ]
    .iter()
    .enumerate()
    {
        let created = client
            .send(&crate::common::session(&format!("PUBLIC-{i}"), url))
            .await;
        assert!(created.is_ok(), "{url}: {created:?}");
    }
}

// ------------------------------------------------------------ 7. no DNS facts for merchants

/// This machine's host name, which resolves to a private or loopback
/// address: a notify URL on it passes the check of the URL itself and is
/// refused when resolved for delivery.
async fn private_host_name() -> (String, Vec<IpAddr>) {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap()
        .trim()
        .to_string();
    let addrs: Vec<IpAddr> = tokio::net::lookup_host((host.as_str(), 0))
        .await
        .unwrap_or_else(|e| panic!("{host} does not resolve: {e}"))
        .map(|a| a.ip())
        .collect();
    assert!(
        addrs
            .iter()
            .any(|a| cashier_gateway::notify::is_private(*a)),
        "precondition: {host} resolves to {addrs:?}"
    );
    (host, addrs)
}

/// "Send test notification" and the delivery log of a payment tell the
/// merchant that the host does not resolve to a public address, and
/// nothing of what it resolves to. (They said "vm resolves to 127.0.0.1".)
async fn delivery_errors_show_merchants_no_internal_addresses(b: Backend) {
    let (host, addrs) = private_host_name().await;
    let unresolvable = cashier_gateway::notify::UNRESOLVABLE.replace('\'', "&#39;");
    let url = format!("http://{host}:9/notify");
    let m = merchant_create(
        crate::common::cashier(b.url()),
        "Dns",
        Some(b.dir.path()),
        &["--notify-url", &url],
    );
    let client_id = m["clientId"].as_str().unwrap().to_string();
    let email = "owner@dns.example";
    create_user(b.url(), b.dir.path(), email, &client_id);
    let (_server, base) =
        crate::common::serve(b.url(), b.dir.path(), &["--sandbox-simulation"]).await;
    let mut page = Dashboard::login(&base, email).await;

    let action = format!("/dashboard/settings/test-notification?client={client_id}");
    let (status, html) = page.submit("/dashboard/settings", &action, &[]).await;
    assert_eq!(status, 200, "{}: {html}", b.name);
    assert!(html.contains(&unresolvable), "{}: {html}", b.name);

    let client = merchant_client(&base, &m);
    client
        .send(&crate::common::session("DNS-1", &url))
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let paid = crate::common::simulated(&http, &base, &client_id, "DNS-1", "SUCCESS").await;
    let payment_id = paid["paymentId"].as_str().unwrap().to_string();
    let cookie: Vec<String> = page
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let detail_url = format!("{base}/dashboard/payments/{payment_id}");
    let detail = crate::common::eventually(Duration::from_secs(20), || {
        let req = page
            .http
            .get(&detail_url)
            .header("cookie", cookie.join("; "));
        let want = unresolvable.clone();
        async move {
            let html = req.send().await.ok()?.text().await.ok()?;
            html.contains(&want).then_some(html)
        }
    })
    .await
    .unwrap_or_else(|| panic!("{}: no delivery attempt recorded", b.name));
    for html in [&html, &detail] {
        for a in &addrs {
            assert!(!html.contains(&a.to_string()), "{}: {a} shown", b.name);
        }
    }
}

on_each_backend!(delivery_errors_show_merchants_no_internal_addresses);

// ------------------------------------------------------------ 8. keys under 2048 bits

/// A 1024-bit RSA public key (`openssl genrsa 1024`), PEM.
const RSA_1024_PEM: &str = "-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwhxDhP9nkJ21ZeMqyXOU4QR6TgXFng9ku9Dn5LF4v0ZmLMks7rVdebR56
N2QNS8lyjP9OO25wm3YB2JkRdU7AQ9ta47l4BwaHGWB0Y7ZIxHaJIUrsCuCwRRYQXrS6O48eA1kAx10kglyvFQCVqPAKq34d
yr5sjn0f5blgXjJY/wIDAQAB
-----END PUBLIC KEY-----
";

/// A 1024-bit key is refused by `merchant create --public-key`, `merchant
/// key add` and the Developers page, so it can never count as an active
/// key; one stored by an older version does not let the last usable key be
/// retired.
async fn rsa_keys_under_2048_bits_are_refused_on_every_path(b: Backend) {
    let small = b.dir.path().join("small.pem");
    std::fs::write(&small, RSA_1024_PEM).unwrap();
    let refused = |out: std::process::Output, what: &str| {
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{}: {what} accepted", b.name);
        assert!(stderr.contains("2048"), "{}: {what}: {stderr}", b.name);
    };
    let mut create = crate::common::cashier(b.url());
    create
        .args(["merchant", "create", "--name", "Small", "--public-key"])
        .arg(&small)
        .arg("--data-dir")
        .arg(b.dir.path());
    refused(create.output().unwrap(), "merchant create");

    let m = merchant_create(
        crate::common::cashier(b.url()),
        "Keys",
        Some(b.dir.path()),
        &[],
    );
    let client_id = m["clientId"].as_str().unwrap().to_string();
    let mut add = crate::common::cashier(b.url());
    add.args(["merchant", "key", "add", &client_id, "--key-version", "2"])
        .arg("--public-key")
        .arg(&small)
        .arg("--data-dir")
        .arg(b.dir.path());
    refused(add.output().unwrap(), "merchant key add");

    let email = "owner@keys.example";
    create_user(b.url(), b.dir.path(), email, &client_id);
    let (_server, base) = crate::common::serve(b.url(), b.dir.path(), &[]).await;
    let mut page = Dashboard::login(&base, email).await;
    let action = format!("/dashboard/developers/keys?client={client_id}");
    let fields = [("key_version", "2"), ("public_key", RSA_1024_PEM)];
    let (status, html) = page.submit("/dashboard/developers", &action, &fields).await;
    assert_eq!(status, 400, "{}: {html}", b.name);
    assert!(html.contains("2048 to 8192 bits"), "{}: {html}", b.name);

    let store = crate::common::open_store(b.dir.path(), b.url().map(str::to_string)).await;
    let keys = store
        .merchant_keys(&ClientId::from(&client_id))
        .await
        .unwrap();
    assert_eq!(keys.len(), 1, "{}: only the good key", b.name);
    // As an older version would have stored it.
    let der = {
        use base64::Engine as _;
        let b64: String = RSA_1024_PEM
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap()
    };
    store
        .insert_merchant_key(&cashier_gateway::store::MerchantKey {
            client_id: client_id.as_str().into(),
            key_version: 2,
            public_key: der,
            created_at: cashier_gateway::store::Timestamp::from_millis(0),
            retired_at: None,
        })
        .await
        .unwrap();
    let out = crate::common::cashier(b.url())
        .args(["merchant", "key", "retire", "--client-id", &client_id])
        .args(["--key-version", "1", "--data-dir"])
        .arg(b.dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success(),
        "{}: the last usable key was retired",
        b.name
    );
    assert!(stderr.contains("only key"), "{}: {stderr}", b.name);
    // The merchant still gets in with key 1.
    let answer = api_call(&base, None, &m, r#"{"paymentRequestId":"K-1"}"#, true).await;
    assert_eq!(
        answer.2["result"]["resultCode"], "ORDER_NOT_EXIST",
        "{}",
        b.name
    );
}

on_each_backend!(rsa_keys_under_2048_bits_are_refused_on_every_path);
