//! Background work that time alone triggers: closing expired sessions,
//! settling asynchronous sandbox payments and refunds, and generating the
//! reconciliation reports of days that have closed. All are idempotent sweeps over
//! the store (the compare-and-set inside `payments::finalize` makes a second
//! node or a repeated sweep harmless; a day's reports are generated once),
//! driven by the injected clock. Report generation additionally runs on one
//! node at a time: the node holding the `reports` job lease does it and
//! renews the lease at each check; if it dies, another node takes over when
//! the lease runs out. Once a minute, too, each node trims the dashboard's
//! API request log of the merchants it wrote to their newest rows
//! (`api_log::prune`).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::api_log::ApiLog;
use crate::payments::{self, Ports};
use crate::reports;
use crate::store::{ClientId, Merchant, Store, StoreError};

const SWEEP_BATCH: u32 = 100;

/// Report generation is checked at most once per minute of the injected
/// clock: days close at a fixed time, and the check costs a query per merchant.
const REPORT_CHECK_MS: i64 = 60_000;

/// Name of the job lease that makes one node at a time generate reports.
pub const REPORT_JOB: &str = "reports";

/// What the sweeps need: the payments domain's ports (its store, the
/// merchants' clocks, the dispatcher's wake signal), where reports go, this
/// node's identity for the report job lease, and the API log to prune.
pub struct Workers {
    pub payments: Arc<Ports>,
    pub data_dir: PathBuf,
    pub node_id: String,
    pub api_log: Arc<ApiLog>,
    /// Pause between sweeps.
    pub interval: Duration,
}

pub async fn run_sweeper(svc: Arc<Workers>) {
    let mut reports_checked: Option<i64> = None;
    loop {
        if let Err(e) = sweep_payments(&svc).await {
            tracing::warn!(error = %e, "sweep failed; retrying");
        }
        let minute = svc
            .payments
            .clocks
            .now_ts()
            .millis()
            .div_euclid(REPORT_CHECK_MS);
        if reports_checked != Some(minute) {
            reports_checked = Some(minute);
            generate_reports(&svc).await;
            prune_api_log(&svc).await;
        }
        tokio::time::sleep(svc.interval).await;
    }
}

/// One pass of everything, reports included: returns how many payments
/// and refunds changed.
pub async fn sweep_once(svc: &Workers) -> Result<usize, crate::store::StoreError> {
    let changed = sweep_payments(svc).await?;
    generate_reports(svc).await;
    prune_api_log(svc).await;
    Ok(changed)
}

/// The merchants a sweep met, each read once: the domain takes the
/// payment's merchant from its caller, and a sweep is the caller that has
/// to read it. A payment whose merchant is gone is left alone.
#[derive(Default)]
struct Merchants(std::collections::HashMap<ClientId, Option<Merchant>>);

impl Merchants {
    async fn of(
        &mut self,
        store: &dyn Store,
        client_id: &ClientId,
    ) -> Result<Option<&Merchant>, StoreError> {
        if !self.0.contains_key(client_id) {
            let m = store.merchant(client_id).await?;
            if m.is_none() {
                tracing::error!(%client_id, "a due payment's merchant is missing; left alone");
            }
            self.0.insert(client_id.clone(), m);
        }
        Ok(self.0[client_id].as_ref())
    }
}

/// After a merchant's sandbox clock moved: decides everything that became
/// due (sweeps until a pass changes nothing, the merchant's closed days'
/// reports) and wakes the dispatcher for the notifications now due.
pub async fn catch_up(
    svc: &Workers,
    merchant: &crate::store::Merchant,
) -> Result<(), crate::store::StoreError> {
    // Each pass takes up to a batch of each kind; a pass that changes
    // nothing has nothing left that is due.
    while sweep_payments(svc).await? > 0 {}
    if let Err(e) = reports::generate_due_for(
        svc.payments.store.as_ref(),
        &svc.payments.clocks,
        &svc.data_dir,
        merchant,
    )
    .await
    {
        tracing::warn!(client_id = %merchant.client_id, error = %e, "report generation after a clock advance failed; the sweeper retries");
    }
    svc.payments.outbox.notify_one();
    Ok(())
}

/// Diagnostics: a failure is logged and the merchants are tried again at
/// the next prune.
async fn prune_api_log(svc: &Workers) {
    match crate::api_log::prune(&svc.api_log, svc.payments.store.as_ref()).await {
        Ok(0) => {}
        Ok(n) => tracing::debug!(rows = n, "API request log pruned"),
        Err(e) => tracing::warn!(error = %e, "cannot prune the API request log; retrying"),
    }
}

/// Reports are not payments: a failure is logged and retried on the next
/// check, and does not hold up expiry or settlement.
async fn generate_reports(svc: &Workers) {
    let now = svc.payments.clocks.now_ts();
    let holder = match svc
        .payments
        .store
        .try_lock_job(
            REPORT_JOB,
            &svc.node_id,
            now + chrono::Duration::milliseconds(3 * REPORT_CHECK_MS),
            now,
        )
        .await
    {
        Ok(held) => held,
        Err(e) => {
            tracing::warn!(error = %e, "cannot take the report job lease; retrying");
            return;
        }
    };
    if !holder {
        return;
    }
    if let Err(e) = reports::generate_due(
        svc.payments.store.as_ref(),
        &svc.payments.clocks,
        &svc.data_dir,
    )
    .await
    {
        tracing::warn!(error = %e, "report generation failed; retrying");
    }
}

/// Expiry and asynchronous settlement: returns how many changed.
async fn sweep_payments(svc: &Workers) -> Result<usize, crate::store::StoreError> {
    let svc = svc.payments.as_ref();
    let mut changed = 0;
    let now = svc.clocks.now_ts();
    let mut merchants = Merchants::default();
    for attempt in svc.store.due_async_attempts(now, SWEEP_BATCH).await? {
        let Some(payment) = svc.store.payment(&attempt.payment_id).await? else {
            continue;
        };
        let Some(m) = merchants.of(svc.store.as_ref(), &payment.client_id).await? else {
            continue;
        };
        if payments::settle_async(svc, m, &payment, &attempt).await? {
            changed += 1;
        }
    }
    for refund in svc.store.due_async_refunds(now, SWEEP_BATCH).await? {
        let Some(m) = merchants.of(svc.store.as_ref(), &refund.client_id).await? else {
            continue;
        };
        if payments::after::settle_refund(svc, m, &refund).await? {
            changed += 1;
        }
    }
    for p in svc.store.expired_open_payments(now, SWEEP_BATCH).await? {
        let Some(m) = merchants.of(svc.store.as_ref(), &p.client_id).await? else {
            continue;
        };
        let after = payments::expire_if_due(svc, m, p).await?;
        if after.status.is_final() {
            changed += 1;
        }
    }
    Ok(changed)
}
