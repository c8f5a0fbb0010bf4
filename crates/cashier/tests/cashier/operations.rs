//! The operator's door (issue #20, point 4), through the real binary:
//! `--metrics-listen` moves `/metrics` (with the health endpoints) off the
//! public listener, and `--metrics-token` makes `/metrics` answer only a
//! bearer token.

use reqwest::StatusCode;

const TOKEN: &str = "0123456789abcdef-metrics";

async fn get(url: &str, token: Option<&str>) -> (StatusCode, String) {
    let mut req = reqwest::Client::new().get(url);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let r = req.send().await.unwrap();
    let status = r.status();
    (status, r.text().await.unwrap())
}

#[tokio::test]
async fn metrics_move_to_their_own_listener_behind_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let ops = format!("127.0.0.1:{}", crate::common::free_port());
    let (_server, base) = crate::common::serve(
        None,
        dir.path(),
        &["--metrics-listen", &ops, "--metrics-token", TOKEN],
    )
    .await;
    let ops = format!("http://{ops}");

    // The public listener: no /metrics at all, pages and health as before.
    let (status, _) = get(&format!("{base}/metrics"), Some(TOKEN)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(get(&format!("{base}/readyz"), None).await.0, StatusCode::OK);

    // The operator's listener: health without a token, metrics with it.
    assert_eq!(get(&format!("{ops}/healthz"), None).await.0, StatusCode::OK);
    assert_eq!(get(&format!("{ops}/readyz"), None).await.0, StatusCode::OK);
    for wrong in [None, Some("wrong-token-0123456789"), Some("")] {
        let (status, body) = get(&format!("{ops}/metrics"), wrong).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{wrong:?}");
        assert!(!body.contains("cashier_"), "{body}");
    }
    let (status, body) = get(&format!("{ops}/metrics"), Some(TOKEN)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("cashier_notifications_pending"), "{body}");
    // Nothing else is served there.
    assert_eq!(
        get(&format!("{ops}/dashboard/login"), None).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&format!("{ops}/openapi.json"), None).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_token_protects_metrics_on_the_public_listener() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = crate::common::serve(None, dir.path(), &["--metrics-token", TOKEN]).await;
    let (status, _) = get(&format!("{base}/metrics"), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = get(&format!("{base}/metrics"), Some(TOKEN)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("cashier_"), "{body}");
}

#[test]
fn weak_tokens_and_a_shared_address_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let port = crate::common::free_port();
    for (args, message) in [
        (
            vec!["--metrics-token", "short"],
            "at least 16 printable characters",
        ),
        (
            vec!["--metrics-token", "has a space in it, long enough"],
            "without spaces",
        ),
    ] {
        let out = crate::common::cashier(None)
            .arg("serve")
            .args(&args)
            .args(["--listen", &format!("127.0.0.1:{port}"), "--data-dir"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{args:?}: {err}");
    }
    let out = crate::common::cashier(None)
        .arg("serve")
        .args([
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--metrics-listen",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("another address than --listen"));
}

/// Misses on unknown checkout links from `forwarded` (an X-Forwarded-For
/// value, or a whole `Forwarded` header with `forwarded:`): the statuses.
async fn guesses(base: &str, forwarded: &str, n: usize) -> Vec<u16> {
    let http = reqwest::Client::new();
    let mut out = Vec::new();
    for i in 0..n {
        let mut req = http.get(format!("{base}/checkout/no-such-token-{i}"));
        req = match forwarded.strip_prefix("forwarded:") {
            Some(v) => req.header("forwarded", v),
            None => req.header("x-forwarded-for", forwarded),
        };
        out.push(req.send().await.unwrap().status().as_u16());
    }
    out
}

#[tokio::test]
async fn trusted_proxies_name_the_client_and_others_cannot() {
    // Behind a trusted proxy (loopback): each forwarded client has its own
    // token-guessing budget.
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = crate::common::serve(
        None,
        dir.path(),
        &[
            "--trusted-proxies",
            "127.0.0.1/32,::1",
            "--token-guess-limit",
            "3",
        ],
    )
    .await;
    assert_eq!(
        guesses(&base, "192.0.2.1, 203.0.113.1", 4).await,
        [404, 404, 404, 429]
    );
    assert_eq!(
        guesses(&base, "203.0.113.1", 1).await,
        [429],
        "the rightmost address is the client, whatever it wrote on the left"
    );
    assert_eq!(guesses(&base, "203.0.113.2", 3).await, [404, 404, 404]);
    assert_eq!(
        guesses(&base, "forwarded:for=\"[2001:db8::7]:4711\";proto=https", 3).await,
        [404, 404, 404]
    );

    // Not a trusted proxy: the same headers are ignored, so every spoofed
    // address shares the connection's budget.
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = crate::common::serve(
        None,
        dir.path(),
        &[
            "--trusted-proxies",
            "10.0.0.0/8",
            "--token-guess-limit",
            "3",
        ],
    )
    .await;
    assert_eq!(guesses(&base, "203.0.113.1", 3).await, [404, 404, 404]);
    assert_eq!(guesses(&base, "203.0.113.2", 1).await, [429]);
    assert_eq!(guesses(&base, "forwarded:for=198.51.100.9", 1).await, [429]);

    let out = crate::common::cashier(None)
        .args([
            "serve",
            "--trusted-proxies",
            "10.0.0.0/8,proxy.example",
            "--data-dir",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("proxy.example") && err.contains("CIDR"),
        "{err}"
    );
}

/// Reads until the server closes the connection (EOF or an error); false
/// if it is still open after `within`.
async fn closed_within(s: &mut tokio::net::TcpStream, within: std::time::Duration) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buf = [0u8; 1024];
    let until = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(until, s.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn half_open_connections_are_closed_while_requests_are_answered() {
    use tokio::io::AsyncWriteExt;
    let dir = tempfile::tempdir().unwrap();
    let m = crate::common::merchant_create(
        crate::common::cashier(None),
        "Limits Shop",
        Some(dir.path()),
        &[],
    );
    let (_server, base) = crate::common::serve(
        None,
        dir.path(),
        &[
            "--header-read-timeout",
            "1s",
            "--keep-alive-timeout",
            "3s",
            "--max-connections",
            "50",
        ],
    )
    .await;
    let addr = base.strip_prefix("http://").unwrap().to_string();
    // 400 clients that send half a request head and then nothing.
    let mut attackers = Vec::new();
    for _ in 0..400 {
        let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
        s.write_all(b"POST /ams/api/v1/payments/inquiryPayment HTTP/1.1\r\nHost: x\r\nContent-Le")
            .await
            .unwrap();
        attackers.push(s);
    }
    let started = std::time::Instant::now();
    // Requests are answered throughout: pages and signed API calls.
    let http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap();
    let client = crate::common::merchant_client(&base, &m);
    for i in 0..5 {
        let page = http
            .get(format!("{base}/checkout/no-such-{i}"))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::NOT_FOUND);
        let r = client
            .inquiry_payment(
                &cashier_client::cashier_protocol::wire::InquiryPaymentRequest {
                    payment_request_id: Some(format!("NOPE-{i}")),
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        assert_eq!(r.result_code(), Some("ORDER_NOT_EXIST"));
    }
    // Every one of them is closed by the server (50 at a time, 1 s each).
    for s in attackers.iter_mut() {
        assert!(
            closed_within(s, std::time::Duration::from_secs(60)).await,
            "a half-open connection is still held"
        );
    }
    eprintln!(
        "400 half-open connections closed {:.1} s after they were opened (limit 50, header timeout 1 s)",
        started.elapsed().as_secs_f64()
    );

    // An idle keep-alive connection outlives the header timeout, then closes.
    let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let get = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    s.write_all(get).await.unwrap();
    let mut buf = [0u8; 512];
    let n = tokio::io::AsyncReadExt::read(&mut s, &mut buf)
        .await
        .unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    s.write_all(get).await.unwrap();
    let n = tokio::io::AsyncReadExt::read(&mut s, &mut buf)
        .await
        .unwrap();
    assert!(
        buf[..n].starts_with(b"HTTP/1.1 200"),
        "still open after 1.5 s idle: {:?}",
        String::from_utf8_lossy(&buf[..n])
    );
    let idle = std::time::Instant::now();
    assert!(closed_within(&mut s, std::time::Duration::from_secs(30)).await);
    assert!(
        idle.elapsed() >= std::time::Duration::from_secs(2),
        "closed by the keep-alive timeout, not the header timeout"
    );
}
