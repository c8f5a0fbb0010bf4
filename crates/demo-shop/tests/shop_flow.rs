//! The demo shop against a real gateway, both in this process on random
//! loopback ports, driven over HTTP like a browser without JavaScript:
//! cart → checkout → the hosted page → payment through the sandbox
//! simulation endpoint → the shop receives and verifies the notification →
//! the return page says paid → refunds from the orders page.

use std::sync::Arc;
use std::time::Duration;

use cashier_client::cashier_protocol::signing::{sign_message, PrivateKey};
use cashier_client::Client;
use cashier_demo_shop::{Shop, ShopConfig, NOTIFY_PATH};
use cashier_gateway::store::{ClientId, Timestamp};
use cashier_gateway::Application;
use cashier_test_support::gateway::{
    body_text, client_config, create_merchant, sandbox_config, simulated, Served,
};
use cashier_test_support::{b64, eventually, input_value};
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::StatusCode;
use serde_json::json;

const DEADLINE: Duration = Duration::from_secs(30);

struct World {
    gateway_url: String,
    shop_url: String,
    client_id: String,
    gateway_key: Arc<PrivateKey>,
    store: Arc<dyn cashier_gateway::store::Store>,
    http: reqwest::Client,
    _gateway: Served,
    _dir: tempfile::TempDir,
    shop_task: tokio::task::JoinHandle<()>,
}

impl Drop for World {
    fn drop(&mut self) {
        self.shop_task.abort();
    }
}

/// One browser: a cookie and the page's CSRF token.
struct Browser {
    cookie: String,
    csrf: String,
}

impl World {
    async fn start() -> World {
        let dir = tempfile::tempdir().unwrap();
        let mut config = sandbox_config(dir.path());
        config.worker_interval = Duration::from_millis(50);
        let app = Application::build(config).await.expect("gateway starts");
        let state = app.state();
        let gateway_url = state.public_url.clone();
        let (client_id, key) = create_merchant(
            &state,
            "Demo Shop",
            None,
            0,
            Timestamp::from_millis(chrono_now_ms()),
        )
        .await;
        let client = Client::new(client_config(&state, &client_id, &key)).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let shop_url = format!("http://{}", listener.local_addr().unwrap());
        let shop = Shop::new(ShopConfig {
            client,
            public_url: shop_url.clone(),
        });
        let gateway = Served::spawn(app);
        let shop_task = tokio::spawn(async move {
            cashier_demo_shop::serve(listener, shop)
                .await
                .expect("shop runs");
        });
        let gateway_key = Arc::new(
            PrivateKey::from_text(&b64(&state.gateway_key.private.to_pkcs8_der())).unwrap(),
        );
        World {
            gateway_url,
            shop_url,
            client_id,
            gateway_key,
            store: state.store.clone(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
            _gateway: gateway,
            _dir: dir,
            shop_task,
        }
    }

    async fn browser(&self) -> Browser {
        let r = self
            .http
            .get(format!("{}/", self.shop_url))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let set = r.headers()[SET_COOKIE].to_str().unwrap().to_string();
        assert!(set.contains("HttpOnly"), "{set}");
        assert!(set.contains("SameSite=Lax"), "{set}");
        let cookie = set.split(';').next().unwrap().to_string();
        let csrf = input_value(&r.text().await.unwrap(), "csrf").expect("a CSRF field");
        Browser { cookie, csrf }
    }

    async fn get(&self, b: &Browser, path: &str) -> (StatusCode, String) {
        let r = self
            .http
            .get(format!("{}{path}", self.shop_url))
            .header(COOKIE, &b.cookie)
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }

    /// Posts a form; returns the status and the Location.
    async fn post(&self, b: &Browser, path: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
        let r = self
            .http
            .post(format!("{}{path}", self.shop_url))
            .header(COOKIE, &b.cookie)
            .form(form)
            .send()
            .await
            .unwrap();
        let location = r
            .headers()
            .get(LOCATION)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        (r.status(), location)
    }

    /// Two products in the cart, checked out: returns (order id, normalUrl).
    async fn checkout(&self, b: &Browser) -> (String, String) {
        for (product, quantity) in [("tshirt", "2"), ("stickers", "1")] {
            let (status, to) = self
                .post(
                    b,
                    "/cart/add",
                    &[
                        ("csrf", &b.csrf),
                        ("product", product),
                        ("quantity", quantity),
                    ],
                )
                .await;
            assert_eq!((status, to.as_str()), (StatusCode::SEE_OTHER, "/"));
        }
        let (_, cart) = self.get(b, "/cart").await;
        assert!(
            cart.contains("SGD 54.90"),
            "2 × 25.00 + 4.90 = 54.90: {cart}"
        );
        let (status, normal_url) = self.post(b, "/checkout", &[("csrf", &b.csrf)]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(
            normal_url.starts_with(&format!("{}/checkout/", self.gateway_url)),
            "checkout must 303 to normalUrl, got {normal_url}"
        );
        let (_, orders) = self.get(b, "/orders").await;
        let order = between(&orders, "data-order=\"", "\"")
            .expect("the order is listed")
            .to_string();
        (order, normal_url)
    }

    async fn simulate(&self, order: &str, outcome: &str) {
        let r = simulated(
            &self.http,
            &self.gateway_url,
            &self.client_id,
            order,
            outcome,
        )
        .await;
        assert_eq!(r["result"]["resultStatus"], "S", "{r}");
    }

    /// Polls a shop page until it contains every needle.
    async fn wait_for(&self, b: &Browser, path: &str, needles: &[&str]) -> String {
        eventually(DEADLINE, || async {
            let (_, body) = self.get(b, path).await;
            if needles.iter().all(|n| body.contains(n)) {
                Ok(body)
            } else {
                Err(body)
            }
        })
        .await
        .unwrap_or_else(|body| panic!("{path} never showed {needles:?}; last:\n{body}"))
    }

    /// Posts a notification signed with the gateway key over `signed_path`.
    async fn notify(&self, signed_path: &str, body: &str, sent_body: &str) -> StatusCode {
        self.notify_as(&self.client_id, signed_path, body, sent_body)
            .await
    }

    /// [`World::notify`] for another merchant's client id.
    async fn notify_as(
        &self,
        client_id: &str,
        signed_path: &str,
        body: &str,
        sent_body: &str,
    ) -> StatusCode {
        let time = chrono_now_ms().to_string();
        let signature = sign_message(
            &self.gateway_key,
            1,
            signed_path,
            client_id,
            &time,
            body.as_bytes(),
        )
        .unwrap();
        self.http
            .post(format!("{}{NOTIFY_PATH}", self.shop_url))
            .header("content-type", "application/json")
            .header("client-id", client_id)
            .header("request-time", time)
            .header("signature", signature)
            .body(sent_body.to_string())
            .send()
            .await
            .unwrap()
            .status()
    }
}

fn chrono_now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cart_checkout_pay_notified_return_page_paid_then_refunded() {
    let w = World::start().await;
    let b = w.browser().await;
    let (order, normal_url) = w.checkout(&b).await;

    // The hosted page shows the goods the shop sent, with the sum as the amount.
    let page = body_text(w.http.get(&normal_url)).await;
    assert!(
        page.contains("Cashier T-shirt") && page.contains("Sticker pack"),
        "{page}"
    );
    assert!(page.contains("Pay SGD 54.90"), "{page}");
    // The shop sends everything Antom's guide asks for: no integration
    // warning on its payments.
    let payment = w
        .store
        .payment_by_request_id(&ClientId::from(&w.client_id), &order.as_str().into())
        .await
        .unwrap()
        .expect("the order is the paymentRequestId");
    assert_eq!(
        w.store.payment_warnings(&payment.payment_id).await.unwrap(),
        vec![]
    );

    // Before any payment the return page asks the gateway: not paid.
    let (_, before) = w.get(&b, &format!("/orders/{order}")).await;
    assert!(before.contains("<h1>Awaiting payment</h1>"), "{before}");
    assert!(
        before.contains(&normal_url),
        "a link back to the checkout: {before}"
    );

    w.simulate(&order, "SUCCESS").await;
    let paid = w
        .wait_for(
            &b,
            &format!("/orders/{order}"),
            &["<h1>Order paid</h1>", "signed payment notification"],
        )
        .await;
    assert!(paid.contains("SGD 54.90"), "{paid}");
    // The sandbox simulation pays with ALIPAY_CN: buyers see the method's name.
    assert!(paid.contains("Paid with Alipay."), "{paid}");
    let (_, orders) = w.get(&b, "/orders").await;
    assert!(
        orders.contains("data-label=\"Paid with\">Alipay</td>"),
        "{orders}"
    );
    let (_, cart) = w.get(&b, "/cart").await;
    assert!(
        cart.contains("Your cart is empty"),
        "checkout empties the cart: {cart}"
    );

    // Partial refund, then the rest.
    let (status, to) = w
        .post(
            &b,
            &format!("/orders/{order}/refund"),
            &[("csrf", &b.csrf), ("amount", "4.90")],
        )
        .await;
    assert_eq!((status, to.as_str()), (StatusCode::SEE_OTHER, "/orders"));
    // The next page shows the refund API's answer once...
    let (_, result) = w.get(&b, "/orders").await;
    assert!(
        result.contains(&format!("Refund of SGD 4.90 for {order} succeeded.")),
        "{result}"
    );
    // ...and the order, once notifyRefund arrived, the confirmed refund.
    w.wait_for(
        &b,
        "/orders",
        &[
            "Partially refunded",
            "SGD 4.90: refunded (notification received)",
        ],
    )
    .await;
    // More than what remains is refused by the shop before the gateway sees it.
    w.post(
        &b,
        &format!("/orders/{order}/refund"),
        &[("csrf", &b.csrf), ("amount", "50.01")],
    )
    .await;
    let (_, refused) = w.get(&b, "/orders").await;
    assert!(
        refused.contains("At most SGD 50.00 can still be refunded."),
        "{refused}"
    );
    w.post(&b, &format!("/orders/{order}/refund"), &[("csrf", &b.csrf)])
        .await;
    let done = w
        .wait_for(
            &b,
            "/orders",
            &[
                "data-label=\"Status\">Refunded</td>",
                "SGD 50.00: refunded (notification received)",
            ],
        )
        .await;
    assert!(
        !done.contains("Refund in full"),
        "nothing left to refund: {done}"
    );
    let (_, page) = w.get(&b, &format!("/orders/{order}")).await;
    assert!(page.contains("<h1>Order refunded</h1>"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_payment_shows_as_failed() {
    let w = World::start().await;
    let b = w.browser().await;
    let (order, _) = w.checkout(&b).await;
    w.simulate(&order, "FAIL").await;
    let page = w
        .wait_for(
            &b,
            &format!("/orders/{order}"),
            &["<h1>Payment failed</h1>", "signed payment notification"],
        )
        .await;
    assert!(
        !page.contains("Complete payment"),
        "a failed payment cannot be resumed: {page}"
    );
    let (_, orders) = w.get(&b, "/orders").await;
    assert!(!orders.contains("Refund in full"), "{orders}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_need_the_sessions_csrf_token() {
    let w = World::start().await;
    let b = w.browser().await;
    let other = w.browser().await;
    for (who, token) in [(&b, "wrong"), (&b, ""), (&b, other.csrf.as_str())] {
        let (status, _) = w
            .post(who, "/cart/add", &[("csrf", token), ("product", "mug")])
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let anonymous = Browser {
        cookie: "demo_shop_session=forged".into(),
        csrf: b.csrf.clone(),
    };
    let (status, _) = w.post(&anonymous, "/checkout", &[("csrf", &b.csrf)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, cart) = w.get(&b, "/cart").await;
    assert!(
        cart.contains("Cart (0)") && cart.contains("Your cart is empty"),
        "{cart}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_verified_notifications_change_an_order() {
    let w = World::start().await;
    let b = w.browser().await;
    let (order, _) = w.checkout(&b).await;
    let body = json!({
        "notifyType": "PAYMENT_RESULT",
        "result": {"resultCode": "SUCCESS", "resultStatus": "S", "resultMessage": "success."},
        "paymentRequestId": order,
        "paymentId": "20260101000000000000000000000001",
        "paymentAmount": {"currency": "SGD", "value": "5490"},
        "paymentCreateTime": "2026-01-01T12:00:00+08:00",
        "paymentTime": "2026-01-01T12:00:05+08:00"
    })
    .to_string();
    let tampered = body.replace("5490", "1");
    assert_eq!(
        w.notify(NOTIFY_PATH, &body, &tampered).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        w.notify("/elsewhere", &body, &body).await,
        StatusCode::UNAUTHORIZED
    );
    // Genuinely signed by the gateway, but for another merchant: the
    // extractor's client-id check refuses it.
    assert_eq!(
        w.notify_as("SANDBOX_SOMEONE_ELSE", NOTIFY_PATH, &body, &body)
            .await,
        StatusCode::UNAUTHORIZED
    );
    // Signed, ours, of a type the shop does not handle: acknowledged (else
    // the gateway retries it for a day) and ignored.
    let unknown = json!({"notifyType": "DISPUTE_RESULT", "paymentRequestId": order}).to_string();
    assert_eq!(
        w.notify(NOTIFY_PATH, &unknown, &unknown).await,
        StatusCode::OK
    );
    // Nothing changed: the gateway still says not paid.
    let (_, page) = w.get(&b, &format!("/orders/{order}")).await;
    assert!(page.contains("<h1>Awaiting payment</h1>"), "{page}");
}
