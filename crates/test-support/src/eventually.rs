//! Waiting for a condition without fixed sleeps.

use std::future::Future;
use std::time::{Duration, Instant};

/// The first pause between two checks; each pause doubles up to [`LONGEST_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(5);
const LONGEST_PAUSE: Duration = Duration::from_millis(100);

/// An answer of an [`eventually`] check: whether the wait is over.
pub trait Settled {
    fn settled(&self) -> bool;
}

impl Settled for bool {
    fn settled(&self) -> bool {
        *self
    }
}

impl<T> Settled for Option<T> {
    fn settled(&self) -> bool {
        self.is_some()
    }
}

impl<T, E> Settled for Result<T, E> {
    fn settled(&self) -> bool {
        self.is_ok()
    }
}

/// Asks `check` until it answers `true`, `Some(_)` or `Ok(_)`, pausing a
/// little longer each time (5 ms doubling to 100 ms), for at most `within`:
/// the first settled answer, or the last answer once the time is up — asked
/// once more at the deadline. The caller asserts on it, with its own message:
///
/// ```
/// # use std::time::Duration;
/// # use cashier_test_support::eventually;
/// # let runtime = tokio::runtime::Builder::new_current_thread()
/// #     .enable_time()
/// #     .build()
/// #     .unwrap();
/// # runtime.block_on(async {
/// let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
/// tokio::spawn(async move { tx.send(7).unwrap() });
/// let n = eventually(Duration::from_secs(5), || {
///     let got = rx.try_recv().ok();
///     async move { got }
/// })
/// .await
/// .expect("a message within 5 s");
/// assert_eq!(n, 7);
/// # });
/// ```
pub async fn eventually<A, F, Fut>(within: Duration, mut check: F) -> A
where
    A: Settled,
    F: FnMut() -> Fut,
    Fut: Future<Output = A>,
{
    let deadline = Instant::now() + within;
    let mut pause = FIRST_PAUSE;
    loop {
        let answer = check().await;
        let now = Instant::now();
        if answer.settled() || now >= deadline {
            return answer;
        }
        tokio::time::sleep(pause.min(deadline - now)).await;
        pause = (pause * 2).min(LONGEST_PAUSE);
    }
}
