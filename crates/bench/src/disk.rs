//! The disk's floor under every durable write: how long one small append
//! takes to become durable (`fdatasync`) in the directory the gateway's
//! SQLite data goes to. A createPaymentSession is answered only after a
//! commit whose fsync started after its write, so no create can be faster
//! than one of these, and a slow one (the virtual disks of cloud machines
//! have 20–60 ms outliers) delays every create of its group commit. The
//! report prints it beside the create latencies so the two can be compared.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::Serialize;

/// Bytes appended before each sync: two 4 KiB pages, about what one group
/// commit of a few payments appends to the WAL.
const APPEND: usize = 8192;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiskSync {
    pub syncs: usize,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

/// Appends and syncs a scratch file in `dir`, up to `count` times or for
/// `limit`, whichever ends first (blocking: run it off the async runtime).
pub fn measure(dir: &Path, count: usize, limit: Duration) -> Result<DiskSync> {
    let file = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("scratch file in {}", dir.display()))?;
    let mut f = file.as_file();
    let page = vec![0x5au8; APPEND];
    let started = Instant::now();
    let mut took = Vec::with_capacity(count);
    while took.len() < count.max(1) && (took.is_empty() || started.elapsed() < limit) {
        let t = Instant::now();
        f.write_all(&page)?;
        f.sync_data()?;
        took.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    took.sort_by(f64::total_cmp);
    let at = |q: f64| took[((took.len() - 1) as f64 * q).round() as usize];
    Ok(DiskSync {
        syncs: took.len(),
        p50_ms: at(0.5),
        p90_ms: at(0.9),
        p99_ms: at(0.99),
        max_ms: at(1.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_real_syncs_and_orders_the_quantiles() {
        let dir = tempfile::tempdir().unwrap();
        let d = measure(dir.path(), 20, Duration::from_secs(10)).unwrap();
        assert_eq!(d.syncs, 20);
        assert!(d.p50_ms > 0.0);
        assert!(d.p50_ms <= d.p90_ms && d.p90_ms <= d.p99_ms && d.p99_ms <= d.max_ms);
        // The scratch file is gone afterwards.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
