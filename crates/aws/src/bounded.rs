//! AWS calls sent together, but never more than a few at once: a service with 200 canaried
//! functions would otherwise send hundreds of calls in the same instant, on the account's
//! request rates that CodeDeploy itself and the user's other tools share. The SDK's standard
//! retry mode backs off when one is throttled (`sdk_config`).

use std::future::Future;

use futures_util::stream::{self, StreamExt};

/// Calls in flight at most, per batch of calls.
const IN_FLIGHT: usize = 8;

/// Every call's answer, in the order of `calls`. The calls come built (a `Vec`, not a lazy
/// map): a map's closures would be held across the await, and their higher-ranked lifetimes
/// keep the caller's future from being `Send`.
pub(crate) async fn all<F: Future>(calls: Vec<F>) -> Vec<F::Output> {
    stream::iter(calls).buffered(IN_FLIGHT).collect().await
}
