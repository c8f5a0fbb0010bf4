//! `cashier serve --log-format json`: the real binary writes one JSON object
//! per line, one line per API request, without keys or request bodies.

use std::process::Stdio;
use std::time::Duration;

use crate::common::{
    cashier, eventually, free_port, merchant_client, merchant_create, wait_readyz, Running,
};
use cashier_client::CREATE_PAYMENT_SESSION;
use serde_json::{json, Value};

/// Lines of the log file that parse as JSON objects.
fn log_lines(path: &std::path::Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

#[tokio::test]
async fn json_logs_have_one_line_per_api_request_without_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let m = merchant_create(cashier(None), "Log Shop", Some(dir.path()), &[]);
    let client_id = m["clientId"].as_str().unwrap().to_string();
    let private_key = m["merchantPrivateKey"].as_str().unwrap().to_string();

    let log_path = dir.path().join("serve.log");
    let port = free_port();
    let _server = Running::new(
        cashier(None)
            .args([
                "serve",
                "--allow-private-notify",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--data-dir",
            ])
            .arg(dir.path())
            .env("CASHIER_LOG_FORMAT", "json")
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log_path).unwrap())
            .spawn()
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    wait_readyz(&base, 200, Duration::from_secs(30), Some(&log_path)).await;

    let client = merchant_client(&base, &m);
    let body = json!({
        "productCode": "CASHIER_PAYMENT",
        "paymentRequestId": "LOG-REQ-1",
        "order": {
            "referenceOrderId": "LOG-ORDER-1",
            "orderDescription": "Secret sauce description",
            "orderAmount": {"currency": "SGD", "value": "1000"},
            "goods": [{"referenceGoodsId": "G1", "goodsName": "Kopi", "goodsQuantity": "1",
                       "goodsUnitAmount": {"currency": "SGD", "value": "1000"}}],
            "buyer": {"referenceBuyerId": "B1", "buyerName": {"fullName": "Tan Ah Kow"}}
        },
        "paymentAmount": {"currency": "SGD", "value": "1000"},
        "settlementStrategy": {"settlementCurrency": "SGD"},
        "paymentRedirectUrl": "https://merchant.example.com/return",
        "paymentNotifyUrl": "http://127.0.0.1:9/notify",
        "env": {"terminalType": "WEB"}
    });
    let raw = client
        .send_raw(CREATE_PAYMENT_SESSION, body.to_string().as_bytes())
        .await
        .expect("signed answer");
    let answer: Value = serde_json::from_str(&raw.body).unwrap();
    assert_eq!(answer["result"]["resultStatus"], "S", "{answer}");

    // The line is written as the response goes out: wait for it.
    let line = eventually(Duration::from_secs(30), || async {
        let lines = log_lines(&log_path);
        match lines.iter().find(|l| l["message"] == "api request") {
            Some(l) => Ok(l.clone()),
            None => Err(lines),
        }
    })
    .await
    .unwrap_or_else(|lines| panic!("no request log line: {lines:?}"));
    assert_eq!(line["level"], "INFO");
    assert!(line["timestamp"].as_str().is_some_and(|t| t.len() >= 20));
    assert_eq!(line["api"], "createPaymentSession");
    assert_eq!(line["client_id"], client_id);
    assert_eq!(line["result_code"], "SUCCESS");
    assert_eq!(line["payment_request_id"], "LOG-REQ-1");
    let latency = line["latency_ms"].as_f64().expect("latency_ms is a number");
    assert!(latency > 0.0 && latency < 60_000.0, "{latency}");

    let all = std::fs::read_to_string(&log_path).unwrap();
    for secret in [&private_key[..40], "Secret sauce", "Tan Ah Kow"] {
        assert!(!all.contains(secret), "log contains {secret:?}:\n{all}");
    }
}
