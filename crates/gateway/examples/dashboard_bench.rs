//! Dashboard latency with a large store (issue #5: "with one million
//! payments in the store, the list and detail pages answer in under 50 ms
//! at p99").
//!
//! ```sh
//! cargo run --release -p cashier-gateway --example dashboard_bench -- [ROWS] [REQUESTS]
//! ```
//!
//! Bulk-loads ROWS payments (default 1,000,000) into a fresh SQLite store in
//! one transaction (with, for every successful one, its attempt, its
//! notification and one delivery attempt), starts the real server on a
//! loopback port, logs in as the merchant's dashboard user and times
//! REQUESTS (default 500) sequential requests of each kind over HTTP. Prints
//! p50/p90/p99/max per kind. Bounded: it stops after the fixed number of
//! requests; the load takes about a minute per million rows.

use std::time::{Duration, Instant};

use cashier_gateway::dashboard::{create_user, NewUser};
use cashier_gateway::merchants::{self, NewMerchant};
use cashier_gateway::store::{ClientId, ReportStore, SqliteStore, Timestamp};
use cashier_gateway::{Application, Config};
use rand::Rng;

/// The request path of the i-th request of a kind.
type PathFn = Box<dyn Fn(usize) -> String>;

const CLIENT: &str = "SANDBOX_BENCH";
const PASSWORD: &str = "bench password 1";

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rows: i64 = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let requests: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(500);
    let dir = tempfile::tempdir().expect("temp dir");
    let db_path = dir.path().join(cashier_gateway::app::SQLITE_FILE);
    let now_ts = Timestamp::from(chrono::Utc::now());
    // The bulk load writes rows in SQL, in the columns' milliseconds.
    let now = now_ts.millis();

    // Schema, merchant, user through the library; rows by SQL in bulk.
    {
        let store = SqliteStore::open(&db_path).await.expect("store");
        merchants::create(
            &store,
            NewMerchant {
                name: "Bench",
                client_id: Some(CLIENT),
                public_key: None,
                generate_key: true,
                notify_url: Some("https://merchant.example.com/notify"),
                logo: None,
                fee_bps: 0,
                now: now_ts,
            },
        )
        .await
        .expect("merchant");
        create_user(
            &store,
            NewUser {
                email: "bench@example.com",
                client_id: Some(&ClientId::from(CLIENT)),
                admin: false,
                password: Some(PASSWORD),
                now: now_ts,
            },
        )
        .await
        .expect("user");
        // Keep the report sweep (which would read a month of rows) off
        // this node while it is measured.
        store
            .try_lock_job(
                "reports",
                "bench",
                now_ts + chrono::Duration::days(1),
                now_ts,
            )
            .await
            .unwrap();
    }
    let started = Instant::now();
    bulk_load(&db_path, rows, now).await;
    eprintln!(
        "loaded {rows} payments in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let mut config = Config::new(dir.path());
    config.listen = "127.0.0.1:0".parse().unwrap();
    config.worker_interval = Duration::from_secs(3600);
    let app = Application::build(config).await.expect("gateway starts");
    let base = format!("http://{}", app.addr());
    tokio::spawn(async move { app.run_until_stopped().await });

    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let cookie = login(&http, &base).await;

    // Ids to look up: a random sample of what was loaded.
    let mut rng = rand::thread_rng();
    let sample: Vec<i64> = (0..requests).map(|_| rng.gen_range(0..rows)).collect();
    let deep_cursor = format!(
        "{}.{}",
        created_at(rows / 2, rows, now),
        payment_id(rows / 2)
    );
    let kinds: Vec<(&str, PathFn)> = vec![
        (
            "list (first page)",
            Box::new(|_| "/dashboard/payments".into()),
        ),
        (
            "list, deep page (keyset cursor)",
            Box::new(move |_| format!("/dashboard/payments?before={deep_cursor}")),
        ),
        (
            "list, status=SUCCESS&currency=JPY",
            Box::new(|_| "/dashboard/payments?status=SUCCESS&currency=JPY".into()),
        ),
        (
            "list, search by paymentRequestId",
            Box::new({
                let s = sample.clone();
                move |i| format!("/dashboard/payments?q=REQ-{:08}", s[i])
            }),
        ),
        (
            "detail",
            Box::new({
                let s = sample.clone();
                move |i| format!("/dashboard/payments/{}", payment_id(s[i]))
            }),
        ),
    ];
    println!("{rows} payments; {requests} sequential requests per kind; milliseconds");
    println!(
        "{:<36} {:>8} {:>8} {:>8} {:>8}",
        "kind", "p50", "p90", "p99", "max"
    );
    for (name, path) in &kinds {
        // Warm-up, not measured.
        for i in 0..requests.min(20) {
            get(&http, &base, &cookie, &path(i)).await;
        }
        let mut ms = Vec::with_capacity(requests);
        for i in 0..requests {
            let t = Instant::now();
            get(&http, &base, &cookie, &path(i)).await;
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        ms.sort_by(|a, b| a.total_cmp(b));
        let q = |p: f64| ms[((ms.len() as f64 * p).ceil() as usize).clamp(1, ms.len()) - 1];
        println!(
            "{name:<36} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
            q(0.50),
            q(0.90),
            q(0.99),
            ms[ms.len() - 1]
        );
    }
}

fn payment_id(i: i64) -> String {
    format!("BENCH{i:027}")
}

/// Spread over the last 30 days, newest last.
fn created_at(i: i64, rows: i64, now: i64) -> i64 {
    now - 30 * 86_400_000 + i * (30 * 86_400_000 / rows.max(1))
}

async fn bulk_load(path: &std::path::Path, rows: i64, now: i64) {
    use sqlx::ConnectOptions;
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
        .connect()
        .await
        .expect("connect");
    let step = 30 * 86_400_000 / rows.max(1);
    let start = now - 30 * 86_400_000;
    let statements = [
        // i % 10: 0-5 SUCCESS, 6 FAIL, 7 CANCELLED, 8 PENDING, 9 PROCESSING;
        // i % 3: SGD, JPY, USD; methods rotate over four.
        format!(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {last})
             INSERT INTO payments (payment_id, client_id, payment_request_id, fingerprint, status, result_code,
                result_message, currency, amount_minor, reference_order_id, order_description, goods_json,
                redirect_url, notify_url, methods_json, session_id, session_data, checkout_token,
                session_expires_at, payment_method_type, created_at, paid_at, closed_at, updated_at)
             SELECT printf('BENCH%027d', i), '{CLIENT}', printf('REQ-%08d', i), 'fp',
                CASE WHEN i % 10 < 6 THEN 'SUCCESS' WHEN i % 10 = 6 THEN 'FAIL' WHEN i % 10 = 7 THEN 'CANCELLED'
                     WHEN i % 10 = 8 THEN 'PENDING' ELSE 'PROCESSING' END,
                CASE WHEN i % 10 < 6 THEN 'SUCCESS' ELSE 'PAYMENT_IN_PROCESS' END, 'm',
                CASE i % 3 WHEN 0 THEN 'SGD' WHEN 1 THEN 'JPY' ELSE 'USD' END, 1000 + i % 5000,
                printf('ORDER-%d', i), 'Bench order', '[]', 'https://merchant.example.com/return',
                'https://merchant.example.com/notify', '[\"CARD\"]', printf('SES%d', i), 'x', printf('TOK%d', i),
                {far}, CASE WHEN i % 10 < 8 THEN (CASE i % 4 WHEN 0 THEN 'CARD' WHEN 1 THEN 'ALIPAY_CN' WHEN 2 THEN 'GRABPAY_SG' ELSE 'GCASH' END) END,
                {start} + i * {step}, CASE WHEN i % 10 < 6 THEN {start} + i * {step} + 5000 END,
                CASE WHEN i % 10 < 8 THEN {start} + i * {step} + 5000 END, {start} + i * {step} + 5000
             FROM n",
            last = rows - 1,
            far = now + 86_400_000,
        ),
        "INSERT INTO payment_attempts (attempt_id, payment_id, nonce, method, state, result_code, created_at, updated_at)
         SELECT 'A' || payment_id, payment_id, 'n', payment_method_type, 'SUCCEEDED', 'SUCCESS', created_at + 1000, paid_at
         FROM payments WHERE status = 'SUCCESS'"
            .to_string(),
        "INSERT INTO notifications (notification_id, client_id, kind, subject_id, payment_id, url, body, status,
            attempts, next_attempt_at, created_at, delivered_at)
         SELECT 'N' || payment_id, client_id, 'PAYMENT_RESULT', payment_id, payment_id, notify_url, '{}', 'DELIVERED',
            1, paid_at, paid_at, paid_at + 40
         FROM payments WHERE status = 'SUCCESS'"
            .to_string(),
        "INSERT INTO notification_attempts (notification_id, attempt_no, attempted_at, http_status, latency_ms,
            response_excerpt, acknowledged)
         SELECT notification_id, 1, created_at, 200, 40, '{\"result\":{\"resultStatus\":\"S\"}}', 1 FROM notifications"
            .to_string(),
    ];
    sqlx::query("BEGIN").execute(&mut conn).await.unwrap();
    for s in &statements {
        sqlx::query(s)
            .execute(&mut conn)
            .await
            .expect("bulk insert");
    }
    sqlx::query("COMMIT").execute(&mut conn).await.unwrap();
    sqlx::query("ANALYZE").execute(&mut conn).await.unwrap();
}

async fn login(http: &reqwest::Client, base: &str) -> String {
    let page = http
        .get(format!("{base}/dashboard/login"))
        .send()
        .await
        .unwrap();
    let pre = page.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let html = page.text().await.unwrap();
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).unwrap() + marker.len();
    let csrf = html[start..start + html[start..].find('"').unwrap()].to_string();
    let r = http
        .post(format!("{base}/dashboard/login"))
        .header("cookie", pre)
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "bench@example.com"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "login");
    r.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("cashier_dash="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

async fn get(http: &reqwest::Client, base: &str, cookie: &str, path: &str) {
    let r = http
        .get(format!("{base}{path}"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r.bytes().await.unwrap();
}
