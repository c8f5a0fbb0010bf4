//! `cashier user create`: a password from stdin logs in to the running
//! gateway's dashboard; without one, a one-time setup link is printed;
//! bad input is refused with a reason.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn cashier(args: &[&str], data_dir: &std::path::Path, stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cashier"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cashier runs");
    let mut input = child.stdin.take().unwrap();
    if let Some(s) = stdin {
        input.write_all(s.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Logs in like a browser; the status of the login POST.
async fn login(base: &str, email: &str, password: &str) -> u16 {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = http
        .get(format!("{base}/dashboard/login"))
        .send()
        .await
        .unwrap();
    let cookie = page.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let html = page.text().await.unwrap();
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).unwrap() + marker.len();
    let csrf = &html[start..start + html[start..].find('"').unwrap()];
    http.post(format!("{base}/dashboard/login"))
        .header("cookie", cookie)
        .form(&[("csrf", csrf), ("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn users_are_created_with_a_password_or_a_setup_link() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = cashier(
        &[
            "merchant",
            "create",
            "--name",
            "Lion",
            "--client-id",
            "SANDBOX_LION",
            "--generate-key",
        ],
        d,
        None,
    );
    assert!(out.status.success(), "{}", text(&out));

    let out = cashier(
        &[
            "user",
            "create",
            "--email",
            "Owner@Lion.example",
            "--client-id",
            "SANDBOX_LION",
            "--password-stdin",
        ],
        d,
        Some("a long enough password\n"),
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("owner@lion.example"));

    let out = cashier(
        &[
            "user",
            "create",
            "--email",
            "ops@example.com",
            "--admin",
            "--public-url",
            "https://pay.example.com",
        ],
        d,
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("https://pay.example.com/dashboard/setup/"),
        "{t}"
    );

    for (args, stdin, why) in [
        (
            vec![
                "--email",
                "x@example.com",
                "--client-id",
                "NOPE",
                "--password-stdin",
            ],
            "a long enough password\n",
            "no merchant",
        ),
        (
            vec!["--email", "not-an-email", "--admin", "--password-stdin"],
            "a long enough password\n",
            "not an email",
        ),
        (
            vec!["--email", "y@example.com", "--admin", "--password-stdin"],
            "short\n",
            "12 to",
        ),
        (
            vec![
                "--email",
                "owner@lion.example",
                "--admin",
                "--password-stdin",
            ],
            "a long enough password\n",
            "already exists",
        ),
        (vec!["--email", "z@example.com"], "", "--client-id"),
    ] {
        let mut full = vec!["user", "create"];
        full.extend(args);
        let out = cashier(&full, d, Some(stdin));
        assert!(!out.status.success(), "{full:?} succeeded");
        assert!(text(&out).contains(why), "{full:?}: {}", text(&out));
    }

    let (_server, base) = crate::common::serve(None, d, &[]).await;
    assert_eq!(
        login(&base, "owner@lion.example", "a long enough password").await,
        303
    );
    assert_eq!(
        login(&base, "owner@lion.example", "another password!").await,
        401
    );
    assert_eq!(
        login(&base, "ops@example.com", "").await,
        401,
        "no password until setup"
    );
}
