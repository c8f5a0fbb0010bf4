//! Overview (volume, count and success rate per currency, with a
//! server-rendered SVG bar chart), Reports (the daily reconciliation files
//! for download) and Developers (client id, gateway public key, merchant
//! public keys by keyVersion, adding and retiring keys, recent API requests).
//!
//! The charts are plain `<svg>` elements built by the template from integer
//! coordinates computed here: no script, no inline style, so the CSP holds.

use std::sync::Arc;

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect};
use axum::Form;
use cashier_protocol::signing::PublicKey;
use serde::Deserialize;

use super::auth::Viewer;
use super::settings::merchant_for;
use super::DashboardState;
use super::{fmt_time, money, page, strings, DashError, DashResult, DashStrings, Nav};
use crate::api_log;
use crate::merchants;
use crate::store::Timestamp;

const DAY_MS: i64 = 86_400_000;
const DAYS: i64 = 30;
/// Days of reports the Reports page lists.
const REPORT_DAYS: i64 = 90;
const CHART_W: i64 = 300;
/// Height of the bars' area; the axis labels take `CHART_TOP` above it and
/// `CHART_BOTTOM` below.
const CHART_H: i64 = 100;
const CHART_TOP: i64 = 14;
const CHART_BOTTOM: i64 = 16;
const BAR_W: i64 = 8;

pub struct Bar {
    pub x: i64,
    pub y: i64,
    pub h: i64,
    /// The day (`YYYY-MM-DD`) and its volume: the bar's tooltip and a row
    /// of the table under the chart.
    pub date: String,
    pub volume: String,
}

pub struct CurrencyView {
    pub code: String,
    pub today_volume: String,
    pub today_count: i64,
    pub today_rate: String,
    pub month_volume: String,
    pub month_count: i64,
    pub month_rate: String,
    pub max_label: String,
    pub bars: Vec<Bar>,
    /// The x axis's labels: the first, middle and last day.
    pub first_day: String,
    pub middle_day: String,
    pub last_day: String,
}

#[derive(Template)]
#[template(path = "dashboard/overview.html")]
struct OverviewPage {
    t: &'static DashStrings,
    title: String,
    nav: Option<Nav>,
    admin: bool,
    /// Days the figures and charts cover.
    days: i64,
    currencies: Vec<CurrencyView>,
    chart_w: i64,
    /// The y of the bars' baseline and of the top of the highest bar.
    base_y: i64,
    top_y: i64,
    /// The whole drawing's height, labels included.
    view_h: i64,
    bar_w: i64,
}

/// Counts and the volume of successful payments; volumes are `i128` sums
/// (see `store::split_sum`), which cannot overflow.
#[derive(Default)]
struct Tally {
    count: i64,
    success: i64,
    finished: i64,
    volume: i128,
}

impl Tally {
    fn add(&mut self, status: &str, count: i64, amount: i128) {
        self.count += count;
        if matches!(status, "SUCCESS" | "FAIL" | "CANCELLED") {
            self.finished += count;
        }
        if status == "SUCCESS" {
            self.success += count;
            self.volume += amount;
        }
    }

    /// Whole percent, rounded half up, in integers.
    fn rate(&self) -> String {
        if self.finished == 0 {
            "—".into()
        } else {
            format!(
                "{}%",
                (self.success * 200 + self.finished) / (self.finished * 2)
            )
        }
    }
}

/// The date of a day index of [`crate::store::DailyStat::day`] (days since
/// 1970-01-01 counted in UTC+8): its start shifted by 8 h is that date's
/// midnight in UTC.
fn day_label(day: i64) -> String {
    chrono::DateTime::from_timestamp_millis(day * DAY_MS)
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

pub async fn overview(State(svc): State<Arc<DashboardState>>, viewer: Viewer) -> DashResult {
    let t = strings();
    let offset = crate::store::ANTOM_DAY_OFFSET_MS;
    // A merchant's user sees "today" on the merchant's clock; the admin's
    // view of every merchant, on real time.
    let now = match viewer.scope() {
        Some(client_id) => svc.clocks.now_for(client_id).await?,
        None => svc.clocks.now_ts(),
    };
    let today = (now.millis() + offset).div_euclid(DAY_MS);
    let first = today - (DAYS - 1);
    let stats = svc
        .store
        .daily_stats(
            viewer.scope(),
            Timestamp::from_millis(first * DAY_MS - offset),
            Timestamp::from_millis((today + 1) * DAY_MS - offset),
        )
        .await?;
    // currency → (today, month, volume per day)
    let mut per: BTreeMap<String, (Tally, Tally, BTreeMap<i64, i128>)> = BTreeMap::new();
    for s in &stats {
        let e = per.entry(s.currency.code().to_string()).or_default();
        if s.day == today {
            e.0.add(&s.status, s.count, s.amount_minor);
        }
        e.1.add(&s.status, s.count, s.amount_minor);
        if s.status == "SUCCESS" {
            *e.2.entry(s.day).or_default() += s.amount_minor;
        }
    }
    let currencies = per
        .into_iter()
        .map(|(code, (today_tally, month_tally, days))| {
            let max = days.values().copied().max().unwrap_or(0).max(1);
            let bars = (0..DAYS)
                .map(|i| {
                    let day = first + i;
                    let v = days.get(&day).copied().unwrap_or(0);
                    // Integer scaling; a day with any volume shows at least 1 unit.
                    let h = if v > 0 {
                        i64::try_from(v * i128::from(CHART_H) / max).map_or(CHART_H, |h| h.max(1))
                    } else {
                        0
                    };
                    Bar {
                        x: i * (CHART_W / DAYS),
                        y: CHART_TOP + CHART_H - h,
                        h,
                        date: day_label(day),
                        volume: money(&code, v),
                    }
                })
                .collect();
            CurrencyView {
                today_volume: money(&code, today_tally.volume),
                today_count: today_tally.count,
                today_rate: today_tally.rate(),
                month_volume: money(&code, month_tally.volume),
                month_count: month_tally.count,
                month_rate: month_tally.rate(),
                max_label: if days.is_empty() {
                    t.overview_chart_none.into()
                } else {
                    money(&code, max)
                },
                bars,
                first_day: day_label(first),
                middle_day: day_label(first + DAYS / 2),
                last_day: day_label(today),
                code,
            }
        })
        .collect();
    page(&OverviewPage {
        t,
        title: t.overview_title.into(),
        nav: Some(viewer.nav("overview")),
        admin: viewer.is_admin(),
        days: DAYS,
        currencies,
        chart_w: CHART_W,
        base_y: CHART_TOP + CHART_H,
        top_y: CHART_TOP,
        view_h: CHART_TOP + CHART_H + CHART_BOTTOM,
        bar_w: BAR_W,
    })
}

// ------------------------------------------------------------------ reports

pub struct ReportDay {
    pub date: String,
    pub files: Vec<String>,
}

#[derive(Template)]
#[template(path = "dashboard/reports.html")]
struct ReportsPage {
    t: &'static DashStrings,
    title: String,
    nav: Option<Nav>,
    report_days: i64,
    client_id: Option<String>,
    merchants: Vec<String>,
    days: Vec<ReportDay>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ClientQuery {
    client: String,
    done: String,
}

async fn merchant_ids(svc: &DashboardState) -> DashResult<Vec<String>> {
    Ok(svc
        .store
        .merchants()
        .await?
        .into_iter()
        .map(|m| m.client_id.into_string())
        .collect())
}

pub async fn reports(
    State(svc): State<Arc<DashboardState>>,
    viewer: Viewer,
    Query(q): Query<ClientQuery>,
) -> DashResult {
    let m = merchant_for(&svc, &viewer, &q.client).await?;
    let mut days = Vec::new();
    let merchants = match &m {
        None => merchant_ids(&svc).await?,
        Some(m) => {
            let since = chrono::DateTime::from_timestamp_millis(
                svc.clocks.merchant_now(m).millis() - REPORT_DAYS * DAY_MS,
            )
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
            let mut dates = Vec::new();
            for kind in crate::reports::ReportKind::ALL {
                dates.extend(
                    svc.store
                        .report_dates(&m.client_id, kind.as_str(), &since)
                        .await?,
                );
            }
            dates.sort();
            dates.dedup();
            for date in dates.into_iter().rev() {
                let files = svc
                    .store
                    .reports(&m.client_id, &date)
                    .await?
                    .into_iter()
                    .map(|(_, name, _)| name)
                    .collect();
                days.push(ReportDay { date, files });
            }
            Vec::new()
        }
    };
    let t = strings();
    page(&ReportsPage {
        t,
        title: t.reports_title.into(),
        nav: Some(viewer.nav("reports")),
        report_days: REPORT_DAYS,
        client_id: m.map(|m| m.client_id.into_string()),
        merchants,
        days,
    })
}

pub async fn report_file(
    State(svc): State<Arc<DashboardState>>,
    viewer: Viewer,
    Path((date, file)): Path<(String, String)>,
    Query(q): Query<ClientQuery>,
) -> DashResult {
    let m = merchant_for(&svc, &viewer, &q.client)
        .await?
        .ok_or(DashError::NotFound)?;
    let (_, name, content) = svc
        .store
        .reports(&m.client_id, &date)
        .await?
        .into_iter()
        .find(|(_, name, _)| *name == file)
        .ok_or(DashError::NotFound)?;
    // The name comes from the store (our own generator), not the URL.
    let disposition = format!(
        "attachment; filename=\"{}\"",
        name.replace(
            |c: char| !(c.is_ascii_alphanumeric() || "._-".contains(c)),
            "_"
        )
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        content,
    )
        .into_response())
}

// ------------------------------------------------------------------ developers

pub struct LogView {
    pub at: String,
    pub api: String,
    pub code: String,
    pub status: String,
    /// The body's `paymentRequestId`, or empty.
    pub request_id: String,
    /// Milliseconds with one decimal, from microseconds in integers.
    pub latency: String,
}

/// Integration warnings counted over this many days on the Developers page.
pub const WARNING_WINDOW_DAYS: i64 = 30;
/// Newest integration warnings listed on the Developers page.
pub const WARNING_EXAMPLES: u32 = 10;

pub struct WarningCountView {
    pub rule: String,
    pub summary: &'static str,
    pub payments: u64,
    pub last: String,
}

pub struct WarningExampleView {
    pub at: String,
    pub payment_id: String,
    pub rule: String,
    pub message: String,
}

pub struct KeyView {
    pub version: u32,
    pub added: String,
    pub fingerprint: String,
    /// `None` while active; the retirement time (UTC) once retired.
    pub retired: Option<String>,
}

#[derive(Template)]
#[template(path = "dashboard/developers.html")]
struct DevelopersPage {
    t: &'static DashStrings,
    title: String,
    nav: Option<Nav>,
    csrf: String,
    client_id: Option<String>,
    merchants: Vec<String>,
    gateway_key: String,
    keys: Vec<KeyView>,
    active_keys: usize,
    next_version: u32,
    log: Vec<LogView>,
    log_cap: u32,
    /// Requests naming this client id whose signature did not verify.
    failed: Vec<LogView>,
    failed_cap: u32,
    strict: bool,
    warning_days: i64,
    warning_counts: Vec<WarningCountView>,
    warning_examples: Vec<WarningExampleView>,
    /// The merchant's sandbox clock, when the gateway runs them.
    clock: Option<ClockView>,
    done: Option<&'static str>,
    error: Option<String>,
}

struct ClockView {
    now: String,
    ahead: String,
}

async fn developers_page(
    svc: &DashboardState,
    viewer: &Viewer,
    client: &str,
    done: Option<&'static str>,
    error: Option<String>,
) -> DashResult {
    let m = merchant_for(svc, viewer, client).await?;
    let (keys, merchants) = match &m {
        Some(m) => (svc.store.merchant_keys(&m.client_id).await?, Vec::new()),
        None => (Vec::new(), merchant_ids(svc).await?),
    };
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let (rows, failed_rows) = match &m {
        Some(m) => {
            // This node's own entries appear at once; other nodes' within
            // about a second (their flushers).
            api_log::flush(&svc.api_log, svc.store.as_ref(), &svc.metrics).await;
            (
                svc.store
                    .recent_api_requests(&m.client_id, true, api_log::PAGE_ROWS)
                    .await?,
                svc.store
                    .recent_api_requests(&m.client_id, false, api_log::FAILED_AUTH_PAGE_ROWS)
                    .await?,
            )
        }
        None => (Vec::new(), Vec::new()),
    };
    let (warning_counts, warning_examples) = match &m {
        Some(m) => {
            let since = svc.clocks.merchant_now(m) - chrono::Duration::days(WARNING_WINDOW_DAYS);
            (
                svc.store.warning_counts(&m.client_id, since).await?,
                svc.store
                    .recent_warnings(&m.client_id, WARNING_EXAMPLES)
                    .await?,
            )
        }
        None => (Vec::new(), Vec::new()),
    };
    let clock = m
        .as_ref()
        .filter(|_| svc.settings.sandbox_clocks)
        .map(|m| ClockView {
            now: fmt_time(svc.clocks.merchant_now(m)),
            ahead: crate::clock::describe_seconds(m.clock_offset_ms / 1000),
        });
    let t = strings();
    let view = DevelopersPage {
        t,
        clock,
        strict: m.as_ref().is_some_and(|m| m.strict),
        warning_days: WARNING_WINDOW_DAYS,
        warning_counts: warning_counts
            .into_iter()
            .map(|c| WarningCountView {
                summary: cashier_protocol::WarningRule::from_code(&c.rule)
                    .map(|r| r.summary())
                    .unwrap_or(""),
                rule: c.rule,
                payments: c.payments,
                last: fmt_time(c.last_at),
            })
            .collect(),
        warning_examples: warning_examples
            .into_iter()
            .map(|w| WarningExampleView {
                at: fmt_time(w.created_at),
                payment_id: w.payment_id.to_string(),
                rule: w.rule,
                message: w.message,
            })
            .collect(),
        log: log_views(rows),
        log_cap: api_log::PAGE_ROWS,
        failed: log_views(failed_rows),
        failed_cap: api_log::FAILED_AUTH_PAGE_ROWS,
        title: t.developers_title.into(),
        nav: Some(viewer.nav("developers")),
        csrf: viewer.session.csrf_token.clone(),
        client_id: m.map(|m| m.client_id.into_string()),
        merchants,
        gateway_key: svc.gateway_public_key.to_string(),
        next_version: keys.iter().map(|k| k.key_version).max().unwrap_or(0) + 1,
        active_keys: keys.iter().filter(|k| k.is_active()).count(),
        keys: keys
            .iter()
            .map(|k| KeyView {
                version: k.key_version,
                added: fmt_time(k.created_at),
                fingerprint: hex::encode(
                    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &k.public_key).as_ref(),
                ),
                retired: k.retired_at.map(fmt_time),
            })
            .collect(),
        done,
        error,
    };
    Ok((status, Html(view.render()?)).into_response())
}

fn log_views(rows: Vec<crate::store::ApiRequestRecord>) -> Vec<LogView> {
    rows.into_iter()
        .map(|e| {
            let us = e.latency_us.max(0);
            LogView {
                at: fmt_time(e.at),
                api: e.api,
                code: e.result_code,
                status: e.result_status,
                request_id: e.request_id.unwrap_or_default(),
                latency: format!("{}.{}", us / 1000, (us % 1000) / 100),
            }
        })
        .collect()
}

pub async fn developers(
    State(svc): State<Arc<DashboardState>>,
    viewer: Viewer,
    Query(q): Query<ClientQuery>,
) -> DashResult {
    let t = strings();
    let done = match q.done.as_str() {
        "key" => Some(t.developers_key_added),
        "retired" => Some(t.developers_key_retired),
        "clock" => Some(t.developers_clock_moved),
        _ => None,
    };
    developers_page(&svc, &viewer, &q.client, done, None).await
}

#[derive(Deserialize)]
pub struct KeyForm {
    csrf: Option<String>,
    #[serde(default)]
    key_version: String,
    #[serde(default)]
    public_key: String,
}

pub async fn add_key(
    State(svc): State<Arc<DashboardState>>,
    viewer: Viewer,
    Query(q): Query<ClientQuery>,
    Form(form): Form<KeyForm>,
) -> DashResult {
    viewer.check_csrf(form.csrf.as_deref())?;
    let m = merchant_for(&svc, &viewer, &q.client)
        .await?
        .ok_or(DashError::NotFound)?;
    let fail = |e: String| developers_page(&svc, &viewer, &m.client_id, None, Some(e));
    let t = strings();
    let Ok(version) = form.key_version.trim().parse::<u32>() else {
        return fail(t.developers_version_invalid.into()).await;
    };
    let public = match PublicKey::from_text(form.public_key.trim()) {
        Ok(k) => k,
        Err(e) => return fail(t.developers_key_refused(&e.to_string())).await,
    };
    match merchants::add_key(
        svc.store.as_ref(),
        &m.client_id,
        version,
        &public,
        svc.clocks.now_ts(),
    )
    .await
    {
        Ok(()) => {
            tracing::info!(user = %viewer.user.user_id, client_id = %m.client_id, version, "dashboard key added");
            Ok(Redirect::to(&format!(
                "/dashboard/developers?client={}&done=key",
                m.client_id
            ))
            .into_response())
        }
        Err(e) => fail(e.to_string()).await,
    }
}

#[derive(Deserialize)]
pub struct ClockForm {
    csrf: Option<String>,
    #[serde(default)]
    advance: String,
}

/// Moves the merchant's sandbox clock forward, as the advanceClock API
/// does (what became due is decided before the page answers).
pub async fn advance_clock(
    State(svc): State<Arc<DashboardState>>,
    viewer: Viewer,
    Query(q): Query<ClientQuery>,
    Form(form): Form<ClockForm>,
) -> DashResult {
    viewer.check_csrf(form.csrf.as_deref())?;
    let m = merchant_for(&svc, &viewer, &q.client)
        .await?
        .ok_or(DashError::NotFound)?;
    let fail = |e: String| developers_page(&svc, &viewer, &m.client_id, None, Some(e));
    if !svc.settings.sandbox_clocks {
        return fail(strings().developers_clocks_off.into()).await;
    }
    let seconds = match crate::clock::parse_advance(&form.advance) {
        Ok(s) => s,
        Err(e) => return fail(format!("{}.", capitalize(&e))).await,
    };
    match crate::api::clock::advance_merchant_clock(
        svc.store.as_ref(),
        &svc.merchant_cache,
        &svc.workers,
        &m.client_id,
        seconds,
    )
    .await
    {
        Ok(_) => {
            tracing::info!(user = %viewer.user.user_id, client_id = %m.client_id, seconds, "dashboard sandbox clock advanced");
            Ok(Redirect::to(&format!(
                "/dashboard/developers?client={}&done=clock",
                m.client_id
            ))
            .into_response())
        }
        Err(e) => fail(e.message).await,
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[derive(Deserialize)]
pub struct RetireForm {
    csrf: Option<String>,
    /// The merchant whose key this is, as the page rendered it.
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    key_version: String,
}

/// Retires one key version. The form names its merchant; a merchant user
/// naming another merchant (in the form or in `?client=`) is refused as
/// not found and nothing changes — the request is not quietly applied to
/// the user's own key of that version instead. The last active key is
/// never retired (the store checks it atomically).
pub async fn retire_key(
    State(svc): State<Arc<DashboardState>>,
    viewer: Viewer,
    Query(q): Query<ClientQuery>,
    Form(form): Form<RetireForm>,
) -> DashResult {
    viewer.check_csrf(form.csrf.as_deref())?;
    let named = form.client_id.trim();
    if !q.client.is_empty() && !named.is_empty() && q.client != named {
        return Err(DashError::NotFound);
    }
    let named = if named.is_empty() {
        q.client.as_str()
    } else {
        named
    };
    if !named.is_empty() && !viewer.may_see(&named.into()) {
        tracing::warn!(user = %viewer.user.user_id, client_id = named, "dashboard key retirement for another merchant refused");
        return Err(DashError::NotFound);
    }
    let m = merchant_for(&svc, &viewer, named)
        .await?
        .ok_or(DashError::NotFound)?;
    let fail = |e: String| developers_page(&svc, &viewer, &m.client_id, None, Some(e));
    let Ok(version) = form.key_version.trim().parse::<u32>() else {
        return fail(strings().developers_version_invalid.into()).await;
    };
    match merchants::retire_key(
        svc.store.as_ref(),
        &m.client_id,
        version,
        svc.clocks.now_ts(),
    )
    .await
    {
        Ok(()) => {
            svc.merchant_cache.forget(&m.client_id);
            tracing::info!(user = %viewer.user.user_id, client_id = %m.client_id, version, "dashboard key retired");
            Ok(Redirect::to(&format!(
                "/dashboard/developers?client={}&done=retired",
                m.client_id
            ))
            .into_response())
        }
        Err(merchants::MerchantError::Store(e)) => Err(e.into()),
        Err(e) => fail(format!("{e}.")).await,
    }
}
