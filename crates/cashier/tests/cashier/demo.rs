//! `cashier demo` as a newcomer meets it (issue #21): the dashboard login it
//! prints works, its temporary data directory is private and gone after
//! SIGTERM, and a busy port names the flag to change and leaves nothing
//! behind. (The shop itself is driven in Chromium by
//! tests/e2e/test_demo_shop.py.)

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::Duration;

use crate::common::Dashboard;

/// `cashier demo` on free ports with `TMPDIR` = `tmp`, and what it printed
/// up to the test cards.
fn start_demo(tmp: &Path) -> (Child, String) {
    let mut child = crate::common::cashier(None)
        .args([
            "demo",
            "--listen",
            "127.0.0.1:0",
            "--shop-listen",
            "127.0.0.1:0",
        ])
        .env("TMPDIR", tmp)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = String::new();
    while !printed.contains("Sandbox test cards") {
        let line = lines
            .next()
            .unwrap_or_else(|| panic!("the demo stopped printing:\n{printed}"))
            .unwrap();
        printed.push_str(&line);
        printed.push('\n');
    }
    // Keep draining stdout so the demo never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, printed)
}

/// The value after `label` on its line of `printed`, up to a space.
fn printed_value<'a>(printed: &'a str, label: &str) -> &'a str {
    let line = printed
        .lines()
        .find(|l| l.trim_start().starts_with(label))
        .unwrap_or_else(|| panic!("no {label:?} in:\n{printed}"));
    line.trim_start()[label.len()..]
        .split_whitespace()
        .next()
        .unwrap()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn sigterm(child: &Child) {
    let ok = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -TERM");
}

async fn wait_exit(child: &mut Child, within: Duration) -> std::process::ExitStatus {
    crate::common::wait_exit(child, within)
        .await
        .expect("the demo did not stop")
}

/// The demo prints the dashboard's address with an e-mail and password
/// that log in to the demo merchant's dashboard; its temporary data
/// directory (the merchant's private key is in it) is its owner's only,
/// and SIGTERM removes it.
#[tokio::test]
async fn the_demo_prints_a_working_dashboard_login_and_removes_its_private_data_on_sigterm() {
    let tmp = tempfile::tempdir().unwrap();
    let (child, printed) = start_demo(tmp.path());
    // Killed if the test fails before it stops the demo.
    let mut demo = crate::common::Running::new(child);

    let dashboard = printed_value(&printed, "Dashboard:");
    let email = printed
        .split("(email ")
        .nth(1)
        .and_then(|r| r.split(',').next())
        .unwrap();
    let password = printed
        .split(", password ")
        .nth(1)
        .and_then(|r| r.split(')').next())
        .unwrap();
    let base = dashboard.trim_end_matches("/dashboard/");
    let mut page = Dashboard::new(base, None);
    let csrf = page.login_csrf().await;
    let (status, body) = page.try_login(&csrf, email, password).await;
    assert_eq!(status, 303, "{body}");
    let (status, html) = page.get("/dashboard/developers").await;
    assert_eq!(status, 200);
    let client_id = printed
        .split("(client id ")
        .nth(1)
        .and_then(|r| r.split(')').next())
        .unwrap();
    assert!(html.contains(client_id), "the demo merchant's dashboard");

    let dir = PathBuf::from(printed_value(&printed, "Data dir:"));
    assert!(dir.starts_with(tmp.path()), "{dir:?}");
    assert_eq!(mode(&dir), 0o700, "{dir:?}");
    assert_eq!(mode(&dir.join("demo-merchant.json")), 0o600);

    let child = demo.0.as_mut().unwrap();
    sigterm(child);
    let status = wait_exit(child, Duration::from_secs(20)).await;
    assert!(status.success(), "a clean stop: {status:?}");
    assert!(!dir.exists(), "{dir:?} is left behind");
}

/// A busy gateway or shop port ends the demo at once, naming the flag to
/// change, before anything is created.
#[test]
fn a_busy_port_names_the_flag_to_change_and_leaves_nothing_behind() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let busy = busy.local_addr().unwrap().to_string();
    for (flag, other) in [("--listen", "--shop-listen"), ("--shop-listen", "--listen")] {
        let tmp = tempfile::tempdir().unwrap();
        let out = crate::common::cashier(None)
            .args(["demo", flag, &busy, other, "127.0.0.1:0"])
            .env("TMPDIR", tmp.path())
            .env_remove("RUST_BACKTRACE")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{flag}: started on a busy port");
        assert!(
            stderr.contains(&format!("choose another address with {flag}"))
                && stderr.contains("port 0 picks a free port"),
            "{flag}: {stderr}"
        );
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert!(left.is_empty(), "{flag}: left behind {left:?}");
    }
}
