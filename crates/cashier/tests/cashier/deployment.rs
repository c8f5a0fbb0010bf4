//! The deployment files in `deploy/` (issue #20, point 7) stay true to the
//! binary: the systemd unit's command line and every variable of the
//! example environment file are ones `cashier serve` knows, the example
//! settings start a gateway, and `systemd-analyze verify` accepts the unit
//! where it is installed.

use std::path::{Path, PathBuf};
use std::process::Command;

fn deploy(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../deploy")
        .join(file)
}

fn read(file: &str) -> String {
    std::fs::read_to_string(deploy(file)).unwrap()
}

/// `KEY=VALUE` lines of the environment file; commented examples too when
/// `examples`.
fn variables(text: &str, examples: bool) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| {
            let l = l.trim();
            let l = match l.strip_prefix('#') {
                Some(rest) if examples => rest.trim(),
                Some(_) => return None,
                None => l,
            };
            let (k, v) = l.split_once('=')?;
            (k.starts_with("CASHIER_") && !k.contains(' ')).then(|| (k.to_string(), v.to_string()))
        })
        .collect()
}

fn serve_help() -> String {
    let out = crate::common::cashier(None)
        .args(["serve", "--help"])
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_unit_and_the_environment_file_name_only_real_settings() {
    let unit = read("cashier.service");
    for section in ["[Unit]", "[Service]", "[Install]"] {
        assert!(unit.contains(section), "{section}");
    }
    let exec = unit
        .lines()
        .find_map(|l| l.strip_prefix("ExecStart="))
        .expect("an ExecStart line");
    let mut words = exec.split_whitespace();
    assert_eq!(words.next(), Some("/usr/local/bin/cashier"));
    let args: Vec<&str> = words.collect();
    let out = crate::common::cashier(None)
        .args(&args)
        .arg("--help")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ExecStart's arguments parse: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let help = serve_help();
    let env = read("cashier.env");
    let mut named = variables(&env, true);
    named.extend(
        unit.lines()
            .filter_map(|l| l.strip_prefix("Environment="))
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    assert!(named.len() >= 7, "{named:?}");
    for (key, _) in &named {
        // `cashier serve --help` lists each flag's variable as `[env: KEY=`
        // (`[env: KEY]` for a secret, whose value it hides).
        assert!(
            help.contains(&format!("[env: {key}=")) || help.contains(&format!("[env: {key}]")),
            "{key} is not a `cashier serve` variable"
        );
    }
}

#[tokio::test]
async fn the_example_settings_start_a_gateway() {
    let dir = tempfile::tempdir().unwrap();
    let port = crate::common::free_port();
    let metrics = format!("127.0.0.1:{}", crate::common::free_port());
    let mut cmd = crate::common::cashier(None);
    cmd.arg("serve");
    for (k, v) in variables(&read("cashier.env"), false) {
        cmd.env(k, v);
    }
    // The machine's own addresses instead of the example's.
    cmd.env("CASHIER_LISTEN", format!("127.0.0.1:{port}"))
        .env("CASHIER_METRICS_LISTEN", &metrics)
        .env("CASHIER_DATA_DIR", dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let _server = crate::common::Running::new(cmd.spawn().unwrap());
    let ops = format!("http://{metrics}");
    crate::common::wait_readyz(&ops, 200, std::time::Duration::from_secs(30), None).await;
    let token = variables(&read("cashier.env"), false)
        .into_iter()
        .find(|(k, _)| k == "CASHIER_METRICS_TOKEN")
        .unwrap()
        .1;
    let r = reqwest::Client::new()
        .get(format!("{ops}/metrics"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let public = reqwest::get(format!("http://127.0.0.1:{port}/metrics"))
        .await
        .unwrap();
    assert_eq!(public.status(), 404, "no metrics on the public listener");
}

#[test]
fn systemd_accepts_the_unit() {
    // scripts/test installs it (Debian package `systemd`); a run without it fails here
    // rather than passing without checking the unit.
    let probe = Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .expect("systemd-analyze is needed to check deploy/cashier.service: install `systemd`");
    assert!(probe.status.success());
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join("cashier.env");
    std::fs::copy(deploy("cashier.env"), &env).unwrap();
    // Installed paths replaced by this build's binary and a copy of the file.
    let unit = read("cashier.service")
        .replace("/usr/local/bin/cashier", env!("CARGO_BIN_EXE_cashier"))
        .replace("/etc/cashier/cashier.env", env.to_str().unwrap());
    let path = dir.path().join("cashier.service");
    std::fs::write(&path, unit).unwrap();
    let out = Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "systemd-analyze verify: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
