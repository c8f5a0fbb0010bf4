//! Notification delivery: the drain side of the transactional outbox.
//!
//! A final payment outcome and its `notifications` row are committed
//! together (see `payments::finalize`), so nothing is lost if the process
//! dies; this dispatcher only has to find due rows and deliver them. Rows
//! are claimed with a lease, so two dispatchers (two nodes, or a restarted
//! node) never attempt the same delivery at once, and a crashed node's claim
//! simply expires. Each attempt is recorded with its HTTP status, latency and
//! a response excerpt; the retry schedule is PROTOCOL.md §6.2 unless the
//! operator overrides it.

use std::net::IpAddr;
use std::time::Instant;

use cashier_protocol::time::format_datetime;
use cashier_protocol::wire::is_acknowledgement;
use tokio::task::JoinSet;

use crate::state::AppState;
use crate::store::{DeliveryAttempt, DeliveryNext, Notification};

/// Longest response body read from a merchant (the rest is discarded).
const MAX_RESPONSE_BYTES: usize = 64 * 1024;
/// Characters of the response kept for the delivery log.
const EXCERPT_CHARS: usize = 512;
/// Deliveries attempted concurrently by one dispatcher.
const BATCH: u32 = 64;

/// Is `url` an acceptable notification target? Refuses loopback, private,
/// link-local and unspecified addresses (and `localhost`) unless the
/// operator allowed private targets.
pub fn check_target(svc: &crate::state::Services, url: &str) -> Result<(), String> {
    if svc.config.allow_private_notify {
        return Ok(());
    }
    let parsed =
        url::Url::parse(url).map_err(|_| "paymentNotifyUrl is not a valid URL".to_string())?;
    let refused = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => is_private(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => is_private(IpAddr::V6(ip)),
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        None => true,
    };
    if refused {
        return Err("notification URLs must not point at loopback or private addresses".into());
    }
    Ok(())
}

fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let seg0 = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || (seg0 & 0xfe00) == 0xfc00
                || (seg0 & 0xffc0) == 0xfe80
        }
    }
}

/// Runs until the task is dropped: claims due notifications and delivers them.
pub async fn run_dispatcher(svc: AppState) {
    let lease = svc.config.notify_lease.max(svc.config.notify_timeout * 2);
    loop {
        let now = svc.now_ms();
        let batch = match svc
            .store
            .claim_due_notifications(now, now + lease.as_millis() as i64, BATCH)
            .await
        {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(error = %e, "cannot claim notifications; retrying");
                tokio::time::sleep(svc.config.worker_interval).await;
                continue;
            }
        };
        if batch.is_empty() {
            tokio::select! {
                _ = svc.notify_wake.notified() => {}
                _ = tokio::time::sleep(svc.config.worker_interval) => {}
            }
            continue;
        }
        let mut tasks = JoinSet::new();
        for n in batch {
            let svc = svc.clone();
            tasks.spawn(async move { deliver(&svc, n).await });
        }
        while tasks.join_next().await.is_some() {}
    }
}

/// One delivery attempt, recorded whatever happens.
#[tracing::instrument(skip_all, fields(notification_id = %n.notification_id, kind = %n.kind, attempt = n.attempts + 1))]
pub async fn deliver(svc: &AppState, n: Notification) {
    let attempt_no = n.attempts + 1;
    let started = Instant::now();
    let attempted_at = svc.now_ms();
    let outcome = post(svc, &n).await;
    let latency_ms = started.elapsed().as_millis() as i64;
    let (http_status, excerpt, error, acknowledged) = match outcome {
        Ok((status, body)) => {
            let ack = is_acknowledgement(status, &body);
            let text = String::from_utf8_lossy(&body);
            (
                Some(status),
                Some(text.chars().take(EXCERPT_CHARS).collect::<String>()),
                None,
                ack,
            )
        }
        Err(e) => (None, None, Some(e), false),
    };
    let next = if acknowledged {
        DeliveryNext::Delivered
    } else {
        match svc
            .config
            .notify_retry_schedule
            .get(attempt_no as usize - 1)
        {
            Some(delay) => DeliveryNext::RetryAt(svc.now_ms() + delay.as_millis() as i64),
            None => DeliveryNext::GiveUp,
        }
    };
    tracing::info!(
        http_status,
        latency_ms,
        acknowledged,
        ?next,
        "notification attempt"
    );
    let record = DeliveryAttempt {
        notification_id: n.notification_id.clone(),
        attempt_no,
        attempted_at,
        http_status,
        latency_ms,
        response_excerpt: excerpt,
        error,
        acknowledged,
    };
    if let Err(e) = svc.store.record_delivery(&record, next).await {
        // The lease runs out and the delivery is retried: at-least-once.
        tracing::error!(error = %e, "cannot record notification attempt");
    }
}

pub(crate) async fn post(svc: &AppState, n: &Notification) -> Result<(u16, Vec<u8>), String> {
    let url = url::Url::parse(&n.url).map_err(|e| format!("invalid URL: {e}"))?;
    check_target(svc, &n.url)?;
    let request_time = format_datetime(svc.clock.now());
    let signature = svc
        .gateway_key
        .sign_header(url.path(), &n.client_id, &request_time, n.body.as_bytes())
        .await?;
    let response = svc
        .http
        .post(url)
        .timeout(svc.config.notify_timeout)
        .header("content-type", "application/json; charset=UTF-8")
        .header("client-id", &n.client_id)
        .header("request-time", &request_time)
        .header("signature", signature)
        .body(n.body.clone())
        .send()
        .await
        .map_err(|e| format!("request failed: {e}"))?;
    let status = response.status().as_u16();
    let mut body = Vec::new();
    let mut response = response;
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| format!("reading response failed: {e}"))?
    {
        let room = MAX_RESPONSE_BYTES - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= MAX_RESPONSE_BYTES {
            break;
        }
    }
    Ok((status, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses_are_recognised() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.4",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "8.8.8.8", "2606:4700::1111"] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
    }
}
