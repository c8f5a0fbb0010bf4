//! `cashier backup` and `cashier restore` (issue #20, point 1), through the
//! real binary: a backup taken while `serve` takes payments and refunds
//! holds every one acknowledged before it started, consistent (payment,
//! refunds, notification outbox); a restore refuses a running gateway and
//! files that are not backups, and keeps what it replaces.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cashier_client::{Amount, Currency, InquiryPayment, PaymentStatus, RefundPayment};
use serde_json::Value;

/// A payment the gateway answered `S` for, with its refund if any.
#[derive(Debug, Clone)]
struct Acknowledged {
    request_id: String,
    payment_id: String,
    refund_id: Option<String>,
}

fn cli(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd = crate::common::cashier(None);
    cmd.args(args).arg("--data-dir").arg(dir);
    cmd.output().unwrap()
}

fn json_of(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_under_load_restores_every_acknowledged_payment() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let m = crate::common::merchant_create(
        crate::common::cashier(None),
        "Backup Shop",
        Some(&data),
        &[],
    );
    let client_id = m["clientId"].as_str().unwrap().to_string();
    let (mut server, base) = crate::common::serve(
        None,
        &data,
        &["--sandbox-simulation", "--allow-private-notify"],
    )
    .await;
    let (_endpoint, notify_url) =
        crate::common::Endpoint::start(m["gatewayPublicKey"].as_str().unwrap()).await;
    let client = Arc::new(crate::common::merchant_client(&base, &m));

    // The load: pay, and refund every other payment, until told to stop.
    let acknowledged: Arc<Mutex<Vec<Acknowledged>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let load = {
        let (client, acknowledged, stop) = (client.clone(), acknowledged.clone(), stop.clone());
        let (base, client_id, notify_url) = (base.clone(), client_id.clone(), notify_url.clone());
        tokio::spawn(async move {
            let http = reqwest::Client::new();
            let sgd = Currency::from_code("SGD").unwrap();
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) {
                i += 1;
                let rid = format!("BACKUP-{i}");
                client
                    .send(&crate::common::session(&rid, &notify_url))
                    .await
                    .unwrap();
                let paid =
                    crate::common::simulated(&http, &base, &client_id, &rid, "SUCCESS").await;
                assert_eq!(paid["paymentStatus"], "SUCCESS", "{paid}");
                let payment_id = paid["paymentId"].as_str().unwrap().to_string();
                let refund_id = if i % 2 == 0 {
                    let r = client
                        .send(&RefundPayment::new(
                            format!("RF-{i}"),
                            &payment_id,
                            Amount::new(sgd, 400),
                        ))
                        .await
                        .unwrap();
                    Some(r.refund_id)
                } else {
                    None
                };
                acknowledged.lock().unwrap().push(Acknowledged {
                    request_id: rid,
                    payment_id,
                    refund_id,
                });
            }
        })
    };
    // Some payments before the backup, more while it runs.
    let warm = crate::common::eventually(Duration::from_secs(30), || async {
        (acknowledged.lock().unwrap().len() >= 100).then_some(())
    })
    .await;
    assert!(warm.is_some(), "the load runs");
    let before: Vec<Acknowledged> = acknowledged.lock().unwrap().clone();
    let file = dir.path().join("cashier.backup");
    let backup_started = std::time::Instant::now();
    let backup = {
        let (data, file) = (data.clone(), file.clone());
        tokio::task::spawn_blocking(move || {
            cli(&data, &["backup", "--to", file.to_str().unwrap(), "--json"])
        })
        .await
        .unwrap()
    };
    let summary = json_of(&backup);
    let backup_took = backup_started.elapsed();
    // The load went on during the backup.
    let during = crate::common::eventually(Duration::from_secs(30), || async {
        let n = acknowledged.lock().unwrap().len();
        (n > before.len() + 5).then_some(n)
    })
    .await;
    assert!(during.is_some(), "payments continue while backing up");
    stop.store(true, Ordering::SeqCst);
    load.await.unwrap();
    let total = acknowledged.lock().unwrap().len() as i64;
    let in_backup = summary["payments"].as_i64().unwrap();
    assert!(
        in_backup >= before.len() as i64 && in_backup <= total,
        "{in_backup} payments: at least the {} acknowledged before, at most all {total}",
        before.len()
    );
    eprintln!(
        "backup of {in_backup} payments ({} acknowledged before it started, {total} by the end of the load) took {} ms, {} bytes",
        before.len(),
        backup_took.as_millis(),
        summary["bytes"]
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "a backup holds the gateway key: owner-only");
    }

    // Refusals, each changing nothing.
    let again = cli(&data, &["backup", "--to", file.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let running = cli(&data, &["restore", "--from", file.to_str().unwrap()]);
    assert!(!running.status.success());
    assert!(
        String::from_utf8_lossy(&running.stderr).contains("a gateway is running"),
        "{}",
        String::from_utf8_lossy(&running.stderr)
    );
    let junk = dir.path().join("junk.backup");
    std::fs::write(&junk, b"not a database at all, just some bytes").unwrap();
    let other = tempfile::tempdir().unwrap();
    let refused = cli(other.path(), &["restore", "--from", junk.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("is not a Cashier backup"));
    assert!(!other.path().join("cashier.sqlite3").exists());

    // Restore into a new data dir and serve from it.
    let restored_dir = dir.path().join("restored");
    let restored = json_of(&cli(
        &restored_dir,
        &["restore", "--from", file.to_str().unwrap(), "--json"],
    ));
    assert_eq!(restored["payments"], in_backup);
    assert_eq!(restored["gatewayKeySha256"], summary["gatewayKeySha256"]);
    assert_eq!(restored["replaced"], serde_json::json!([]));
    server.kill();
    let (_restored_server, restored_base) = crate::common::serve(
        None,
        &restored_dir,
        &["--sandbox-simulation", "--allow-private-notify"],
    )
    .await;
    let restored_client = crate::common::merchant_client(&restored_base, &m);
    let store = crate::common::open_store(&restored_dir, None).await;
    for a in &before {
        let p = restored_client
            .send(&InquiryPayment::by_request_id(&a.request_id))
            .await
            .unwrap_or_else(|e| panic!("{} is restored: {e}", a.request_id));
        assert_eq!(p.status, PaymentStatus::Success, "{}", a.request_id);
        assert_eq!(p.payment_id, a.payment_id);
        let refunds: Vec<&str> = p
            .transactions
            .iter()
            .filter_map(|t| t.id.as_deref())
            .collect();
        match &a.refund_id {
            Some(id) => assert_eq!(refunds, [id.as_str()], "{}", a.request_id),
            None => assert!(refunds.is_empty(), "{}", a.request_id),
        }
        let outbox = store.notifications_for(&a.payment_id).await.unwrap();
        assert!(
            outbox.iter().any(|n| n.kind == "PAYMENT_RESULT"),
            "{}: the payment's notification is in the outbox: {outbox:?}",
            a.request_id
        );
    }
    // The restored gateway signs with the same key: the merchant's SDK
    // (which verifies every answer) accepted all of the above.

    // Restoring over a stopped gateway's data keeps what was there.
    drop(_restored_server);
    let over = json_of(&cli(
        &data,
        &["restore", "--from", file.to_str().unwrap(), "--json"],
    ));
    let kept: Vec<&str> = over["replaced"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        kept.iter().any(|p| p.contains("cashier.sqlite3.replaced-")),
        "{kept:?}"
    );
    for p in &kept {
        assert!(Path::new(p).exists(), "{p} is kept");
    }
    let (_server, base) = crate::common::serve(None, &data, &["--sandbox-simulation"]).await;
    let c = crate::common::merchant_client(&base, &m);
    let p = c
        .send(&InquiryPayment::by_request_id(&before[0].request_id))
        .await
        .unwrap();
    assert_eq!(p.status, PaymentStatus::Success);
}

#[test]
fn backups_of_postgres_point_to_its_own_tools() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::common::cashier(Some("postgres://postgres@127.0.0.1:5432/test"))
        .args(["backup", "--to"])
        .arg(dir.path().join("b"))
        .arg("--data-dir")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump"));
}
