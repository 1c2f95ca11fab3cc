//! Keys and values of the wrong shape: an unknown or miscased key, a missing one, a value of the
//! wrong type, out of its set or range, empty, or an intrinsic where the plugin needs the value.

use crate::diagnostics::hints::closed_set_hint;
use crate::diagnostics::{Code, Diagnostic};

pub(crate) fn unknown_key(path: &str, key: &str, accepted: &[&str]) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownKey,
        path,
        format!("unknown setting `{key}`"),
        Some(closed_set_hint(key, accepted)),
    )
}

pub(crate) fn miscased_key(path: &str, key: &str, spelled: &str) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownKey,
        path,
        format!("`{key}` must be written `{spelled}`: keys are case-sensitive"),
        Some(format!("rename it to `{spelled}`")),
    )
}

pub(crate) fn wrong_type(path: &str, expected: &str, found: &str) -> Diagnostic {
    Diagnostic::new(
        Code::WrongType,
        path,
        format!("must be {expected}, found {found}"),
        None,
    )
}

/// `functions.<name>.deploymentSettings` that is neither a map, `false` nor empty (null).
/// `found` says what the value is, as written ("`true`", "an empty string").
pub(crate) fn settings_not_a_map(path: &str, found: &str) -> Diagnostic {
    Diagnostic::new(
        Code::WrongType,
        path,
        format!("must be a map of settings, or `false` for no canary; found {found}"),
        Some("e.g. `deploymentSettings: {type: Canary10Percent5Minutes, alias: Live}`".into()),
    )
}

/// An unquoted `2024-01-01`: js-yaml, the Framework's loader, hands the plugin a date.
pub(crate) fn yaml_date(path: &str, written: &str) -> Diagnostic {
    Diagnostic::new(
        Code::YamlDate,
        path,
        format!("YAML reads the unquoted `{written}` as a date, not as text"),
        Some(format!("quote it: `'{written}'`")),
    )
}

pub(crate) fn missing_setting(path: &str, key: &str, example: &str) -> Diagnostic {
    Diagnostic::new(
        Code::MissingKey,
        path,
        format!("`{key}` is required for a canary deployment"),
        Some(format!(
            "add `{key}: {example}` here or in custom.deploymentSettings"
        )),
    )
}

pub(crate) fn not_one_of(path: &str, given: &str, accepted: &[&str]) -> Diagnostic {
    Diagnostic::new(
        Code::NotAccepted,
        path,
        format!("`{given}` is not accepted"),
        Some(closed_set_hint(given, accepted)),
    )
}

pub(crate) fn too_many(path: &str, what: &str, count: usize, limit: usize) -> Diagnostic {
    Diagnostic::new(
        Code::TooMany,
        path,
        format!("{count} {what} given; CodeDeploy allows at most {limit} per deployment group"),
        Some(format!("keep the {limit} that matter most")),
    )
}

pub(crate) fn intrinsic_not_allowed(path: &str, function: &str) -> Diagnostic {
    Diagnostic::new(
        Code::IntrinsicNotAllowed,
        path,
        format!("`{function}` is a CloudFormation function, resolved at deploy time, but the plugin reads this setting while packaging"),
        Some("write the value itself; Serverless variables such as `${sls:stage}`, `${opt:...}` or `${self:custom...}` are resolved before the plugin reads it".into()),
    )
}

pub(crate) fn number_out_of_range(path: &str, written: &str, reason: &str) -> Diagnostic {
    Diagnostic::new(
        Code::NumberOutOfRange,
        path,
        format!("`{written}` cannot be used: {reason}"),
        Some("use a whole number from 1".into()),
    )
}

pub(crate) fn empty_value(path: &str) -> Diagnostic {
    Diagnostic::new(Code::EmptyValue, path, "must not be empty".into(), None)
}
