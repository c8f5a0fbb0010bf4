//! Whole-machine CPU readings from `/proc`, so that a report can say whether
//! the CPU was the limit of a run and how much of it the database took.
//!
//! #7 asks a two-node PostgreSQL run to beat one node "whenever CPU, not the
//! database, was the limit". On a 2-core machine the gateway nodes, the load
//! generator and PostgreSQL share the same cores, so the gateway's own CPU
//! seconds do not answer that; these readings do.

use std::path::Path;

/// Cumulative CPU time of all cores, in clock ticks, from `/proc/stat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CpuTicks {
    /// Ticks spent on anything but idle and I/O wait (steal included: a
    /// stolen tick was not available to this machine's work either).
    pub busy: u64,
    pub total: u64,
}

pub fn cpu_ticks() -> Option<CpuTicks> {
    parse_proc_stat(&std::fs::read_to_string("/proc/stat").ok()?)
}

fn parse_proc_stat(text: &str) -> Option<CpuTicks> {
    let line = text.lines().find(|l| l.starts_with("cpu "))?;
    // user nice system idle iowait irq softirq steal [guest guest_nice];
    // guest time is already counted in user, so only the first eight add up.
    let f: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .take(8)
        .map(|v| v.parse().ok())
        .collect::<Option<_>>()?;
    if f.len() < 5 {
        return None;
    }
    let total: u64 = f.iter().sum();
    Some(CpuTicks {
        busy: total - f[3] - f[4],
        total,
    })
}

/// The fraction of all cores' time that was busy between two readings.
pub fn busy_fraction(before: CpuTicks, after: CpuTicks) -> Option<f64> {
    let total = after.total.checked_sub(before.total)?;
    let busy = after.busy.checked_sub(before.busy)?;
    (total > 0).then(|| busy as f64 / total as f64)
}

/// CPU seconds used so far by the PostgreSQL server processes on this
/// machine (every process named `postgres`: the postmaster, its background
/// workers and the backends). Backends that exited were reaped by the
/// postmaster, so their time is in its `cutime`/`cstime` and the sum moves
/// on continuously. `None` when no such process runs here (a remote server,
/// or SQLite on a machine without PostgreSQL).
pub fn postgres_cpu_s() -> Option<f64> {
    let mut ticks = 0u64;
    let mut found = false;
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if let Some(t) = postgres_ticks(&entry.path()) {
            ticks += t;
            found = true;
        }
    }
    found.then(|| ticks as f64 / crate::gateway::clock_ticks_per_second())
}

/// utime + stime + cutime + cstime of one process, if it is `postgres`.
fn postgres_ticks(dir: &Path) -> Option<u64> {
    let stat = std::fs::read_to_string(dir.join("stat")).ok()?;
    parse_process_ticks(&stat, "postgres")
}

fn parse_process_ticks(stat: &str, command: &str) -> Option<u64> {
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    if stat.get(open + 1..close)? != command {
        return None;
    }
    // After "pid (comm) ": state is field 3, so utime..cstime (fields 14-17)
    // are the 12th to 15th after the name.
    let f: Vec<&str> = stat.get(close + 2..)?.split_whitespace().collect();
    (11..15).map(|i| f.get(i)?.parse::<u64>().ok()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_busy_and_total_ticks() {
        let t = parse_proc_stat("cpu  300 5 40 1000 20 0 7 3 50 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n")
            .unwrap();
        assert_eq!(
            t,
            CpuTicks {
                busy: 300 + 5 + 40 + 7 + 3,
                total: 1375
            }
        );
        assert_eq!(parse_proc_stat("intr 1 2 3"), None);
        let later = CpuTicks {
            busy: t.busy + 150,
            total: t.total + 200,
        };
        assert_eq!(busy_fraction(t, later), Some(0.75));
        assert_eq!(busy_fraction(t, t), None);
        assert_eq!(busy_fraction(later, t), None);
        assert!(cpu_ticks().is_some_and(|t| t.total >= t.busy && t.total > 0));
    }

    #[test]
    fn sums_the_cpu_fields_of_a_named_process() {
        let line = "4242 (postgres) S 1 4242 4242 0 -1 4194560 100 0 0 0 30 12 7 5 20 0 1 0 50 0 0";
        assert_eq!(parse_process_ticks(line, "postgres"), Some(30 + 12 + 7 + 5));
        assert_eq!(parse_process_ticks(line, "cashier"), None);
        // A command name with spaces and parentheses is read up to the last ')'.
        let odd = "7 (post (gres) x) R 1 7 7 0 -1 0 0 0 0 0 1 2 3 4 20 0 1 0 0 0 0";
        assert_eq!(parse_process_ticks(odd, "post (gres) x"), Some(10));
        assert_eq!(parse_process_ticks("7 (postgres) R 1", "postgres"), None);
    }
}
