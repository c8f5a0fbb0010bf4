//! Background work that time alone triggers: closing expired sessions and
//! settling asynchronous sandbox payments and refunds. Both are idempotent sweeps over
//! the store (the compare-and-set inside `payments::finalize` makes a second
//! node or a repeated sweep harmless), driven by the injected clock.

use crate::payments;
use crate::state::AppState;

const SWEEP_BATCH: u32 = 100;

pub async fn run_sweeper(svc: AppState) {
    loop {
        if let Err(e) = sweep_once(&svc).await {
            tracing::warn!(error = %e, "sweep failed; retrying");
        }
        tokio::time::sleep(svc.config.worker_interval).await;
    }
}

/// One pass: returns how many payments changed.
pub async fn sweep_once(svc: &AppState) -> Result<usize, crate::store::StoreError> {
    let mut changed = 0;
    let now = svc.now_ms();
    for attempt in svc.store.due_async_attempts(now, SWEEP_BATCH).await? {
        if payments::settle_async(svc, &attempt).await? {
            changed += 1;
        }
    }
    for refund in svc.store.due_async_refunds(now, SWEEP_BATCH).await? {
        if payments::after::settle_refund(svc, &refund).await? {
            changed += 1;
        }
    }
    for p in svc.store.expired_open_payments(now, SWEEP_BATCH).await? {
        let after = payments::expire_if_due(svc, p).await?;
        if after.status.is_final() {
            changed += 1;
        }
    }
    Ok(changed)
}
