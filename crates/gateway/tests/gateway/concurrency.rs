//! Races that must not lose or duplicate money.

use std::collections::HashSet;

use crate::common::TestApp;
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_identical_creates_make_one_session() {
    let app = std::sync::Arc::new(TestApp::spawn().await);
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let app = app.clone();
        tasks.push(tokio::spawn(
            async move { app.create_session("PR-RACE").await },
        ));
    }
    let mut urls = HashSet::new();
    let mut ids = HashSet::new();
    for t in tasks {
        let r = t.await.unwrap();
        urls.insert(r["normalUrl"].as_str().unwrap().to_string());
        ids.insert(r["paymentSessionId"].as_str().unwrap().to_string());
    }
    assert_eq!(urls.len(), 1, "every caller got the same session");
    assert_eq!(ids.len(), 1);
    assert_eq!(app.state.store.counts().await.unwrap().payments, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_buyers_paying_one_session_charge_once() {
    let app = std::sync::Arc::new(TestApp::spawn().await);
    for round in 0..5 {
        let rid = format!("PR-TWO-BUYERS-{round}");
        let created = app.create_session(&rid).await;
        let path = TestApp::page_path(created["normalUrl"].as_str().unwrap());
        // Two browsers load the page (two nonces), then both pay at once.
        let (_, page_a) = app.get_page(&path).await;
        let (_, page_b) = app.get_page(&path).await;
        let card = [
            ("method", "CARD"),
            ("card_number", "4242424242424242"),
            ("card_expiry", "12/39"),
            ("card_cvc", "123"),
            ("card_name", "A"),
        ];
        let (a, b) = tokio::join!(
            app.submit_checkout_with(&path, &page_a, &card),
            app.submit_checkout_with(&path, &page_b, &card)
        );
        let mut outcomes = Vec::new();
        for (status, body) in [a, b] {
            let html = if status == StatusCode::SEE_OTHER {
                app.get_page(&body).await.1
            } else {
                body
            };
            outcomes.push(html);
        }
        assert!(
            outcomes.iter().all(|h| h.contains("Payment successful")),
            "both see the paid state"
        );
        assert!(
            outcomes.iter().any(|h| h.contains("already paid")),
            "the loser is told it was already paid"
        );
        let pid = app.inquiry(&rid).await.payment_id.unwrap();
        let attempts = app.stored_attempts(&pid).await;
        let states: Vec<_> = attempts.iter().map(|a| a.state.as_str()).collect();
        assert_eq!(
            states.iter().filter(|s| **s == "SUCCEEDED").count(),
            1,
            "{states:?}"
        );
        // The loser either raced into the processor (NOT_CHARGED) or was
        // stopped before it (no attempt at all); never a second success.
        assert!(
            states.len() <= 2
                && states
                    .iter()
                    .all(|s| *s == "SUCCEEDED" || *s == "NOT_CHARGED"),
            "{states:?}"
        );
        assert_eq!(
            app.state.store.notifications_for(&pid).await.unwrap().len(),
            1
        );
    }
    let got = app.wait_for_notifications(5).await;
    assert_eq!(got.len(), 5, "one notification per payment");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_store_compare_and_set_lets_only_one_approved_attempt_win() {
    use cashier_gateway::payments::{self, PayResult};
    use cashier_gateway::processor::CardInput;
    let app = std::sync::Arc::new(TestApp::spawn().await);
    for round in 0..10 {
        let rid = format!("PR-CAS-{round}");
        app.create_session(&rid).await;
        let pid = app.inquiry(&rid).await.payment_id.unwrap();
        // Both attempts start from the same snapshot, so both reach the
        // processor and both are approved: only the store can arbitrate.
        let snapshot = app.stored_payment(&pid).await.unwrap();
        let merchant = app
            .state
            .store
            .merchant(&snapshot.client_id)
            .await
            .unwrap()
            .unwrap();
        let card =
            CardInput::parse("4242424242424242", "12/39", "123", "A", chrono::Utc::now()).unwrap();
        let (a, b) = tokio::join!(
            payments::pay_card(
                &app.state.payments,
                &merchant,
                snapshot.clone(),
                "nonce-a",
                &card
            ),
            payments::pay_card(
                &app.state.payments,
                &merchant,
                snapshot.clone(),
                "nonce-b",
                &card
            )
        );
        let results = [a.unwrap(), b.unwrap()];
        assert_eq!(
            results
                .iter()
                .filter(|r| **r == PayResult::Succeeded)
                .count(),
            1,
            "{results:?}"
        );
        assert!(
            results.contains(&PayResult::AlreadyFinal(
                cashier_gateway::payments::state::PaymentStatus::Success
            )),
            "{results:?}"
        );
        let attempts = app.stored_attempts(&pid).await;
        let mut states: Vec<_> = attempts.iter().map(|a| a.state.as_str()).collect();
        states.sort();
        assert_eq!(states, ["NOT_CHARGED", "SUCCEEDED"]);
        assert_eq!(
            app.state.store.notifications_for(&pid).await.unwrap().len(),
            1
        );
    }
}
