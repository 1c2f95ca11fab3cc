//! Settings whose value is text: a non-empty string, or an IAM ARN that may also be an
//! intrinsic resolved at deploy time.

use serde_json::Value;

use super::json::{is_iam_arn, is_intrinsic, mistyped};
use crate::diagnostics::{self as diag, Diagnostic, Diagnostics};

pub(super) fn read_string(
    value: &Value,
    path: &str,
    diagnostics: &mut Diagnostics,
) -> Option<String> {
    match value {
        Value::String(text) if text.is_empty() => {
            diagnostics.push(diag::empty_value(path));
            None
        }
        Value::String(text) => Some(text.clone()),
        other => {
            diagnostics.push(mistyped(path, "a string", other));
            None
        }
    }
}

/// An ARN of `resource_kind` ("role", "policy"), or an intrinsic that yields one at deploy time.
pub(super) fn read_iam_arn(
    value: &Value,
    path: &str,
    resource_kind: &str,
    invalid: fn(&str, &str) -> Diagnostic,
    diagnostics: &mut Diagnostics,
) -> Option<Value> {
    if is_intrinsic(value) {
        return Some(value.clone());
    }
    let text = read_string(value, path, diagnostics)?;
    if is_iam_arn(&text, resource_kind) {
        return Some(value.clone());
    }
    diagnostics.push(invalid(path, &text));
    None
}
