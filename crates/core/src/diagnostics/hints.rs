//! The hints that suggest the closest accepted value.

use crate::suggest::best_match;

/// "did you mean X?" when a candidate is close, otherwise `fallback`.
pub(super) fn suggestion_or(
    given: &str,
    candidates: &[&str],
    fallback: impl FnOnce() -> String,
) -> String {
    match best_match(given, candidates.iter().copied()) {
        Some(candidate) => format!("did you mean `{candidate}`?"),
        None => fallback(),
    }
}

/// "did you mean X?" when a candidate is close, otherwise the list of accepted values.
pub(super) fn closed_set_hint(given: &str, accepted: &[&str]) -> String {
    suggestion_or(given, accepted, || {
        format!("accepted values: {}", accepted.join(", "))
    })
}
