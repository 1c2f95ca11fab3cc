//! The checks CodeDeploy runs around the shift: `preTrafficHook` and `postTrafficHook`, the
//! generated `smokeTest`, and the lifecycle event each claims.

use crate::diagnostics::hints::suggestion_or;
use crate::diagnostics::{Code, Diagnostic};
use crate::numbers::thousands;

pub(crate) fn unknown_hook_function(path: &str, given: &str, functions: &[&str]) -> Diagnostic {
    let hint = suggestion_or(given, functions, || {
        "name a function defined under `functions:` in this service".into()
    });
    Diagnostic::new(
        Code::UnknownHookFunction,
        path,
        format!("hook `{given}` is not a function of this service"),
        Some(hint),
    )
}

pub(crate) fn hook_is_canaried(path: &str, hook: &str) -> Diagnostic {
    Diagnostic::new(
        Code::HookIsCanaried,
        path,
        format!("hook function `{hook}` is itself deployed through CodeDeploy"),
        Some(format!(
            "CodeDeploy invokes hooks directly; remove `deploymentSettings` from `functions.{hook}`"
        )),
    )
}

pub(crate) fn missing_smoke_test_key(path: &str, key: &str) -> Diagnostic {
    Diagnostic::new(
        Code::MissingKey,
        path,
        format!("a smoke test needs `{key}`"),
        Some(
            "e.g. `- {name: home, event: {httpMethod: GET, path: /}, expect: {statusCode: 200}}`"
                .into(),
        ),
    )
}

pub(crate) fn duplicate_smoke_test(path: &str, name: &str, first: &str) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateSmokeTest,
        path,
        format!("another smoke test of this function is named `{name}` too: `{first}`"),
        Some("give each smoke test its own name: a failure is reported by it".into()),
    )
    .related_to(first)
}

/// `name` as written, escaped, so the control character shows.
pub(crate) fn invalid_smoke_test_name(path: &str, name: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidSmokeTestName,
        path,
        format!("{name:?} has a line break or another control character, and a smoke test's name labels one line of the package log and of the hook's log"),
        Some("write the name on one line, without tabs or other control characters".into()),
    )
}

pub(crate) fn smoke_test_event_too_large(path: &str, bytes: usize, limit: u64) -> Diagnostic {
    Diagnostic::new(
        Code::SmokeTestEventTooLarge,
        path,
        format!(
            "the event is {} bytes as JSON, and Lambda's synchronous Invoke takes a payload of at most {} bytes (6 MB), so the smoke test could never run",
            thousands(bytes as u64),
            thousands(limit)
        ),
        Some("send a smaller event, or test with a `preTrafficHook` function of your own, which can build or fetch a large event".into()),
    )
}

/// `ours` and `theirs` both claim one lifecycle event of the deployment.
pub(crate) fn hook_conflict(path: &str, ours: &str, theirs: &str, event: &str) -> Diagnostic {
    Diagnostic::new(
        Code::HookConflict,
        path,
        format!(
            "`{ours}` and `{theirs}` both need the {event} hook, and CodeDeploy runs one per event"
        ),
        Some(format!(
            "keep one: drop `{theirs}`, or run your checks from it and drop `{ours}`"
        )),
    )
}
