//! The dashboard's shared state across `cashier serve` processes. The API
//! request log lives in the store, so a request answered by node A shows on
//! node B's Developers page (two real nodes on one PostgreSQL database), and
//! it survives a graceful restart (SIGTERM) of a SQLite node, whose
//! buffered entries are written on the way out. Logos live in the store
//! too: one uploaded through node A (dashboard or `merchant create --logo`)
//! is served by node B, and the logo files of older installs are imported
//! when `serve` starts.
//!
//! The PostgreSQL tests run when `CASHIER_TEST_POSTGRES_URL` is set (CI
//! sets it); without it they are reported as ignored, with the reason (see
//! `build.rs`).

use std::time::{Duration, Instant};

use crate::common::{
    create_user, eventually, merchant_client, merchant_create, scratch_database, wait_exit,
    Dashboard, Running, ScratchDatabase,
};
use serde_json::{json, Value};

use cashier_gateway::store::ClientId;

/// Two `serve` nodes on one scratch PostgreSQL database, sharing the
/// deployment's gateway key, with a merchant and its dashboard user.
struct TwoNodes {
    merchant: Value,
    a: (Running, String),
    b: (Running, String),
    data_dirs: (tempfile::TempDir, tempfile::TempDir),
    db: ScratchDatabase,
}

impl TwoNodes {
    async fn start(name: &str, email: &str) -> TwoNodes {
        let db = scratch_database().await;
        let url = Some(db.url.as_str());
        let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let merchant = merchant_create(crate::common::cashier(url), name, Some(dir_a.path()), &[]);
        // Every node signs with the deployment's one gateway key.
        std::fs::copy(
            dir_a.path().join("gateway_key.pk8"),
            dir_b.path().join("gateway_key.pk8"),
        )
        .unwrap();
        let client_id = merchant["clientId"].as_str().unwrap();
        create_user(url, dir_a.path(), email, client_id);
        let a = crate::common::serve(url, dir_a.path(), &[]).await;
        let b = crate::common::serve(url, dir_b.path(), &[]).await;
        TwoNodes {
            merchant,
            a,
            b,
            data_dirs: (dir_a, dir_b),
            db,
        }
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
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set CASHIER_TEST_POSTGRES_URL"
)]
async fn an_api_call_to_node_a_shows_on_node_b_developers_page() {
    let nodes = TwoNodes::start("Two Nodes", "owner@two.example").await;
    let (m, base_a, base_b) = (&nodes.merchant, nodes.a.1.clone(), nodes.b.1.clone());

    let mut page_b = Dashboard::login(&base_b, "owner@two.example").await;
    let (status, html) = page_b.get("/dashboard/developers").await;
    assert_eq!(status, 200);
    assert!(logged_request_ids(&html).is_empty(), "{html}");

    // Three calls answered by node A only.
    let via_a = merchant_client(&base_a, m);
    for rid in ["NODE-A-1", "NODE-A-2", "NODE-A-3"] {
        inquire(&via_a, rid).await;
    }
    // Node A writes its buffer within about a second; node B reads the store.
    let t0 = Instant::now();
    let page_b = tokio::sync::Mutex::new(page_b);
    let ids = eventually(Duration::from_secs(10), || async {
        let (_, html) = page_b.lock().await.get("/dashboard/developers").await;
        let ids = logged_request_ids(&html);
        // Ok ends the wait; Err is what was seen last.
        if ids.len() >= 3 {
            Ok(ids)
        } else {
            Err(ids)
        }
    })
    .await
    .unwrap_or_else(|last| last);
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
    let m = merchant_create(
        crate::common::cashier(None),
        "Restarting",
        Some(dir.path()),
        &[],
    );
    let client_id = m["clientId"].as_str().unwrap();
    create_user(None, dir.path(), "owner@restart.example", client_id);
    let (mut server, base) = crate::common::serve(None, dir.path(), &[]).await;
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
    let status = wait_exit(&mut child, Duration::from_secs(15))
        .await
        .expect("serve did not stop after SIGTERM");
    assert!(status.success(), "a graceful stop exits 0: {status:?}");
    let store = crate::common::open_store(dir.path(), None).await;
    let rows = store
        .recent_api_requests(&ClientId::from(client_id), true, 100)
        .await
        .unwrap();
    assert_eq!(rows.len(), 3, "{rows:?}");
    drop(store);

    let (_server, base) = crate::common::serve(None, dir.path(), &[]).await;
    let mut page = Dashboard::login(&base, "owner@restart.example").await;
    let (status, html) = page.get("/dashboard/developers").await;
    assert_eq!(status, 200);
    assert_eq!(
        logged_request_ids(&html),
        ["BEFORE-3", "BEFORE-2", "BEFORE-1"]
    );
    assert!(html.contains("<td>inquiryPayment</td><td>ORDER_NOT_EXIST</td><td>F</td>"));
}

/// A 1×1 PNG.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\x04\0\x09\xfb\x03\xfd\xe3U\xf2\x9c\0\0\0\0IEND\xaeB`\x82";

/// The settings form as multipart/form-data, with a logo file.
fn settings_form(csrf: &str, brand: &str, logo: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----cashier-nodes-7d1f";
    let mut body = Vec::new();
    for (k, v) in [("csrf", csrf), ("brand_name", brand)] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"logo.png\"\r\nContent-Type: image/png\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(logo);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Creates a payment session through `client`: the checkout page's path.
async fn checkout_path(client: &cashier_client::Client, request_id: &str) -> String {
    let body = json!({
        "productCode": "CASHIER_PAYMENT",
        "paymentRequestId": request_id,
        "order": {
            "referenceOrderId": format!("O-{request_id}"),
            "orderDescription": "Tea",
            "orderAmount": {"currency": "SGD", "value": "500"},
            "goods": [{"referenceGoodsId": "TEA", "goodsName": "Tea", "goodsQuantity": "1",
                       "goodsUnitAmount": {"currency": "SGD", "value": "500"}}],
            "buyer": {"referenceBuyerId": "B-1", "buyerName": {"fullName": "Tan Ah Kow"}}
        },
        "paymentAmount": {"currency": "SGD", "value": "500"},
        "paymentRedirectUrl": "https://shop.example/return",
        "settlementStrategy": {"settlementCurrency": "SGD"},
        "env": {"terminalType": "WEB"}
    });
    let raw = client
        .send_raw(
            cashier_client::CREATE_PAYMENT_SESSION,
            body.to_string().as_bytes(),
        )
        .await
        .expect("a signed answer");
    let v: Value = serde_json::from_str(&raw.body).unwrap();
    assert_eq!(v["result"]["resultStatus"], "S", "{v}");
    let normal_url = v["normalUrl"].as_str().unwrap();
    normal_url[normal_url.find("/checkout/").unwrap()..].to_string()
}

/// The `src` of the logo `<img>` on a checkout page.
fn logo_src(html: &str) -> String {
    let start = html.find("src=\"/logos/").expect("the page shows a logo") + 5;
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

/// GET `base` + `path`: (status, content type, body).
async fn fetch(base: &str, path: &str) -> (u16, String, Vec<u8>) {
    let r = reqwest::get(format!("{base}{path}")).await.unwrap();
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (r.status().as_u16(), ct, r.bytes().await.unwrap().to_vec())
}

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set CASHIER_TEST_POSTGRES_URL"
)]
async fn a_logo_uploaded_through_node_a_is_served_by_node_b() {
    let nodes = TwoNodes::start("Logo Nodes", "owner@logo.example").await;
    let (m, base_a, base_b) = (&nodes.merchant, nodes.a.1.clone(), nodes.b.1.clone());
    let (dir_a, url) = (&nodes.data_dirs.0, Some(nodes.db.url.as_str()));

    // Upload through node A's dashboard settings.
    let mut page_a = Dashboard::login(&base_a, "owner@logo.example").await;
    let (_, html) = page_a.get("/dashboard/settings").await;
    let csrf = crate::common::input_value(&html, "csrf").unwrap();
    let (ct, body) = settings_form(&csrf, "Logo Nodes", PNG);
    let req = page_a
        .http
        .post(format!("{base_a}/dashboard/settings"))
        .header("content-type", ct)
        .body(body);
    let (status, text) = page_a.send(req).await;
    assert_eq!(status, 303, "{text}");
    assert!(
        !dir_a.path().join("logos").exists(),
        "no file in node A's data dir: the logo is in the database"
    );

    // A checkout page served by node B shows it, and node B serves its bytes.
    let path = checkout_path(&merchant_client(&base_a, m), "LOGO-1").await;
    let (status, _, html) = fetch(&base_b, &path).await;
    assert_eq!(status, 200);
    let src = logo_src(&String::from_utf8(html).unwrap());
    let (status, ct, bytes) = fetch(&base_b, &src).await;
    assert_eq!((status, ct.as_str()), (200, "image/png"));
    assert_eq!(bytes, PNG, "the same bytes");

    // `cashier merchant create --logo` on another machine (its own data
    // dir) on the same database: node B serves that one too.
    let dir_c = tempfile::tempdir().unwrap();
    std::fs::copy(
        dir_a.path().join("gateway_key.pk8"),
        dir_c.path().join("gateway_key.pk8"),
    )
    .unwrap();
    let jpeg = [&[0xFF, 0xD8, 0xFF, 0xE0][..], b"\0\x10JFIF\0tiny"].concat();
    std::fs::write(dir_c.path().join("logo.jpg"), &jpeg).unwrap();
    let logo_arg = dir_c.path().join("logo.jpg");
    let m2 = merchant_create(
        crate::common::cashier(url),
        "CLI Logo",
        Some(dir_c.path()),
        &["--logo", logo_arg.to_str().unwrap()],
    );
    let path = checkout_path(&merchant_client(&base_b, &m2), "LOGO-2").await;
    let (_, _, html) = fetch(&base_b, &path).await;
    let src = logo_src(&String::from_utf8(html).unwrap());
    let (status, ct, bytes) = fetch(&base_b, &src).await;
    assert_eq!((status, ct.as_str()), (200, "image/jpeg"));
    assert_eq!(bytes, jpeg);
    let (status, _, _) = fetch(&base_a, &src).await;
    assert_eq!(status, 200, "and node A");
}

/// An install from before logos moved into the database: the merchant's
/// `logo_file` names a file in `<data dir>/logos/`. `serve` imports it on
/// start, and the page and the old URL keep working.
#[tokio::test]
async fn logo_files_of_older_installs_are_imported_on_start() {
    let dir = tempfile::tempdir().unwrap();
    let m = merchant_create(
        crate::common::cashier(None),
        "Old Install",
        Some(dir.path()),
        &[],
    );
    let client_id = m["clientId"].as_str().unwrap();
    let legacy = "sandboxold-x1y2z3.png";
    std::fs::create_dir_all(dir.path().join("logos")).unwrap();
    std::fs::write(dir.path().join("logos").join(legacy), PNG).unwrap();
    {
        let store = crate::common::open_store(dir.path(), None).await;
        let mut merchant = store
            .merchant(&ClientId::from(client_id))
            .await
            .unwrap()
            .unwrap();
        merchant.logo_file = Some(legacy.to_string());
        assert!(store.update_merchant_settings(&merchant).await.unwrap());
    }
    let (_server, base) = crate::common::serve(None, dir.path(), &[]).await;
    let (status, ct, bytes) = fetch(&base, &format!("/logos/{legacy}")).await;
    assert_eq!((status, ct.as_str()), (200, "image/png"));
    assert_eq!(bytes, PNG);
    let path = checkout_path(&merchant_client(&base, &m), "OLD-1").await;
    let (_, _, html) = fetch(&base, &path).await;
    assert_eq!(
        logo_src(&String::from_utf8(html).unwrap()),
        format!("/logos/{legacy}")
    );
    // Now in the database: the file is no longer needed.
    std::fs::remove_file(dir.path().join("logos").join(legacy)).unwrap();
    let store = crate::common::open_store(dir.path(), None).await;
    let stored = store.logo(legacy).await.unwrap().expect("imported");
    assert_eq!(
        (stored.client_id.as_str(), stored.bytes.as_slice()),
        (client_id, PNG)
    );
    let (status, _, _) = fetch(&base, &format!("/logos/{legacy}")).await;
    assert_eq!(status, 200);
}
