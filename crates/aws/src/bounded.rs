//! AWS calls sent together, but never more than a few at once: a service with 200 canaried
//! functions would otherwise send hundreds of calls in the same instant, on the account's
//! request rates that CodeDeploy itself and the user's other tools share. One limit holds for a
//! whole operation, whatever rounds of calls it runs side by side (CodeDeploy's and
//! CloudWatch's in a status poll). A throttled call is retried by the SDK's standard retry
//! mode (`sdk_config`): exponential backoff with full jitter, within the call's time budget;
//! it keeps its place in the limit while it waits.

use std::future::Future;

use futures_util::future::join_all;
use tokio::sync::Semaphore;

/// Calls in flight at most, per operation.
const IN_FLIGHT: usize = 8;

/// The places for calls in flight that the rounds of one operation share.
pub(crate) struct InFlight(Semaphore);

impl InFlight {
    pub(crate) fn new() -> Self {
        Self(Semaphore::new(IN_FLIGHT))
    }
}

/// Every call's answer, in the order of `calls`, each sent once it has a place in `limit`. The
/// calls come built (a `Vec`, not a lazy map): a map's closures would be held across the
/// await, and their higher-ranked lifetimes keep the caller's future from being `Send`.
pub(crate) async fn all<F: Future>(limit: &InFlight, calls: Vec<F>) -> Vec<F::Output> {
    join_all(calls.into_iter().map(|call| async move {
        // The semaphore is never closed, so a place always comes.
        let _place = limit.0.acquire().await;
        call.await
    }))
    .await
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use futures_util::future::join;
    use futures_util::poll;

    use super::*;

    /// A call that counts itself in flight until the gate lets it through.
    async fn held(in_flight: &AtomicUsize, gate: &Semaphore) {
        in_flight.fetch_add(1, Ordering::SeqCst);
        let _through = gate.acquire().await;
        in_flight.fetch_sub(1, Ordering::SeqCst);
    }

    #[tokio::test]
    async fn two_rounds_side_by_side_share_one_limit() {
        let limit = InFlight::new();
        let in_flight = AtomicUsize::new(0);
        let gate = Semaphore::new(0);
        let round = || -> Vec<_> { (0..10).map(|_| held(&in_flight, &gate)).collect() };
        let mut both = std::pin::pin!(join(all(&limit, round()), all(&limit, round())));
        // Every call that could start has started, and waits at the gate.
        assert!(poll!(both.as_mut()).is_pending());
        assert_eq!(in_flight.load(Ordering::SeqCst), IN_FLIGHT);
        gate.add_permits(20);
        let (first, second) = both.await;
        assert_eq!((first.len(), second.len()), (10, 10));
        assert_eq!(in_flight.load(Ordering::SeqCst), 0);
    }
}
