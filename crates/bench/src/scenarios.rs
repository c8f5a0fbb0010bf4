//! The scenarios: requests prepared (and signed) before the timed window,
//! and the operation each timed request performs.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use cashier_protocol::signing::{sign_message, verify_message, PrivateKey, PublicKey};
use serde_json::{json, Value};

use crate::gateway::MerchantFile;
use crate::load::{Op, OpFuture};
use crate::raw;
use crate::receiver::Receiver;

pub const CREATE_PATH: &str = "/ams/sandbox/api/v1/payments/createPaymentSession";
pub const INQUIRY_PATH: &str = "/ams/sandbox/api/v1/payments/inquiryPayment";

/// A signed API request, ready to send.
pub struct Prepared {
    pub path: &'static str,
    pub request_id: String,
    pub body: bytes::Bytes,
    pub time: String,
    pub signature: String,
    /// The whole HTTP request, for the timed sends (`raw`).
    pub wire: bytes::Bytes,
}

/// Everything a scenario needs to talk to the gateway.
pub struct Ctx {
    pub http: reqwest::Client,
    /// The lean client of the timed create, inquiry and page requests.
    pub raw: raw::Client,
    pub bases: Vec<String>,
    pub merchant: MerchantFile,
    pub key: PrivateKey,
    pub gateway_key: PublicKey,
    pub receiver: Receiver,
    /// Distinguishes this run's paymentRequestIds from earlier runs'.
    pub run_id: String,
    /// Responses with an index below this have their signature verified
    /// (verification costs the load generator CPU the gateway could use).
    pub verify_first: u64,
}

impl Ctx {
    pub fn new(
        bases: Vec<String>,
        merchant: MerchantFile,
        receiver: Receiver,
        concurrency: usize,
    ) -> Result<Ctx> {
        let key = PrivateKey::from_text(&merchant.merchant_private_key)
            .context("merchant private key")?;
        let gateway_key =
            PublicKey::from_text(&merchant.gateway_public_key).context("gateway public key")?;
        receiver.set_key(PublicKey::from_text(&merchant.gateway_public_key)?);
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(concurrency.max(16) * 2)
            .tcp_nodelay(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(60))
            .build()?;
        let run_id = format!("{:x}", chrono::Utc::now().timestamp_millis());
        let raw = raw::Client::new(&bases)?;
        Ok(Ctx {
            http,
            raw,
            bases,
            merchant,
            key,
            gateway_key,
            receiver,
            run_id,
            verify_first: 200,
        })
    }

    pub fn base(&self, i: u64) -> &str {
        &self.bases[(i % self.bases.len() as u64) as usize]
    }

    pub fn session_body(&self, request_id: &str) -> String {
        json!({
            "productCode": "CASHIER_PAYMENT",
            "productScene": "CHECKOUT_PAYMENT",
            "paymentRequestId": request_id,
            "order": {
                "referenceOrderId": format!("ORDER-{request_id}"),
                "orderDescription": "Kopi and kaya toast",
                "orderAmount": {"currency": "SGD", "value": "6000"},
                "goods": [
                    {"referenceGoodsId": "KOPI", "goodsName": "Kopi", "goodsQuantity": "2",
                     "goodsUnitAmount": {"currency": "SGD", "value": "1500"}},
                    {"referenceGoodsId": "TOAST", "goodsName": "Kaya toast", "goodsQuantity": "1",
                     "goodsUnitAmount": {"currency": "SGD", "value": "3000"}}
                ],
                "buyer": {"referenceBuyerId": "BUYER-1", "buyerName": {"fullName": "Tan Ah Kow"}}
            },
            "paymentAmount": {"currency": "SGD", "value": "6000"},
            "settlementStrategy": {"settlementCurrency": "SGD"},
            "paymentRedirectUrl": format!("https://merchant.example.com/return?order={request_id}"),
            "paymentNotifyUrl": self.receiver.url,
            "env": {"terminalType": "WEB"}
        })
        .to_string()
    }

    fn sign(&self, path: &'static str, request_id: String, body: String) -> Result<Prepared> {
        let time = chrono::Utc::now().timestamp_millis().to_string();
        let signature = sign_message(
            &self.key,
            self.merchant.key_version,
            path,
            &self.merchant.client_id,
            &time,
            body.as_bytes(),
        )?;
        let wire = raw::post(
            path,
            &self.merchant.client_id,
            &time,
            &signature,
            body.as_bytes(),
        );
        Ok(Prepared {
            path,
            request_id,
            body: bytes::Bytes::from(body),
            time,
            signature,
            wire,
        })
    }

    /// Signs `n` requests on all cores (before the timed window).
    pub fn presign(
        self: &Arc<Self>,
        n: u64,
        make: impl Fn(&Ctx, u64) -> (&'static str, String, String) + Sync,
    ) -> Result<Vec<Prepared>> {
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        let chunk = (n as usize).div_ceil(threads).max(1);
        let indices: Vec<u64> = (0..n).collect();
        let parts: Vec<Result<Vec<Prepared>>> = std::thread::scope(|s| {
            let handles: Vec<_> = indices
                .chunks(chunk)
                .map(|idx| {
                    let make = &make;
                    s.spawn(move || {
                        idx.iter()
                            .map(|&i| {
                                let (path, id, body) = make(self, i);
                                self.sign(path, id, body)
                            })
                            .collect()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("signing thread"))
                .collect()
        });
        let mut out = Vec::with_capacity(n as usize);
        for p in parts {
            out.extend(p?);
        }
        Ok(out)
    }

    pub fn create_requests(self: &Arc<Self>, tag: &str, n: u64) -> Result<Vec<Prepared>> {
        let run = self.run_id.clone();
        self.presign(n, |ctx, i| {
            let id = format!("bench-{run}-{tag}-{i}");
            let body = ctx.session_body(&id);
            (CREATE_PATH, id, body)
        })
    }

    /// Sends one prepared API request and checks its answer: HTTP 200,
    /// `resultStatus` S, and (for the first responses) a valid signature.
    pub async fn send(&self, base: &str, p: &Prepared, verify: bool) -> Result<Value, String> {
        let response = self
            .http
            .post(format!("{base}{}", p.path))
            .header("content-type", "application/json; charset=UTF-8")
            .header("client-id", &self.merchant.client_id)
            .header("request-time", &p.time)
            .header("signature", &p.signature)
            .body(p.body.clone())
            .send()
            .await
            .map_err(|e| transport_kind(&e))?;
        let status = response.status();
        if status != reqwest::StatusCode::OK {
            return Err(format!("http {}", status.as_u16()));
        }
        let signature = response
            .headers()
            .get("signature")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let time = response
            .headers()
            .get("response-time")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = response.bytes().await.map_err(|e| transport_kind(&e))?;
        if verify {
            self.check_signature(p.path, signature.as_deref(), time.as_deref(), &body)?;
        }
        let v: Value =
            serde_json::from_slice(&body).map_err(|_| "response not JSON".to_string())?;
        match v["result"]["resultStatus"].as_str() {
            Some("S") => Ok(v),
            _ => Err(format!(
                "result {}",
                v["result"]["resultCode"].as_str().unwrap_or("missing")
            )),
        }
    }
}

impl Ctx {
    /// The gateway's signature over a response to `path`: both headers
    /// present and the signature valid.
    fn check_signature(
        &self,
        path: &str,
        signature: Option<&str>,
        time: Option<&str>,
        body: &[u8],
    ) -> Result<(), String> {
        let ok = match (signature, time) {
            (Some(s), Some(t)) => verify_message(
                &self.gateway_key,
                s,
                path,
                &self.merchant.client_id,
                t,
                body,
            )
            .is_ok(),
            _ => false,
        };
        ok.then_some(())
            .ok_or_else(|| "response signature invalid".to_string())
    }

    /// The timed form of [`Ctx::send`]: the prepared bytes over the lean
    /// client, the same checks (HTTP 200, `resultStatus` S, the signature of
    /// the first responses), and the body's few fields the scenarios need
    /// instead of a whole JSON tree.
    pub async fn send_timed(&self, i: u64, p: &Prepared, verify: bool) -> Result<Reply, String> {
        let r = self
            .raw
            .send((i % self.bases.len() as u64) as usize, &p.wire)
            .await?;
        if r.status != 200 {
            return Err(format!("http {}", r.status));
        }
        if verify {
            self.check_signature(
                p.path,
                r.signature.as_deref(),
                r.response_time.as_deref(),
                &r.body,
            )?;
        }
        let reply: Reply =
            serde_json::from_slice(&r.body).map_err(|_| "response not JSON".to_string())?;
        match reply.result.status.as_deref() {
            Some("S") => Ok(reply),
            _ => Err(format!(
                "result {}",
                reply.result.code.as_deref().unwrap_or("missing")
            )),
        }
    }
}

/// The fields of an API response the timed checks read.
#[derive(serde::Deserialize)]
pub struct Reply {
    #[serde(default)]
    pub result: ReplyResult,
    #[serde(rename = "paymentStatus")]
    pub payment_status: Option<String>,
    #[serde(rename = "paymentResultCode")]
    pub payment_result_code: Option<String>,
    #[serde(rename = "normalUrl")]
    pub normal_url: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct ReplyResult {
    #[serde(rename = "resultStatus")]
    pub status: Option<String>,
    #[serde(rename = "resultCode")]
    pub code: Option<String>,
}

fn transport_kind(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timeout".into()
    } else if e.is_connect() {
        "connect".into()
    } else if e.is_body() || e.is_decode() {
        "body".into()
    } else {
        "transport".into()
    }
}

/// createPaymentSession with a new paymentRequestId each time.
pub fn create_op(ctx: Arc<Ctx>, requests: Arc<Vec<Prepared>>) -> Op {
    Arc::new(move |i| -> OpFuture {
        let (ctx, requests) = (ctx.clone(), requests.clone());
        Box::pin(async move {
            let p = &requests[i as usize % requests.len()];
            ctx.send_timed(i, p, i < ctx.verify_first)
                .await
                .and_then(|r| match r.normal_url {
                    Some(_) => Ok(()),
                    None => Err("session without normalUrl".into()),
                })
        })
    })
}

/// Creates `n` open sessions (not timed) and returns their request ids
/// and normalUrls.
pub async fn open_sessions(ctx: &Arc<Ctx>, n: u64) -> Result<Vec<(String, String)>> {
    let requests = ctx.create_requests("s", n)?;
    let mut out = Vec::new();
    for (i, p) in requests.iter().enumerate() {
        let v = ctx
            .send(ctx.base(i as u64), p, true)
            .await
            .map_err(anyhow::Error::msg)
            .context("creating a session for the scenario")?;
        let url = v["normalUrl"].as_str().context("normalUrl")?.to_string();
        out.push((p.request_id.clone(), url));
    }
    Ok(out)
}

/// Pre-signed inquiries over `sessions`, sent round-robin.
pub fn inquiry_requests(ctx: &Arc<Ctx>, sessions: &[(String, String)]) -> Result<Vec<Prepared>> {
    let ids: Vec<String> = sessions.iter().map(|s| s.0.clone()).collect();
    ctx.presign(ids.len() as u64, |_, i| {
        let id = ids[i as usize].clone();
        let body = json!({ "paymentRequestId": id }).to_string();
        (INQUIRY_PATH, id, body)
    })
}

pub fn inquiry_op(ctx: Arc<Ctx>, requests: Arc<Vec<Prepared>>) -> Op {
    Arc::new(move |i| -> OpFuture {
        let (ctx, requests) = (ctx.clone(), requests.clone());
        Box::pin(async move {
            let p = &requests[i as usize % requests.len()];
            let r = ctx.send_timed(i, p, i < ctx.verify_first).await?;
            match r.payment_result_code.or(r.payment_status) {
                Some(_) => Ok(()),
                None => Err("inquiry without payment status".into()),
            }
        })
    })
}

/// The full payment path: create → simulate pay → the notification
/// arrives at the receiver. Timed until the receiver has it.
pub fn pay_op(ctx: Arc<Ctx>, requests: Arc<Vec<Prepared>>, timeout: Duration) -> Op {
    Arc::new(move |i| -> OpFuture {
        let (ctx, requests) = (ctx.clone(), requests.clone());
        Box::pin(async move {
            let p = &requests[i as usize % requests.len()];
            let arrived = ctx.receiver.wait_for(&p.request_id);
            let base = ctx.base(i).to_string();
            ctx.send(&base, p, i < ctx.verify_first).await?;
            // Simulate on another node when there are several: any node can
            // serve any request.
            let sim_base = ctx.base(i + 1);
            let r = ctx
                .http
                .post(format!("{sim_base}/sandbox/simulate/pay"))
                .json(&json!({
                    "clientId": ctx.merchant.client_id,
                    "paymentRequestId": p.request_id,
                    "outcome": "SUCCESS",
                }))
                .send()
                .await
                .map_err(|e| format!("simulate: {}", transport_kind(&e)))?;
            if !r.status().is_success() {
                return Err(format!("simulate: http {}", r.status().as_u16()));
            }
            let v: Value = r
                .json()
                .await
                .map_err(|_| "simulate: response not JSON".to_string())?;
            if v["result"]["resultStatus"] != "S" || v["paymentStatus"] != "SUCCESS" {
                return Err(format!(
                    "simulate: result {}",
                    v["result"]["resultCode"].as_str().unwrap_or("missing")
                ));
            }
            match tokio::time::timeout(timeout, arrived).await {
                Ok(Ok(_)) => Ok(()),
                _ => Err("notification not received in time".into()),
            }
        })
    })
}

/// Hosted checkout page GETs over `sessions` (each node serves any page).
pub fn page_op(ctx: Arc<Ctx>, paths: Arc<Vec<String>>) -> Op {
    let wires: Arc<Vec<bytes::Bytes>> = Arc::new(paths.iter().map(|p| raw::get(p)).collect());
    Arc::new(move |i| -> OpFuture {
        let (ctx, wires) = (ctx.clone(), wires.clone());
        Box::pin(async move {
            let wire = &wires[i as usize % wires.len()];
            let r = ctx
                .raw
                .send((i % ctx.bases.len() as u64) as usize, wire)
                .await?;
            if r.status != 200 {
                return Err(format!("http {}", r.status));
            }
            let body = r.body;
            if body.len() < 500 {
                return Err("page too short".into());
            }
            Ok(())
        })
    })
}

pub fn path_of(url: &str) -> Result<String> {
    let u = url::Url::parse(url).context("normalUrl")?;
    Ok(u.path().to_string())
}

/// The weight of the checkout page: HTML plus the stylesheets and scripts
/// it links, raw and gzip-compressed (level 6, what a typical server or
/// proxy sends), and any reference to another origin.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageWeight {
    pub html_bytes: usize,
    pub assets: Vec<(String, usize)>,
    pub raw_bytes: usize,
    pub gzip_bytes: usize,
    pub gateway_compresses: bool,
    pub external_references: Vec<String>,
}

pub async fn page_weight(ctx: &Ctx, page_path: &str) -> Result<PageWeight> {
    let base = ctx.base(0);
    let url = format!("{base}{page_path}");
    // Whether the gateway compresses for a browser that asks; the weight is
    // measured the same way either way, on the identity bytes.
    let gateway_compresses = ctx
        .http
        .get(&url)
        .header("accept-encoding", "gzip")
        .send()
        .await?
        .headers()
        .contains_key("content-encoding");
    let html = ctx.http.get(&url).send().await?.text().await?;
    let mut assets = Vec::new();
    let mut external = Vec::new();
    let mut raw = html.len();
    let mut gz = gzip_len(html.as_bytes());
    for attr in ["href=\"", "src=\""] {
        for (pos, _) in html.match_indices(attr) {
            let rest = &html[pos + attr.len()..];
            let Some(end) = rest.find('"') else { continue };
            let target = &rest[..end];
            // Only what the browser loads by itself counts: `src` of any
            // element and `href` of `<link>`; links the buyer may follow
            // (the merchant's return URL) do not.
            let tag_start = html[..pos].rfind('<').unwrap_or(0);
            let loads = attr == "src=\"" || html[tag_start..].starts_with("<link");
            if !loads {
                continue;
            }
            let lower = target.to_ascii_lowercase();
            if lower.starts_with("http:") || lower.starts_with("https:") || lower.starts_with("//")
            {
                external.push(target.to_string());
                continue;
            }
            let file = target.split('?').next().unwrap_or(target);
            let is_asset =
                (file.ends_with(".css") || file.ends_with(".js")) && target.starts_with('/');
            if !is_asset {
                continue;
            }
            let bytes = ctx
                .http
                .get(format!("{base}{target}"))
                .send()
                .await?
                .bytes()
                .await?;
            raw += bytes.len();
            gz += gzip_len(&bytes);
            assets.push((target.to_string(), bytes.len()));
        }
    }
    if assets.is_empty() {
        bail!("the checkout page links no CSS or JS; is {page_path} a checkout page?");
    }
    Ok(PageWeight {
        html_bytes: html.len(),
        assets,
        raw_bytes: raw,
        gzip_bytes: gz,
        gateway_compresses,
        external_references: external,
    })
}

fn gzip_len(bytes: &[u8]) -> usize {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    e.write_all(bytes).expect("in-memory write");
    e.finish().expect("in-memory gzip").len()
}

/// Waits until the receiver has `target` unique notifications or the
/// deadline passes; returns when the last one arrived.
pub async fn wait_unique(receiver: &Receiver, target: u64, deadline: Instant) -> Option<Instant> {
    loop {
        if receiver.unique() >= target {
            return Some(Instant::now());
        }
        if Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}
