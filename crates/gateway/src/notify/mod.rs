//! Notification delivery: the drain side of the transactional outbox.
//!
//! A final payment outcome and its `notifications` row are committed
//! together (see `payments::finalize`), so nothing is lost if the process
//! dies; this dispatcher only has to find due rows and deliver them. Rows
//! are claimed with a lease, so two dispatchers (two nodes, or a restarted
//! node) never attempt the same delivery at once, and a crashed node's claim
//! simply expires. An attempt that outlived its lease (a stalled node, a
//! slow commit, a clock step) is recorded only if nobody claimed the
//! notification again meanwhile: the newer claim's outcome stands. Each
//! attempt is recorded with its HTTP status, latency and a response
//! excerpt; the retry schedule is docs/protocol.md §6.2 unless the operator
//! overrides it.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;

use cashier_protocol::time::format_datetime;
use cashier_protocol::wire::is_acknowledgement;
use tokio::task::JoinSet;

use crate::keys::GatewayKey;
use crate::merchant_cache::MerchantClocks;
use crate::metrics::{DeliveryOutcome, Metrics};
use crate::store::{ClientId, DeliveryAttempt, DeliveryNext, Notification, Store, Timestamp};

/// Longest response body read from a merchant (the rest is discarded).
const MAX_RESPONSE_BYTES: usize = 64 * 1024;
/// Characters of the response kept for the delivery log.
const EXCERPT_CHARS: usize = 512;
/// Most notifications claimed at once.
const BATCH: usize = 64;

/// Is `url` an acceptable notification target? Refuses loopback, private,
/// link-local, unspecified and other non-public addresses (in every
/// spelling the URL parser accepts: `2130706433`, `0x7f.1`, `0177.0.0.1`,
/// `[::ffff:127.0.0.1]`…) and `localhost`, unless the operator allowed
/// private targets. Other host names are checked when they are resolved,
/// at delivery time, by [`GuardedResolver`].
pub fn check_target(allow_private: bool, url: &str) -> Result<(), String> {
    if allow_private {
        return Ok(());
    }
    let parsed =
        url::Url::parse(url).map_err(|_| "paymentNotifyUrl is not a valid URL".to_string())?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err("notification URLs must be http or https".into());
    }
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
        return Err(PRIVATE_REFUSED.into());
    }
    Ok(())
}

const PRIVATE_REFUSED: &str = "notification URLs must not point at loopback or private addresses";

/// Addresses a notification must never reach without
/// `--allow-private-notify`: everything that is not a public unicast
/// address.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0 // "this network"
                || a == 100 && (b & 0xc0) == 64 // shared address space (CGNAT)
                || a == 192 && b == 0 && v4.octets()[2] == 0 // IETF protocol assignments
                || a == 198 && (b & 0xfe) == 18 // benchmarking
                || a >= 240 // reserved
        }
        IpAddr::V6(v6) => {
            // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d).
            if let Some(v4) = v6.to_ipv4() {
                return is_private(IpAddr::V4(v4));
            }
            let seg = v6.segments();
            let v4 = |hi: u16, lo: u16| IpAddr::V4(((u32::from(hi) << 16) | u32::from(lo)).into());
            // NAT64, well-known (64:ff9b::/96) and local-use (64:ff9b:1::/48,
            // RFC 8215), carries an IPv4 address in its low 32 bits.
            if seg[0] == 0x64 && seg[1] == 0xff9b && (seg[2..6] == [0, 0, 0, 0] || seg[2] == 1) {
                return is_private(v4(seg[6], seg[7]));
            }
            // 6to4 (2002::/16) carries one in bits 16-47: 2002:7f00:1:: is
            // 127.0.0.1 to a host with a 6to4 relay route.
            if seg[0] == 0x2002 {
                return is_private(v4(seg[1], seg[2]));
            }
            // Teredo (2001:0::/32): the server's IPv4 in bits 32-63 and the
            // client's, inverted, in the low 32. Either one private refuses.
            if seg[0] == 0x2001 && seg[1] == 0 {
                return is_private(v4(seg[2], seg[3])) || is_private(v4(!seg[6], !seg[7]));
            }
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (seg[0] & 0xfe00) == 0xfc00 // unique local
                || (seg[0] & 0xffc0) == 0xfe80 // link-local
                || (seg[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
                || (seg[0] == 0x2001 && seg[1] == 0x0db8) // documentation
        }
    }
}

/// What a merchant is told when a notification URL's host name does not
/// resolve, or resolves to a private address: the same words either way,
/// and never an address, so the delivery log and "Send test notification"
/// cannot be used to map the gateway's internal network and DNS. The
/// operator's log has the detail.
pub const UNRESOLVABLE: &str =
    "the notification URL's host name does not resolve to a public address";

/// The error [`GuardedResolver`] answers with (see [`UNRESOLVABLE`]).
#[derive(Debug, thiserror::Error)]
#[error("{UNRESOLVABLE}")]
pub struct Unresolvable;

/// DNS for outbound notifications: resolves a host name and refuses it if
/// any address it resolves to is private. reqwest connects to exactly the
/// addresses returned here, so a name cannot pass the check with one
/// answer and connect with another (DNS rebinding).
pub struct GuardedResolver {
    pub allow_private: bool,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addrs: Vec<std::net::SocketAddr> =
                match tokio::net::lookup_host((host.as_str(), 0)).await {
                    Ok(addrs) => addrs.collect(),
                    Err(e) => {
                        tracing::warn!(%host, error = %e, "notification host does not resolve");
                        return Err(Box::new(Unresolvable) as Box<_>);
                    }
                };
            if !allow_private {
                if let Some(bad) = addrs.iter().find(|a| is_private(a.ip())) {
                    tracing::warn!(%host, address = %bad.ip(), "notification host resolves to a private address: refused");
                    return Err(Box::new(Unresolvable) as Box<_>);
                }
            }
            let addrs: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

/// What the dispatcher needs: the outbox in the store, the merchants'
/// clocks, the gateway key that signs, the outbound client and the
/// delivery settings.
pub struct Dispatcher {
    pub store: Arc<dyn Store>,
    pub clocks: MerchantClocks,
    pub gateway_key: Arc<GatewayKey>,
    /// Outbound HTTP: no redirects, bounded timeouts, [`GuardedResolver`].
    pub http: reqwest::Client,
    pub metrics: Arc<Metrics>,
    /// Woken when a notification is queued.
    pub wake: Arc<tokio::sync::Notify>,
    pub settings: DeliverySettings,
}

/// The delivery settings of [`crate::Config`].
#[derive(Debug, Clone)]
pub struct DeliverySettings {
    pub retry_schedule: Vec<std::time::Duration>,
    pub timeout: std::time::Duration,
    pub lease: std::time::Duration,
    pub max_in_flight: usize,
    pub max_in_flight_per_client: usize,
    /// How long to wait between claims when nothing wakes the dispatcher.
    pub idle_interval: std::time::Duration,
    pub allow_private: bool,
}

impl DeliverySettings {
    pub fn of(config: &crate::Config) -> DeliverySettings {
        DeliverySettings {
            retry_schedule: config.notify_retry_schedule.clone(),
            timeout: config.notify_timeout,
            lease: config.notify_lease,
            max_in_flight: config.notify_max_in_flight,
            max_in_flight_per_client: config.notify_max_in_flight_per_client,
            idle_interval: config.worker_interval,
            allow_private: config.allow_private_notify,
        }
    }
}

/// Runs until the task is dropped: claims due notifications and delivers
/// them, up to `notify_max_in_flight` at once. Deliveries run
/// independently: an endpoint that hangs holds its slot until the timeout
/// while the dispatcher keeps claiming and delivering everyone else's. A
/// merchant with `notify_max_in_flight_per_client` deliveries in flight is
/// skipped by the next claims, so one merchant cannot take every slot.
pub async fn run_dispatcher(svc: Arc<Dispatcher>) {
    let lease = svc.settings.lease.max(svc.settings.timeout * 2);
    // At least 1 ms: each claim's `lease_until` is then later than the one
    // it took over, and fences the claim's outcome (`record_claimed_delivery`).
    let lease = chrono::Duration::milliseconds((lease.as_millis() as i64).max(1));
    let max = svc.settings.max_in_flight.max(1);
    let per_client = svc.settings.max_in_flight_per_client.max(1);
    let shares = Shares::default();
    let mut in_flight = JoinSet::new();
    loop {
        while in_flight.try_join_next().is_some() {}
        let free = max.saturating_sub(in_flight.len());
        if free == 0 {
            in_flight.join_next().await;
            continue;
        }
        let busy = shares.busy(per_client);
        let limit = free.min(per_client).min(BATCH) as u32;
        let now = svc.clocks.now_ts();
        let lease_until = now + lease;
        let batch = match svc
            .store
            .claim_due_notifications_except(now, lease_until, limit, &busy)
            .await
        {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(error = %e, "cannot claim notifications; retrying");
                tokio::time::sleep(svc.settings.idle_interval).await;
                continue;
            }
        };
        if batch.is_empty() {
            // Also wake when a delivery ends: its merchant may have more.
            tokio::select! {
                _ = svc.wake.notified() => {}
                _ = tokio::time::sleep(svc.settings.idle_interval) => {}
                Some(_) = in_flight.join_next(), if !in_flight.is_empty() => {}
            }
            continue;
        }
        for n in batch {
            let share = shares.take(&n.client_id);
            let svc = svc.clone();
            in_flight.spawn(async move { deliver(&svc, n, lease_until, share).await });
        }
    }
}

/// Deliveries in flight per merchant.
#[derive(Default, Clone)]
struct Shares(std::sync::Arc<std::sync::Mutex<std::collections::HashMap<ClientId, usize>>>);

/// One delivery's place in its merchant's share; given back when dropped
/// (also if the delivery task panics).
struct Share {
    shares: Shares,
    client_id: ClientId,
}

impl Shares {
    fn take(&self, client_id: &ClientId) -> Share {
        *self
            .0
            .lock()
            .expect("shares poisoned")
            .entry(client_id.clone())
            .or_default() += 1;
        Share {
            shares: self.clone(),
            client_id: client_id.clone(),
        }
    }

    fn busy(&self, per_client: usize) -> Vec<ClientId> {
        let map = self.0.lock().expect("shares poisoned");
        map.iter()
            .filter(|(_, n)| **n >= per_client)
            .map(|(c, _)| c.clone())
            .collect()
    }
}

impl Drop for Share {
    fn drop(&mut self) {
        let mut map = self.shares.0.lock().expect("shares poisoned");
        if let Some(n) = map.get_mut(&self.client_id) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.client_id);
            }
        }
    }
}

/// One delivery attempt on the claim that set `lease_until`, recorded
/// whatever happens, as long as that claim holds. The merchant's `share`
/// is given back as soon as its endpoint has answered (or timed out): the
/// share bounds requests open against the merchant's server, and recording
/// the attempt (an fsync, shared by a batch) is the gateway's own work — held
/// through it, a merchant's deliveries were capped at share ÷ commit time.
#[tracing::instrument(skip_all, fields(notification_id = %n.notification_id, kind = %n.kind, attempt = n.attempts + 1))]
async fn deliver(svc: &Dispatcher, n: Notification, lease_until: Timestamp, share: Share) {
    let attempt_no = n.attempts + 1;
    let started = Instant::now();
    // The merchant's clock. One that was moved past the attempt's due time
    // replays the schedule: the attempt is recorded at its due time and the
    // next one is due a delay after that, so a day's advance produces the
    // whole retry schedule with the times it would have had.
    let offset = match svc.clocks.offset_for(&n.client_id).await {
        Ok(offset) => offset,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the merchant's clock; using real time");
            0
        }
    };
    let attempted_at = if offset == 0 {
        svc.clocks.now_ts()
    } else {
        n.next_attempt_at
            .min(svc.clocks.now_ts() + chrono::Duration::milliseconds(offset))
    };
    let signed = sign(svc, &n);
    let (request_time, signature) = match &signed {
        Ok(s) => (Some(s.request_time.clone()), Some(s.signature.clone())),
        Err(_) => (None, None),
    };
    let outcome = match &signed {
        Ok(s) => send(svc, &n, s).await,
        Err(e) => Err(e.clone()),
    };
    drop(share);
    let elapsed = started.elapsed();
    let latency_ms = elapsed.as_millis() as i64;
    svc.metrics.delivery(
        match &outcome {
            Ok((status, body)) if is_acknowledgement(*status, body) => {
                DeliveryOutcome::Acknowledged
            }
            Ok(_) => DeliveryOutcome::Rejected,
            Err(_) => DeliveryOutcome::Error,
        },
        elapsed,
    );
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
        match svc.settings.retry_schedule.get(attempt_no as usize - 1) {
            Some(delay) if offset == 0 => DeliveryNext::RetryAt(
                svc.clocks.now_ts() + chrono::Duration::milliseconds(delay.as_millis() as i64),
            ),
            Some(delay) => DeliveryNext::RetryAt(
                attempted_at + chrono::Duration::milliseconds(delay.as_millis() as i64),
            ),
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
        request_time,
        signature,
    };
    match svc
        .store
        .record_claimed_delivery(&record, next, lease_until)
        .await
    {
        Ok(true) => {}
        // The lease ran out before the outcome was recorded, and the
        // notification was claimed again: that claim's attempt is the one
        // recorded (an acknowledged notification is neither acknowledged
        // twice nor set back to pending by this late outcome).
        Ok(false) => tracing::warn!(
            http_status,
            acknowledged,
            "notification attempt outlived its lease and was claimed again; not recorded"
        ),
        // The lease runs out and the delivery is retried: at-least-once.
        Err(e) => tracing::error!(error = %e, "cannot record notification attempt"),
    }
}

/// A notification signed for sending: the target and the headers.
pub(crate) struct Signed {
    url: url::Url,
    /// Real time: the merchant's SDK checks it against its own clock.
    pub request_time: String,
    pub signature: String,
}

/// Checks the target and signs `n` for one attempt.
pub(crate) fn sign(svc: &Dispatcher, n: &Notification) -> Result<Signed, String> {
    let url = url::Url::parse(&n.url).map_err(|e| format!("invalid URL: {e}"))?;
    check_target(svc.settings.allow_private, &n.url)?;
    let request_time = format_datetime(svc.clocks.now());
    let signature =
        svc.gateway_key
            .sign_header(url.path(), &n.client_id, &request_time, n.body.as_bytes())?;
    Ok(Signed {
        url,
        request_time,
        signature,
    })
}

/// Signs and sends `n` once.
pub(crate) async fn post(svc: &Dispatcher, n: &Notification) -> Result<(u16, Vec<u8>), String> {
    let signed = sign(svc, n)?;
    send(svc, n, &signed).await
}

async fn send(
    svc: &Dispatcher,
    n: &Notification,
    signed: &Signed,
) -> Result<(u16, Vec<u8>), String> {
    let response = svc
        .http
        .post(signed.url.clone())
        .timeout(svc.settings.timeout)
        .header("content-type", "application/json; charset=UTF-8")
        .header("client-id", n.client_id.as_str())
        .header("request-time", &signed.request_time)
        .header("signature", &signed.signature)
        .body(n.body.clone())
        .send()
        .await
        .map_err(|e| format!("request failed: {}", with_causes(&e)))?;
    let status = response.status().as_u16();
    let mut body = Vec::new();
    let mut response = response;
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| format!("reading response failed: {}", with_causes(&e)))?
    {
        let room = MAX_RESPONSE_BYTES - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= MAX_RESPONSE_BYTES {
            break;
        }
    }
    Ok((status, body))
}

/// An error and its causes, for the delivery log ("error sending request
/// for url (…): client error (Connect): tcp connect error: Connection
/// refused"); a host that did not resolve to a public address is only
/// [`UNRESOLVABLE`], whatever the resolver said.
fn with_causes(e: &(dyn std::error::Error + 'static)) -> String {
    let mut chain = std::iter::successors(Some(e), |e| e.source());
    if chain.any(|e| e.is::<Unresolvable>()) {
        return UNRESOLVABLE.to_string();
    }
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let line = cause.to_string();
        if !text.contains(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        source = cause.source();
    }
    text
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
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "::",
            "fc00::1",
            "fe80::abcd",
            "64:ff9b::7f00:1",
            "64:ff9b::a00:1",
            "0.1.2.3",
            "198.18.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "240.0.0.1",
            "ff02::1",
            // 6to4 of 127.0.0.1, 10.0.0.1 and 192.168.1.1.
            "2002:7f00:1::",
            "2002:a00:1::1",
            "2002:c0a8:101::",
            // Teredo: server 127.0.0.1; client 10.0.0.1 (inverted: f5ff:fffe).
            "2001:0:7f00:1::1",
            "2001:0:808:808:0:0:f5ff:fffe",
            // Local-use NAT64 of 127.0.0.1.
            "64:ff9b:1::7f00:1",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "64:ff9b::808:808",
            "::ffff:8.8.8.8",
            // 6to4 of 8.8.8.8; Teredo with server 8.8.8.8, client 8.8.4.4.
            "2002:808:808::1",
            "2001:0:808:808:0:0:f7f7:fbfb",
        ] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
    }
}
