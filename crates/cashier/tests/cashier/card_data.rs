//! Card numbers never reach the disk or the logs (issue #18's acceptance;
//! the card rule of ARCHITECTURE.md, "Invariants"): after paying on the hosted page with every test
//! number of every brand and outcome, through the real binary with debug
//! logging, no file of the data directory (database, WAL, report copies)
//! and no log line holds a full card number, in any spelling — only the
//! first six and last four digits are kept (as receipts print them).

use std::path::Path;
use std::process::Stdio;

use cashier_test_support::gateway::body_text;
use serde_json::Value;

/// Every card number the sandbox documents (README: Sandbox test
/// credentials), and the security code each takes.
const DOCUMENTED: &[(&str, &str)] = &[
    ("4242424242424242", "123"),
    ("5555555555554444", "123"),
    ("378282246310005", "1234"),
    ("3566002020360505", "123"),
    ("6200000000000005", "123"),
    ("36227206271667", "123"),
    ("6011111111111117", "123"),
    ("9490220011669217", "123"),
    ("4294097400915107", "123"),
    ("4006055482525268", "123"),
    ("4600729331819383", "123"),
    ("4310377720003234", "123"),
    ("4054695723100768", "123"),
    ("5162774114974622", "123"),
    ("4054692760174822", "123"),
];

/// The documented cards and every scenario of every brand's test range.
fn test_cards() -> Vec<(String, &'static str)> {
    use cashier_gateway::processor::sandbox::{test_number, SCENARIOS, TEST_RANGES};
    let mut cards: Vec<(String, &str)> = DOCUMENTED
        .iter()
        .map(|(n, cvc)| (n.to_string(), *cvc))
        .collect();
    for (brand, _, _) in TEST_RANGES {
        let cvc = if *brand == "American Express" {
            "1234"
        } else {
            "123"
        };
        for s in SCENARIOS {
            cards.push((test_number(brand, s.code).unwrap(), cvc));
        }
    }
    cards
}

/// Every file under `dir`, recursively.
fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The spellings a number could be written in: as typed (groups of four),
/// bare digits, and the first twelve (a full number less its last four).
fn spellings(number: &str) -> Vec<String> {
    let grouped: Vec<String> = number
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    vec![
        number.to_string(),
        grouped.join(" "),
        grouped.join("+"),
        number[..number.len() - 4].to_string(),
    ]
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    find(haystack, needle).is_some()
}

/// Where `needle` (a card number or part of one) stands in `haystack` as a
/// number of its own: not the fraction digits of a decimal such as a latency
/// (`6.2000000000000002` holds a test card's first twelve digits).
fn find_pan(haystack: &[u8], needle: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = find(&haystack[from..], needle).map(|i| i + from) {
        // Back over the digits before it: a decimal point there makes it a fraction.
        let start = haystack[..at]
            .iter()
            .rposition(|b| !b.is_ascii_digit())
            .map_or(0, |i| i + 1);
        let in_fraction = start > 0 && haystack[start - 1] == b'.';
        if !in_fraction {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn find(haystack: &[u8], needle: &str) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn no_card_number_is_stored_or_logged() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let log = dir.path().join("cashier.log");
    let m =
        crate::common::merchant_create(crate::common::cashier(None), "Card Shop", Some(&data), &[]);
    let port = crate::common::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = crate::common::Running::new(
        crate::common::cashier(None)
            .args([
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--data-dir",
            ])
            .arg(&data)
            .env("RUST_LOG", "debug")
            .stdout(Stdio::from(std::fs::File::create(&log).unwrap()))
            .stderr(Stdio::from(
                std::fs::OpenOptions::new().append(true).open(&log).unwrap(),
            ))
            .spawn()
            .unwrap(),
    );
    crate::common::wait_readyz(&base, 200, std::time::Duration::from_secs(30), Some(&log)).await;
    let client = crate::common::merchant_client(&base, &m);
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let cards = test_cards();
    assert!(cards.len() > 90, "{} cards", cards.len());
    for (i, (number, cvc)) in cards.iter().enumerate() {
        let rid = format!("PAN-{i}");
        let session = client
            .send(&crate::common::session(&rid, "https://shop.example/notify"))
            .await
            .unwrap();
        let path = reqwest::Url::parse(&session.normal_url)
            .unwrap()
            .path()
            .to_string();
        let html = body_text(http.get(format!("{base}{path}"))).await;
        // Typed with spaces, as buyers do.
        let typed = spellings(number)[1].clone();
        let form = [
            (
                "csrf_token",
                crate::common::input_value(&html, "csrf_token").unwrap(),
            ),
            (
                "attempt_nonce",
                crate::common::input_value(&html, "attempt_nonce").unwrap(),
            ),
            ("method", "CARD".into()),
            ("card_number", typed),
            ("card_expiry", "12/39".into()),
            ("card_cvc", cvc.to_string()),
            ("card_name", "Jamie Tan".into()),
        ];
        let r = http
            .post(format!("{base}{path}/pay"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert!(
            r.status().is_success() || r.status().is_redirection(),
            "{number}: {}",
            r.status()
        );
    }
    // What the merchant sees keeps the last four digits.
    let paid = client
        .send_raw(
            cashier_client::INQUIRY_PAYMENT,
            br#"{"paymentRequestId":"PAN-0"}"#,
        )
        .await
        .unwrap();
    let paid: Value = serde_json::from_str(&paid.body).unwrap();
    assert_eq!(paid["paymentResultInfo"]["cardNo"], "424242******4242");
    server.kill();

    let mut all = Vec::new();
    files(&data, &mut all);
    all.push(log.clone());
    let mut looked = 0;
    let mut found_request_ids = false;
    for path in &all {
        let bytes = std::fs::read(path).unwrap();
        looked += bytes.len();
        // The control: what was sent is in there, readable.
        found_request_ids |= contains(&bytes, &format!("PAN-{}", cards.len() - 1));
        for (number, _) in &cards {
            for spelling in spellings(number) {
                if let Some(at) = find_pan(&bytes, &spelling) {
                    let around = &bytes[at.saturating_sub(200)..(at + 200).min(bytes.len())];
                    panic!(
                        "{} holds {spelling:?}: …{}…",
                        path.display(),
                        String::from_utf8_lossy(around)
                    );
                }
            }
        }
    }
    assert!(found_request_ids, "the search sees the payments' own data");
    assert!(
        std::fs::read_to_string(&log)
            .unwrap()
            .contains("api request"),
        "the log was written (debug level)"
    );
    eprintln!(
        "{} files, {looked} bytes: no card number of {} test cards",
        all.len(),
        cards.len()
    );
}
