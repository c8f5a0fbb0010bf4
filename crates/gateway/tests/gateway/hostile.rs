//! Hostile merchants: notification endpoints that hang, dribble, answer
//! 200 with the wrong body, redirect, or stream an endless body. Each is a
//! real TCP server on loopback speaking just enough HTTP/1.1 to misbehave.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::{eventually, TestApp};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Clone, Copy)]
enum Behaviour {
    /// Reads the request and never answers.
    Hang,
    /// Answers headers, then one body byte every 300 ms.
    Dribble,
    /// `200 OK` with a body that is not the acknowledgement.
    WrongBody,
    /// `302` to another URL.
    Redirect,
    /// `200 OK` with an endless body.
    Endless,
}

/// A misbehaving endpoint: counts connections and the bytes it managed to
/// send; keeps hung connections open until dropped.
struct Hostile {
    url: String,
    requests: Arc<AtomicUsize>,
    bytes_sent: Arc<AtomicU64>,
    release: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.release.store(true, Ordering::SeqCst);
        self.task.abort();
    }
}

impl Hostile {
    async fn start(behaviour: Behaviour, redirect_to: &str) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/notify", listener.local_addr().unwrap());
        let requests = Arc::new(AtomicUsize::new(0));
        let bytes_sent = Arc::new(AtomicU64::new(0));
        let release = Arc::new(AtomicBool::new(false));
        let (r, b, rel) = (requests.clone(), bytes_sent.clone(), release.clone());
        let redirect_to = redirect_to.to_string();
        let task = tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let (r, b, rel, to) = (r.clone(), b.clone(), rel.clone(), redirect_to.clone());
                tokio::spawn(async move {
                    serve_one(socket, behaviour, &to, &r, &b, &rel).await;
                });
            }
        });
        Hostile {
            url,
            requests,
            bytes_sent,
            release,
            task,
        }
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// Reads one request (headers and a Content-Length body).
async fn read_request(socket: &mut TcpStream) -> bool {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let Ok(n) = socket.read(&mut chunk).await else {
            return false;
        };
        if n == 0 {
            return false;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return true;
            }
        }
    }
}

async fn serve_one(
    mut socket: TcpStream,
    behaviour: Behaviour,
    redirect_to: &str,
    requests: &AtomicUsize,
    bytes_sent: &AtomicU64,
    release: &AtomicBool,
) {
    if !read_request(&mut socket).await {
        return;
    }
    requests.fetch_add(1, Ordering::SeqCst);
    match behaviour {
        Behaviour::Hang => {
            // The endpoint's behaviour, not a test's wait: hold the request
            // until the test lets go.
            while !release.load(Ordering::SeqCst) {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        Behaviour::Dribble => {
            let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n";
            if socket.write_all(head).await.is_err() {
                return;
            }
            for _ in 0..1000 {
                if socket.write_all(b" ").await.is_err() || release.load(Ordering::SeqCst) {
                    return;
                }
                bytes_sent.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
        }
        Behaviour::WrongBody => {
            let body = r#"{"result":{"resultCode":"FAIL","resultStatus":"F"}}"#;
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
        }
        Behaviour::Redirect => {
            let response = format!(
                "HTTP/1.1 302 Found\r\nlocation: {redirect_to}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
            let _ = socket.write_all(response.as_bytes()).await;
        }
        Behaviour::Endless => {
            // Claims ten gigabytes and would send them, 64 KiB at a time,
            // for as long as the gateway keeps reading.
            let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 10000000000\r\n\r\n";
            if socket.write_all(head).await.is_err() {
                return;
            }
            let chunk = vec![b'x'; 64 * 1024];
            while socket.write_all(&chunk).await.is_ok() {
                bytes_sent.fetch_add(chunk.len() as u64, Ordering::SeqCst);
            }
        }
    }
}

/// Creates a session notifying `url`, pays it, and returns the payment id.
async fn paid_payment(app: &TestApp, request_id: &str, url: &str) -> String {
    let mut body = app.session_request(request_id);
    body["paymentNotifyUrl"] = url.into();
    let created = app
        .call(cashier_client::CREATE_PAYMENT_SESSION, &body)
        .await;
    assert_eq!(created["result"]["resultStatus"], "S", "{created}");
    let path = TestApp::page_path(created["normalUrl"].as_str().unwrap());
    let (status, _) = app.pay_with_card(&path, "4242 4242 4242 4242").await;
    assert_eq!(status, 303);
    app.inquiry(request_id)
        .await
        .payment_id
        .expect("payment id")
}

/// Waits until the payment's notification has `n` recorded attempts.
async fn wait_attempts(
    app: &TestApp,
    payment_id: &str,
    n: usize,
) -> (
    cashier_gateway::store::Notification,
    Vec<cashier_gateway::store::DeliveryAttempt>,
) {
    eventually(Duration::from_secs(60), || async {
        let notes = app.state.store.notifications_for(payment_id).await.unwrap();
        let note = notes.into_iter().next()?;
        let attempts = app
            .state
            .store
            .delivery_attempts(&note.notification_id)
            .await
            .unwrap();
        // The attempt row and the notification update commit together.
        (attempts.len() >= n && note.attempts as usize >= n).then_some((note, attempts))
    })
    .await
    .unwrap_or_else(|| panic!("no {n} attempts for {payment_id}"))
}

fn retry_in_an_hour(c: &mut cashier_gateway::Config) {
    c.notify_retry_schedule = vec![Duration::from_secs(3600); 3];
}

/// An unanswered or unacknowledged attempt is recorded and leaves the
/// notification pending for a retry an hour later (manual clock), which
/// happens once the hour has passed.
async fn assert_retried_later(app: &TestApp, endpoint: &Hostile, payment_id: &str) {
    let (note, attempts) = wait_attempts(app, payment_id, 1).await;
    assert_eq!(note.status, "PENDING");
    assert!(!attempts[0].acknowledged);
    assert!(note.next_attempt_at >= app.state.now_ts() + chrono::Duration::milliseconds(3_500_000));
    assert_eq!(endpoint.requests(), 1);
    app.clock.advance(chrono::Duration::minutes(61));
    app.state.notify_wake.notify_one();
    let (note, attempts) = wait_attempts(app, payment_id, 2).await;
    assert_eq!(note.status, "PENDING");
    assert!(attempts.iter().all(|a| !a.acknowledged));
}

#[tokio::test]
async fn a_hanging_endpoint_times_out_is_recorded_and_retried_later() {
    let app = TestApp::spawn_with(|c| {
        retry_in_an_hour(c);
        c.notify_timeout = Duration::from_secs(1);
    })
    .await;
    let hang = Hostile::start(Behaviour::Hang, "").await;
    let payment_id = paid_payment(&app, "HANG-1", &hang.url).await;
    let (_, attempts) = wait_attempts(&app, &payment_id, 1).await;
    assert_eq!(attempts[0].http_status, None);
    let error = attempts[0].error.as_deref().unwrap_or_default();
    assert!(error.contains("request failed"), "{error}");
    assert_retried_later(&app, &hang, &payment_id).await;
}

#[tokio::test]
async fn a_dribbling_endpoint_is_cut_off_by_the_timeout() {
    let app = TestApp::spawn_with(|c| {
        retry_in_an_hour(c);
        c.notify_timeout = Duration::from_secs(1);
    })
    .await;
    let slow = Hostile::start(Behaviour::Dribble, "").await;
    let payment_id = paid_payment(&app, "DRIBBLE-1", &slow.url).await;
    let (_, attempts) = wait_attempts(&app, &payment_id, 1).await;
    assert!(!attempts[0].acknowledged);
    let error = attempts[0].error.as_deref().unwrap_or_default();
    assert!(error.contains("reading response failed"), "{error}");
    // 1000 bytes at one per 300 ms would take five minutes: the timeout
    // stopped the read long before.
    assert!(slow.bytes_sent.load(Ordering::SeqCst) < 1000);
    assert_retried_later(&app, &slow, &payment_id).await;
}

#[tokio::test]
async fn a_200_with_the_wrong_body_is_not_an_acknowledgement() {
    let app = TestApp::spawn_with(retry_in_an_hour).await;
    let wrong = Hostile::start(Behaviour::WrongBody, "").await;
    let payment_id = paid_payment(&app, "WRONG-1", &wrong.url).await;
    let (_, attempts) = wait_attempts(&app, &payment_id, 1).await;
    assert_eq!(attempts[0].http_status, Some(200));
    assert!(attempts[0]
        .response_excerpt
        .as_deref()
        .unwrap()
        .contains("FAIL"));
    assert_retried_later(&app, &wrong, &payment_id).await;
}

#[tokio::test]
async fn redirects_are_not_followed_nor_acknowledgements() {
    let app = TestApp::spawn_with(retry_in_an_hour).await;
    // The redirect points at a receiver that would acknowledge.
    let redirect = Hostile::start(Behaviour::Redirect, &app.notify_url()).await;
    let payment_id = paid_payment(&app, "REDIRECT-1", &redirect.url).await;
    let (_, attempts) = wait_attempts(&app, &payment_id, 1).await;
    assert_eq!(attempts[0].http_status, Some(302));
    assert!(!attempts[0].acknowledged);
    assert!(app.receiver.received().is_empty(), "redirect was followed");
    assert_retried_later(&app, &redirect, &payment_id).await;
    assert!(app.receiver.received().is_empty(), "redirect was followed");
}

#[tokio::test]
async fn an_endless_response_is_read_only_up_to_the_cap() {
    let app = TestApp::spawn_with(|c| {
        retry_in_an_hour(c);
        c.notify_timeout = Duration::from_secs(30);
    })
    .await;
    let endless = Hostile::start(Behaviour::Endless, "").await;
    let payment_id = paid_payment(&app, "ENDLESS-1", &endless.url).await;
    let (_, attempts) = wait_attempts(&app, &payment_id, 1).await;
    assert_eq!(attempts[0].http_status, Some(200));
    assert!(!attempts[0].acknowledged);
    // The excerpt is bounded, and the gateway hung up after its 64 KiB cap:
    // the sender got rid of at most the cap plus what socket buffers hold,
    // not ten gigabytes.
    assert!(attempts[0].response_excerpt.as_deref().unwrap().len() <= 512);
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut last = u64::MAX;
    loop {
        let sent = endless.bytes_sent.load(Ordering::SeqCst);
        if sent == last {
            break;
        }
        last = sent;
        assert!(Instant::now() < deadline, "the gateway kept reading");
        // Not a wait for a condition: the check is that nothing more was
        // sent during this half second.
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(last < 64 * 1024 * 1024, "sent {last} bytes");
}

#[tokio::test]
async fn one_hanging_endpoint_does_not_delay_other_notifications() {
    let app = TestApp::spawn_with(|c| {
        retry_in_an_hour(c);
        // Longer than the test waits for the healthy delivery.
        c.notify_timeout = Duration::from_secs(600);
    })
    .await;
    let hang = Hostile::start(Behaviour::Hang, "").await;
    let hung_id = paid_payment(&app, "SLOW-MERCHANT", &hang.url).await;
    let called = eventually(Duration::from_secs(30), || async { hang.requests() > 0 }).await;
    assert!(called, "hanging endpoint never called");
    // While that delivery hangs, a notification to another endpoint (as
    // another merchant's would be: deliveries share nothing) goes out.
    paid_payment(&app, "FAST-MERCHANT", &app.notify_url()).await;
    let got = wait_acknowledged(&app).await;
    assert_eq!(got[0].notification().payment_request_id, "FAST-MERCHANT");
    // And the hung one is still in flight: no attempt recorded yet.
    let notes = app.state.store.notifications_for(&hung_id).await.unwrap();
    assert_eq!(notes[0].attempts, 0);
    assert_eq!(hang.requests(), 1);
}

/// Registers another merchant and returns an SDK client for it.
async fn merchant_client(app: &TestApp, client_id: &str, name: &str) -> cashier_client::Client {
    app.add_named_merchant(client_id, name, 0).await
}

/// Waits for the test receiver's first acknowledged notification.
async fn wait_acknowledged(app: &TestApp) -> Vec<crate::common::Received> {
    eventually(Duration::from_secs(60), || async {
        let got = app.receiver.received();
        got.iter().any(|r| r.acknowledged).then_some(got)
    })
    .await
    .expect("the notification was held up")
}

#[tokio::test]
async fn a_merchant_with_many_hanging_deliveries_cannot_take_every_slot() {
    let app = TestApp::spawn_with(|c| {
        retry_in_an_hour(c);
        c.notify_timeout = Duration::from_secs(600);
        c.notify_max_in_flight = 2;
        c.notify_max_in_flight_per_client = 1;
    })
    .await;
    let hang = Hostile::start(Behaviour::Hang, "").await;
    // Merchant A: three notifications to an endpoint that hangs, more than
    // all the slots there are.
    for i in 0..3 {
        paid_payment(&app, &format!("HANG-A-{i}"), &hang.url).await;
    }
    let called = eventually(Duration::from_secs(30), || async { hang.requests() > 0 }).await;
    assert!(called, "hanging endpoint never called");
    // Merchant B still gets its notification through.
    let other = merchant_client(&app, "SANDBOX_OTHER_MERCHANT", "Other Shop").await;
    let body = app.session_request("MERCHANT-B-1");
    let raw = other
        .send_raw(
            cashier_client::CREATE_PAYMENT_SESSION,
            body.to_string().as_bytes(),
        )
        .await
        .expect("signed answer");
    let created: serde_json::Value = serde_json::from_str(&raw.body).unwrap();
    assert_eq!(created["result"]["resultStatus"], "S", "{created}");
    let path = TestApp::page_path(created["normalUrl"].as_str().unwrap());
    assert_eq!(app.pay_with_card(&path, "4242 4242 4242 4242").await.0, 303);
    let got = wait_acknowledged(&app).await;
    assert_eq!(got[0].client_id, "SANDBOX_OTHER_MERCHANT");
    // Merchant A never had more than its share in flight.
    assert_eq!(hang.requests(), 1);
}

// ---- SSRF, header injection, open redirect, XSS -------------------------

/// Every spelling of a non-public address is refused at createPaymentSession
/// unless `--allow-private-notify`; nothing is created.
#[tokio::test]
async fn notify_urls_on_private_addresses_are_refused_in_every_spelling() {
    let app = TestApp::spawn_with(|c| c.allow_private_notify = false).await;
    let before = app.state.store.counts().await.unwrap();
    let refused = [
        "http://127.0.0.1/notify",
        "http://127.1/notify",
        "http://2130706433/notify",
        "http://0x7f000001/notify",
        "http://0x7f.0.0.1/notify",
        "http://0177.0.0.1/notify",
        "http://017700000001/notify",
        "http://10.0.0.1/notify",
        "http://172.16.0.1/notify",
        "http://192.168.1.1/notify",
        "http://169.254.169.254/latest/meta-data",
        "http://100.64.0.1/notify",
        "http://0.0.0.0/notify",
        "http://0/notify",
        "http://[::1]/notify",
        "http://[::]/notify",
        "http://[::ffff:127.0.0.1]/notify",
        "http://[::ffff:7f00:1]/notify",
        "http://[::ffff:a9fe:a9fe]/notify",
        "http://[fe80::1]/notify",
        "http://[fc00::1]/notify",
        "http://[fd12:3456::1]/notify",
        "http://[64:ff9b::7f00:1]/notify",
        "http://localhost/notify",
        "http://LOCALHOST./notify",
        "http://api.localhost/notify",
        "https://127.0.0.1:8443/notify",
    ];
    for (i, url) in refused.iter().enumerate() {
        let mut body = app.session_request(&format!("SSRF-{i}"));
        body["paymentNotifyUrl"] = (*url).into();
        let r = app
            .call(cashier_client::CREATE_PAYMENT_SESSION, &body)
            .await;
        assert_eq!(r["result"]["resultCode"], "PARAM_ILLEGAL", "{url}: {r}");
        assert!(
            r["result"]["resultMessage"]
                .as_str()
                .unwrap()
                .contains("loopback or private"),
            "{url}: {r}"
        );
    }
    assert_eq!(app.state.store.counts().await.unwrap(), before);
    // Public addresses and names are accepted (names are checked again
    // when they are resolved for delivery).
    for (i, url) in [
        "https://merchant.example.com/notify",
        "http://93.184.216.34/notify",
        "http://[2606:4700::1111]/notify",
    ]
    .iter()
    .enumerate()
    {
        let mut body = app.session_request(&format!("PUBLIC-{i}"));
        body["paymentNotifyUrl"] = (*url).into();
        let r = app
            .call(cashier_client::CREATE_PAYMENT_SESSION, &body)
            .await;
        assert_eq!(r["result"]["resultStatus"], "S", "{url}: {r}");
    }
}

/// A host name is checked when it is resolved for delivery: this machine's
/// own name resolves to a private or loopback address, so the gateway
/// refuses to connect, records why, and the endpoint hears nothing.
#[tokio::test]
async fn a_name_resolving_to_a_private_address_is_refused_at_delivery() {
    let app = TestApp::spawn_with(|c| {
        c.allow_private_notify = false;
        retry_in_an_hour(c);
    })
    .await;
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .expect("Linux hostname")
        .trim()
        .to_string();
    let resolved: Vec<_> = tokio::net::lookup_host((host.as_str(), 0))
        .await
        .unwrap_or_else(|e| panic!("{host} does not resolve: {e}"))
        .collect();
    assert!(
        resolved
            .iter()
            .any(|a| cashier_gateway::notify::is_private(a.ip())),
        "precondition: {host} should resolve to a private address, got {resolved:?}"
    );
    let port = url::Url::parse(&app.receiver.base_url)
        .unwrap()
        .port()
        .unwrap();
    let url = format!("http://{host}:{port}{}", crate::common::NOTIFY_PATH);
    let payment_id = paid_payment(&app, "REBIND-1", &url).await;
    let (note, attempts) = wait_attempts(&app, &payment_id, 1).await;
    assert_eq!(note.status, "PENDING");
    assert_eq!(attempts[0].http_status, None);
    let error = attempts[0].error.as_deref().unwrap_or_default();
    assert!(
        error.contains(cashier_gateway::notify::UNRESOLVABLE),
        "{error}"
    );
    // The merchant learns nothing about the gateway's network or DNS.
    for a in &resolved {
        assert!(!error.contains(&a.ip().to_string()), "{error}");
    }
    assert!(app.receiver.received().is_empty());
}

/// CR/LF and other control characters in URLs never reach a header or a
/// stored row; relative, scheme-relative and non-http(s) redirect targets
/// are refused.
#[tokio::test]
async fn header_injection_and_open_redirect_attempts_are_refused() {
    let app = TestApp::spawn().await;
    let before = app.state.store.counts().await.unwrap();
    let cases = [
        (
            "paymentRedirectUrl",
            "https://merchant.example.com/r\r\nSet-Cookie: a=b",
        ),
        ("paymentRedirectUrl", "https://merchant.example.com/r\nX: y"),
        ("paymentRedirectUrl", "//evil.example/phish"),
        ("paymentRedirectUrl", "/relative/path"),
        ("paymentRedirectUrl", "javascript:alert(1)"),
        (
            "paymentRedirectUrl",
            "data:text/html,<script>alert(1)</script>",
        ),
        ("paymentRedirectUrl", "https:/\\evil.example"),
        ("paymentRedirectUrl", "https:evil.example"),
        ("paymentNotifyUrl", "http://127.0.0.1/n\r\nHost: evil"),
        ("paymentNotifyUrl", "gopher://127.0.0.1:6379/_FLUSHALL"),
        ("paymentNotifyUrl", "file:///etc/passwd"),
    ];
    for (i, (field, value)) in cases.iter().enumerate() {
        let mut body = app.session_request(&format!("INJ-{i}"));
        body[*field] = (*value).into();
        let r = app
            .call(cashier_client::CREATE_PAYMENT_SESSION, &body)
            .await;
        assert_eq!(r["result"]["resultCode"], "PARAM_ILLEGAL", "{value:?}: {r}");
    }
    assert_eq!(app.state.store.counts().await.unwrap(), before);
}

/// Undoes askama's HTML escaping, in one pass.
fn unescape(s: &str) -> String {
    const ENTITIES: [(&str, char); 9] = [
        ("&#34;", '"'),
        ("&#39;", '\''),
        ("&#60;", '<'),
        ("&#62;", '>'),
        ("&#38;", '&'),
        ("&quot;", '"'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&amp;", '&'),
    ];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        match ENTITIES.iter().find(|(e, _)| rest.starts_with(e)) {
            Some((e, ch)) => {
                out.push(*ch);
                rest = &rest[e.len()..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

const XSS: &str = r#""'><script>alert(1)</script><img src=x onerror=alert(2)>&amp;"#;

fn assert_only_escaped(html: &str, what: &str) {
    for raw in ["<script>alert", "<img src=x", "\"'>", "onerror=alert(2)>"] {
        assert!(!html.contains(raw), "{what}: raw {raw:?} in page:\n{html}");
    }
    assert!(
        html.contains("&#60;script&#62;alert(1)&#60;/script&#62;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{what}: escaped payload missing:\n{html}"
    );
}

/// Every merchant-supplied text on the hosted pages is escaped: brand
/// name, order description, goods names, and the redirect URL on the
/// result page, which sends the buyer to exactly that URL.
#[tokio::test]
async fn merchant_supplied_fields_are_escaped_on_the_hosted_pages() {
    let app = TestApp::spawn().await;
    let client = merchant_client(&app, "SANDBOX_XSS_MERCHANT", &format!("Brand {XSS}")).await;

    // URLs cannot hold whitespace: the attribute-breaking part only.
    let redirect =
        "https://merchant.example.com/return?q=\"'><script>alert(1)</script>&x=1".to_string();
    let mut body = app.session_request("XSS-1");
    body["order"]["orderDescription"] = format!("Order {XSS}").into();
    body["order"]["goods"][0]["goodsName"] = format!("Kopi {XSS}").into();
    body["order"]["goods"][1]["goodsName"] = format!("Toast {XSS}").into();
    body["paymentRedirectUrl"] = redirect.clone().into();
    let create = |body: serde_json::Value| {
        let client = &client;
        async move {
            let raw = client
                .send_raw(
                    cashier_client::CREATE_PAYMENT_SESSION,
                    body.to_string().as_bytes(),
                )
                .await
                .expect("signed answer");
            let created: serde_json::Value = serde_json::from_str(&raw.body).unwrap();
            assert_eq!(created["result"]["resultStatus"], "S", "{created}");
            TestApp::page_path(created["normalUrl"].as_str().unwrap())
        }
    };
    let path = create(body.clone()).await;

    // The wallet pages of a second session: the QR page and the sandbox
    // wallet (the buyer's phone) show the brand and the description.
    body["paymentRequestId"] = "XSS-2".into();
    let wallet_checkout = create(body).await;
    let (status, location) = app
        .submit_checkout(&wallet_checkout, &[("method", "ALIPAY_CN")])
        .await;
    assert_eq!(status, 303);
    let (status, qr_page) = app.get_page(&location).await;
    assert_eq!(status, 200);
    assert_only_escaped(&qr_page, "wallet QR page");
    let start = qr_page.find("/sandbox/wallet/").expect("wallet link");
    let end = start + qr_page[start..].find('"').unwrap();
    let (status, phone) = app.get_page(&qr_page[start..end]).await;
    assert_eq!(status, 200);
    assert_only_escaped(&phone, "sandbox wallet page");
    assert!(phone.contains("Order &#34;"), "description not shown");

    let (status, html) = app.get_page(&path).await;
    assert_eq!(status, 200);
    assert_only_escaped(&html, "checkout page");
    // Each field is shown, and reads back as exactly what was sent.
    for shown in ["Brand ", "Order ", "Kopi ", "Toast "] {
        let start = html.find(&format!("{shown}&#34;")).expect(shown);
        let end = start + html[start..].find('<').unwrap();
        assert_eq!(unescape(&html[start..end]), format!("{shown}{XSS}"));
    }

    let (status, location) = app.pay_with_card(&path, "4242 4242 4242 4242").await;
    assert_eq!(status, 303);
    let (status, result) = app.get_page(&location).await;
    assert_eq!(status, 200);
    assert_only_escaped(&result, "result page");
    // The automatic redirect and the link both lead to exactly the URL the
    // merchant gave, nowhere else.
    let marker = "data-redirect=\"";
    let start = result.find(marker).expect("auto redirect") + marker.len();
    let end = start + result[start..].find('"').unwrap();
    assert_eq!(unescape(&result[start..end]), redirect);
    let hrefs: Vec<String> = result
        .match_indices("href=\"")
        .map(|(i, m)| {
            let s = i + m.len();
            unescape(&result[s..s + result[s..].find('"').unwrap()])
        })
        .filter(|h| h.starts_with("http"))
        .collect();
    assert_eq!(hrefs, vec![redirect]);
}
