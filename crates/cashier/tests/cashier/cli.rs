//! The `cashier merchant` commands, against a running `cashier serve` on the
//! same data dir: onboarding with a merchant-supplied key, key rotation,
//! listing, logos, and refusal of bad input.

use std::process::{Command, Output};
use std::time::Duration;

use cashier_client::{Client, ClientConfig};
use cashier_protocol::signing::PrivateKey;
use cashier_protocol::wire::InquiryPaymentRequest;
use cashier_test_support::b64;
use serde_json::Value;

fn cashier(args: &[&str], data_dir: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cashier"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .output()
        .expect("cashier runs")
}

/// The permission bits of a file or folder.
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_new_data_dir_and_its_database_are_owner_only() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("srv/cashier");
    let out = cashier(
        &[
            "merchant",
            "create",
            "--name",
            "Private Co",
            "--generate-key",
        ],
        &data,
    );
    assert!(out.status.success(), "{out:?}");
    assert_eq!(mode(&root.path().join("srv")), 0o700);
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("cashier.sqlite3")), 0o600);
    assert_eq!(mode(&data.join("gateway_key.pk8")), 0o600);
    for sidecar in ["cashier.sqlite3-wal", "cashier.sqlite3-shm"] {
        let path = data.join(sidecar);
        if path.exists() {
            assert_eq!(mode(&path), 0o600, "{sidecar}");
        }
    }
}

async fn inquiry_code(
    base: &str,
    client_id: &str,
    key: &PrivateKey,
    version: u32,
    gateway: &str,
) -> String {
    let mut cfg = ClientConfig::new(base, client_id, &b64(&key.to_pkcs8_der()), gateway).unwrap();
    cfg.key_version = version;
    let client = Client::new(cfg).unwrap();
    match client
        .inquiry_payment(&InquiryPaymentRequest {
            payment_request_id: Some("nothing".into()),
            ..Default::default()
        })
        .await
    {
        Ok(_) => "SUCCESS".into(),
        Err(e) => e.result_code().unwrap_or("transport").to_string(),
    }
}

#[tokio::test]
async fn merchant_keys_can_be_registered_rotated_and_listed_while_serving() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = crate::common::serve(None, dir.path(), &["--sandbox-simulation"]).await;

    let v1 = PrivateKey::generate().unwrap();
    let pem = format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
        v1.public_key().to_base64()
    );
    std::fs::write(dir.path().join("v1.pem"), pem).unwrap();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    std::fs::write(dir.path().join("logo.png"), png).unwrap();
    let out = cashier(
        &[
            "merchant",
            "create",
            "--name",
            "Rotating Shop",
            "--public-key",
            dir.path().join("v1.pem").to_str().unwrap(),
            "--logo",
            dir.path().join("logo.png").to_str().unwrap(),
            "--json",
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m: Value = serde_json::from_slice(&out.stdout).unwrap();
    let client_id = m["clientId"].as_str().unwrap();
    let gateway = m["gatewayPublicKey"].as_str().unwrap();
    assert_eq!(m["keyVersion"], 1);
    assert!(
        m.get("merchantPrivateKey").is_none(),
        "no private key when the merchant brought one"
    );

    // The running server sees the new merchant at once.
    assert_eq!(
        inquiry_code(&base, client_id, &v1, 1, gateway).await,
        "ORDER_NOT_EXIST"
    );
    let v2 = PrivateKey::generate().unwrap();
    assert_eq!(
        inquiry_code(&base, client_id, &v2, 2, gateway).await,
        "KEY_NOT_FOUND"
    );

    std::fs::write(dir.path().join("v2.b64"), v2.public_key().to_base64()).unwrap();
    let out = cashier(
        &[
            "merchant",
            "key",
            "add",
            client_id,
            "--key-version",
            "2",
            "--public-key",
            dir.path().join("v2.b64").to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        inquiry_code(&base, client_id, &v2, 2, gateway).await,
        "ORDER_NOT_EXIST"
    );
    assert_eq!(
        inquiry_code(&base, client_id, &v1, 1, gateway).await,
        "ORDER_NOT_EXIST",
        "old versions keep working"
    );
    assert_eq!(
        inquiry_code(&base, client_id, &v1, 2, gateway).await,
        "INVALID_SIGNATURE",
        "a version is bound to its key"
    );

    let again = cashier(
        &[
            "merchant",
            "key",
            "add",
            client_id,
            "--key-version",
            "2",
            "--public-key",
            dir.path().join("v2.b64").to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    let list = cashier(&["merchant", "list", "--json"], dir.path());
    let list: Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(list[0]["clientId"], client_id);
    assert_eq!(list[0]["name"], "Rotating Shop");
}

#[tokio::test]
async fn generated_keys_come_in_both_sdk_formats() {
    let dir = tempfile::tempdir().unwrap();
    let out = cashier(
        &[
            "merchant",
            "create",
            "--name",
            "Gen",
            "--generate-key",
            "--json",
        ],
        dir.path(),
    );
    assert!(out.status.success());
    let m: Value = serde_json::from_slice(&out.stdout).unwrap();
    let pkcs8 = PrivateKey::from_text(m["merchantPrivateKey"].as_str().unwrap()).unwrap();
    let pkcs1 = PrivateKey::from_text(m["merchantPrivateKeyPkcs1"].as_str().unwrap()).unwrap();
    assert_eq!(
        pkcs8.public_key().to_base64(),
        pkcs1.public_key().to_base64()
    );
    assert!(m["clientId"].as_str().unwrap().starts_with("SANDBOX_"));
    // Text output names both forms too.
    let text = cashier(
        &["merchant", "create", "--name", "Gen2", "--generate-key"],
        dir.path(),
    );
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("PKCS#8") && text.contains("PKCS#1") && text.contains("gatewayPublicKey")
    );
}

#[test]
fn bad_merchant_input_is_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("junk.pem"), "not a key").unwrap();
    std::fs::write(dir.path().join("logo.svg"), "<svg onload=alert(1)>").unwrap();
    let key = dir.path().join("junk.pem");
    let svg = dir.path().join("logo.svg");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["merchant", "create", "--name", "X"], "exactly one of"),
        (
            vec![
                "merchant",
                "create",
                "--name",
                "X",
                "--public-key",
                key.to_str().unwrap(),
            ],
            "not an RSA public key",
        ),
        (
            vec!["merchant", "create", "--name", "", "--generate-key"],
            "--name",
        ),
        (
            vec![
                "merchant",
                "create",
                "--name",
                "X",
                "--generate-key",
                "--notify-url",
                "ftp://x",
            ],
            "--notify-url",
        ),
        (
            vec![
                "merchant",
                "create",
                "--name",
                "X",
                "--generate-key",
                "--logo",
                svg.to_str().unwrap(),
            ],
            "PNG, JPEG",
        ),
        (
            vec![
                "merchant",
                "key",
                "add",
                "SANDBOX_NOBODY",
                "--key-version",
                "2",
                "--public-key",
                key.to_str().unwrap(),
            ],
            "not an RSA public key",
        ),
    ];
    for (args, expected) in cases {
        let out = cashier(&args, dir.path());
        assert!(!out.status.success(), "{args:?} should fail");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    let list = cashier(&["merchant", "list", "--json"], dir.path());
    assert_eq!(
        String::from_utf8_lossy(&list.stdout).trim(),
        "[]",
        "nothing was created"
    );
}

#[test]
fn strict_mode_is_switched_with_merchant_update() {
    let dir = tempfile::tempdir().unwrap();
    let created = cashier(
        &[
            "merchant",
            "create",
            "--name",
            "Strict Co",
            "--generate-key",
            "--json",
        ],
        dir.path(),
    );
    assert!(created.status.success(), "{created:?}");
    let created: Value = serde_json::from_slice(&created.stdout).unwrap();
    let client_id = created["clientId"].as_str().unwrap();
    let strict_of = || {
        let list = cashier(&["merchant", "list", "--json"], dir.path());
        let list: Value = serde_json::from_slice(&list.stdout).unwrap();
        list[0]["strict"].as_bool().unwrap()
    };
    assert!(!strict_of(), "merchants start lenient");
    let on = cashier(&["merchant", "update", client_id, "--strict"], dir.path());
    assert!(on.status.success(), "{on:?}");
    assert_eq!(
        String::from_utf8_lossy(&on.stdout).trim(),
        format!("{client_id}: strict mode on; settles in each payment's own currency")
    );
    assert!(strict_of());
    let off = cashier(
        &["merchant", "update", client_id, "--no-strict"],
        dir.path(),
    );
    assert!(off.status.success(), "{off:?}");
    assert!(!strict_of());

    let contract_of = || {
        let list = cashier(&["merchant", "list", "--json"], dir.path());
        let list: Value = serde_json::from_slice(&list.stdout).unwrap();
        list[0]["settlementCurrencies"].clone()
    };
    let set = cashier(
        &[
            "merchant",
            "update",
            client_id,
            "--settlement-currencies",
            "usd, SGD",
        ],
        dir.path(),
    );
    assert!(set.status.success(), "{set:?}");
    assert!(String::from_utf8_lossy(&set.stdout).ends_with("settles in USD,SGD\n"));
    assert_eq!(contract_of(), "USD,SGD");
    let bad = cashier(
        &[
            "merchant",
            "update",
            client_id,
            "--settlement-currencies",
            "USD,XYZ",
        ],
        dir.path(),
    );
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("\"XYZ\" is not a supported currency code")
    );
    assert_eq!(contract_of(), "USD,SGD", "a refused update changes nothing");
    let clear = cashier(
        &[
            "merchant",
            "update",
            client_id,
            "--settlement-currencies",
            "",
        ],
        dir.path(),
    );
    assert!(clear.status.success(), "{clear:?}");
    assert_eq!(contract_of(), Value::Null);

    for (args, expected) in [
        (vec!["merchant", "update", client_id], "nothing to change"),
        (
            vec!["merchant", "update", client_id, "--strict", "--no-strict"],
            "cannot be used with",
        ),
        (
            vec!["merchant", "update", "SANDBOX_NOBODY", "--strict"],
            "no merchant with client id",
        ),
    ] {
        let out = cashier(&args, dir.path());
        assert!(!out.status.success(), "{args:?} should fail");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    assert!(!strict_of(), "refused updates change nothing");
}

#[tokio::test]
async fn report_writes_the_days_files_and_refuses_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = cashier(
        &[
            "merchant",
            "create",
            "--name",
            "Report Shop",
            "--generate-key",
            "--json",
            "--fee-bps",
            "250",
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m: Value = serde_json::from_slice(&out.stdout).unwrap();
    let client_id = m["clientId"].as_str().unwrap().to_string();
    let (server, base) = crate::common::serve(None, dir.path(), &["--sandbox-simulation"]).await;
    let client = Client::new(
        ClientConfig::new(
            &base,
            &client_id,
            m["merchantPrivateKey"].as_str().unwrap(),
            m["gatewayPublicKey"].as_str().unwrap(),
        )
        .unwrap(),
    )
    .unwrap();
    let amount = serde_json::json!({"currency": "JPY", "value": "1500"});
    let body = serde_json::json!({
        "productCode": "CASHIER_PAYMENT", "paymentRequestId": "PR-REPORT",
        "order": {"referenceOrderId": "O-R", "orderDescription": "Tea", "orderAmount": amount,
                  "goods": [{"referenceGoodsId": "T", "goodsName": "Tea", "goodsQuantity": "1", "goodsUnitAmount": amount}],
                  "buyer": {"referenceBuyerId": "B", "buyerName": {"fullName": "Aiko"}}},
        "paymentAmount": amount, "paymentRedirectUrl": "https://m.example.com/r"
    });
    let created = client
        .send_raw(
            cashier_client::CREATE_PAYMENT_SESSION,
            body.to_string().as_bytes(),
        )
        .await
        .unwrap();
    assert_eq!(created.result.unwrap().result_code, "SUCCESS");
    let sim = crate::common::simulated(
        &reqwest::Client::new(),
        &base,
        &client_id,
        "PR-REPORT",
        "SUCCESS",
    )
    .await;
    assert_eq!(sim["paymentStatus"], "SUCCESS");
    drop(server);

    let today = cashier_protocol::time::antom_day(chrono::Utc::now()).to_string();
    let out = cashier(
        &["report", "--client-id", &client_id, "--date", &today],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    let compact = today.replace('-', "");
    let details = dir
        .path()
        .join("reports")
        .join(&client_id)
        .join(&compact)
        .join(format!("transactionItems_{compact}_000.csv"));
    assert!(printed.contains(details.to_str().unwrap()), "{printed}");
    let csv = std::fs::read_to_string(&details).unwrap();
    assert!(csv.starts_with("customerId,acquirer,"), "{csv}");
    assert!(csv.ends_with("<END>\n"));
    let row = csv
        .lines()
        .find(|l| l.contains("PR-REPORT"))
        .expect("the payment is reported");
    // JPY has no decimals: 1500 yen is 1500 minor units; 2.5% fee = 37.5 → 38 (half to even).
    assert!(
        row.contains(",PAYMENT,SUCCESS,")
            && row.contains(",1500,JPY,1462,JPY,")
            && row.contains(",-38,JPY,"),
        "{row}"
    );
    assert!(
        printed.contains("settlementItems_JPY_") && printed.contains("settlementSummary_JPY_"),
        "{printed}"
    );
    // Owner-only: the database and every report file and folder.
    assert_eq!(mode(&dir.path().join("cashier.sqlite3")), 0o600);
    let mut folder = dir.path().join("reports");
    for part in [client_id.as_str(), compact.as_str()] {
        assert_eq!(mode(&folder), 0o700, "{}", folder.display());
        folder = folder.join(part);
    }
    assert_eq!(mode(&folder), 0o700);
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }

    for (args, expected) in [
        (
            vec![
                "report",
                "--client-id",
                "SANDBOX_NOBODY",
                "--date",
                "2025-01-01",
            ],
            "SANDBOX_NOBODY",
        ),
        (
            vec![
                "report",
                "--client-id",
                client_id.as_str(),
                "--date",
                "2025-13-01",
            ],
            "date",
        ),
        (
            vec![
                "report",
                "--client-id",
                client_id.as_str(),
                "--date",
                "yesterday",
            ],
            "date",
        ),
    ] {
        let out = cashier(&args, dir.path());
        assert!(!out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(expected),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_node_with_another_gateway_key_refuses_to_start() {
    let shared = tempfile::tempdir().unwrap();
    let db = format!(
        "sqlite://{}",
        shared.path().join("shared.sqlite3").display()
    );
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let run = |dir: &std::path::Path, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_cashier"))
            .args(args)
            .args(["--database-url", &db, "--data-dir"])
            .arg(dir)
            .output()
            .unwrap()
    };
    let first = run(
        a.path(),
        &[
            "merchant",
            "create",
            "--name",
            "A",
            "--generate-key",
            "--json",
        ],
    );
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    // Node B has an empty data dir: it would generate a key of its own.
    for args in [
        vec!["merchant", "create", "--name", "B", "--generate-key"],
        vec!["serve", "--listen", "127.0.0.1:0"],
    ] {
        let out = run(b.path(), &args);
        assert!(!out.status.success(), "{args:?} must refuse");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("not the deployment's key") && err.contains("gateway_key.pk8"),
            "{err}"
        );
    }
    // With the key copied over, it starts.
    std::fs::copy(
        a.path().join("gateway_key.pk8"),
        b.path().join("gateway_key.pk8"),
    )
    .unwrap();
    let ok = run(b.path(), &["merchant", "list", "--json"]);
    assert!(ok.status.success());
    let created = run(
        b.path(),
        &[
            "merchant",
            "create",
            "--name",
            "B",
            "--generate-key",
            "--json",
        ],
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let a_key: Value = serde_json::from_slice(&first.stdout).unwrap();
    let b_key: Value = serde_json::from_slice(&created.stdout).unwrap();
    assert_eq!(a_key["gatewayPublicKey"], b_key["gatewayPublicKey"]);
}

/// `cashier merchant key retire` against a running `cashier serve` on the
/// same store: the retired version gets `KEY_NOT_FOUND` at once, the other
/// keeps working; the last active key, an unknown version and an unknown
/// merchant are refused with a reason and change nothing. `db_url`: the
/// PostgreSQL database to use, or SQLite in the data dir.
async fn retire_keys_while_serving(db_url: Option<&str>) {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let mut cmd = crate::common::cashier(db_url);
        cmd.args(args).arg("--data-dir").arg(dir.path());
        cmd.output().unwrap()
    };
    let m = crate::common::merchant_create(
        crate::common::cashier(db_url),
        "Retiring Shop",
        Some(dir.path()),
        &[],
    );
    let client_id = m["clientId"].as_str().unwrap();
    let gateway = m["gatewayPublicKey"].as_str().unwrap();
    let v1 = PrivateKey::from_text(m["merchantPrivateKey"].as_str().unwrap()).unwrap();
    let v2 = PrivateKey::generate().unwrap();
    std::fs::write(dir.path().join("v2.b64"), v2.public_key().to_base64()).unwrap();
    let v2_file = dir.path().join("v2.b64");
    let out = run(&[
        "merchant",
        "key",
        "add",
        client_id,
        "--key-version",
        "2",
        "--public-key",
        v2_file.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let (_server, base) = crate::common::serve(db_url, dir.path(), &[]).await;
    for (key, version) in [(&v1, 1), (&v2, 2)] {
        assert_eq!(
            inquiry_code(&base, client_id, key, version, gateway).await,
            "ORDER_NOT_EXIST"
        );
    }

    let retire = |version: &str, client: &str| {
        run(&[
            "merchant",
            "key",
            "retire",
            "--client-id",
            client,
            "--key-version",
            version,
        ])
    };
    let out = retire("1", client_id);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("retired keyVersion 1"));
    // The running server refuses the retired version, as if it had never
    // been registered, once its one-second merchant cache has lapsed (the
    // deadline leaves room for a slow CI machine); the other version keeps
    // working throughout.
    let refused = crate::common::eventually(Duration::from_secs(5), || async {
        let code = inquiry_code(&base, client_id, &v1, 1, gateway).await;
        if code == "KEY_NOT_FOUND" {
            return true;
        }
        assert_eq!(code, "ORDER_NOT_EXIST");
        false
    })
    .await;
    assert!(refused, "the retired key still verifies after 5 s");
    assert_eq!(
        inquiry_code(&base, client_id, &v2, 2, gateway).await,
        "ORDER_NOT_EXIST"
    );

    for (version, client, says) in [
        ("2", client_id, "only active key"),
        ("1", client_id, "already retired"),
        ("5", client_id, "has no keyVersion 5"),
        (
            "1",
            "SANDBOX_NOBODY",
            "no merchant with client id \"SANDBOX_NOBODY\"",
        ),
    ] {
        let out = retire(version, client);
        assert!(!out.status.success(), "{version} {client}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{version} {client}: {err}");
    }
    assert_eq!(
        inquiry_code(&base, client_id, &v2, 2, gateway).await,
        "ORDER_NOT_EXIST",
        "the last active key still works"
    );
}

#[tokio::test]
async fn merchant_key_retire_on_sqlite() {
    retire_keys_while_serving(None).await;
}

#[tokio::test]
#[cfg_attr(
    not(postgres_tests),
    ignore = "needs PostgreSQL: set CASHIER_TEST_POSTGRES_URL"
)]
async fn merchant_key_retire_on_postgres() {
    let admin = std::env::var("CASHIER_TEST_POSTGRES_URL").expect("CASHIER_TEST_POSTGRES_URL");
    let db = cashier_gateway::store::postgres::admin::ScratchDatabase::create(&admin)
        .await
        .expect("a scratch database");
    retire_keys_while_serving(Some(&db.url)).await;
}
