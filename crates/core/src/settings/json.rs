//! Small facts about resolved JSON values that validation words its messages with.

use serde_json::Value;

use crate::diagnostics::{self as diag, Diagnostic};

/// How a value reads in a message, with enough of it to recognise: "found the text `5m`",
/// "found an empty list".
pub(super) fn kind(value: &Value) -> String {
    if let Some(number) = non_finite(value) {
        return format!("`{number}`");
    }
    match value {
        Value::Null => "nothing (null)".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(text) if text.is_empty() => "an empty string".into(),
        Value::String(text) => format!("the text `{}`", shortened(text)),
        Value::Array(items) if items.is_empty() => "an empty list".into(),
        Value::Array(items) => match items.len() {
            1 => "a list of 1 item".into(),
            n => format!("a list of {n} items"),
        },
        Value::Object(map) if map.is_empty() => "an empty object".into(),
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().take(3).map(|k| format!("`{k}`")).collect();
            let more = if map.len() > 3 { ", ..." } else { "" };
            format!("an object with {}{more}", keys.join(", "))
        }
    }
}

/// At most 40 characters of `text`, cut between characters, with control characters escaped
/// (`\n`), so the message stays one line.
fn shortened(text: &str) -> String {
    let shown = |part: &str| {
        part.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect::<String>()
    };
    match text.char_indices().nth(40) {
        Some((end, _)) => format!("{}...", shown(&text[..end])),
        None => shown(text),
    }
}

/// The problem with a value of the wrong kind at `path`. An intrinsic gets one message of its
/// own: CloudFormation resolves it at deploy time, after the plugin has read the settings.
pub(crate) fn mistyped(path: &str, expected: &str, value: &Value) -> Diagnostic {
    match intrinsic_name(value) {
        Some(function) => diag::intrinsic_not_allowed(path, function),
        None => diag::wrong_type(path, expected, &kind(value)),
    }
}

/// The map `value` is, unless it is an intrinsic, whose one key is a function, not a setting,
/// or a number JSON cannot hold.
pub(crate) fn plain_object(value: &Value) -> Option<&serde_json::Map<String, Value>> {
    value
        .as_object()
        .filter(|_| !is_intrinsic(value) && non_finite(value).is_none())
}

/// `NaN`, `Infinity` or `-Infinity`: YAML's `.nan` and `.inf`, which JSON cannot hold, travel
/// as `{"$number": "NaN"}` from both readers of the service (lib/native.js, source/yaml_schema.rs).
pub(crate) fn non_finite(value: &Value) -> Option<&str> {
    let map = value.as_object().filter(|map| map.len() == 1)?;
    map.get(crate::source::NON_FINITE_KEY)?.as_str()
}

/// `Ref` or `Fn::If` when `value` is an intrinsic.
pub(crate) fn intrinsic_name(value: &Value) -> Option<&str> {
    is_intrinsic(value)
        .then(|| value.as_object()?.keys().next().map(String::as_str))
        .flatten()
}

/// A CloudFormation intrinsic such as `{Ref: X}` or `{Fn::GetAtt: [X, Arn]}`: resolved at deploy
/// time, so only its shape can be checked here.
pub(crate) fn is_intrinsic(value: &Value) -> bool {
    match value.as_object() {
        Some(map) if map.len() == 1 => map
            .keys()
            .next()
            .is_some_and(|key| key == "Ref" || key.starts_with("Fn::")),
        _ => false,
    }
}

/// `arn:<partition>:iam::<12-digit account>:<resource kind>/<name>`
pub(crate) fn is_iam_arn(text: &str, resource_kind: &str) -> bool {
    arn_parts(text, "iam").is_some_and(|(region, resource)| {
        region.is_empty()
            && resource
                .strip_prefix(resource_kind)
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|name| !name.is_empty())
    })
}

/// The region and resource of `arn:<partition>:<service>:<region>:<12-digit account>:<resource>`,
/// when `text` is an ARN of `service`.
pub(crate) fn arn_parts<'t>(text: &'t str, service: &str) -> Option<(&'t str, &'t str)> {
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    let [arn, partition, named, region, account, resource] = parts[..] else {
        return None;
    };
    (arn == "arn"
        && partition.starts_with("aws")
        && named == service
        && account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit()))
    .then_some((region, resource))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn recognises_intrinsics() {
        assert!(is_intrinsic(&json!({"Ref": "X"})));
        assert!(is_intrinsic(&json!({"Fn::GetAtt": ["X", "Arn"]})));
        assert!(!is_intrinsic(&json!({"name": "X"})));
        assert!(!is_intrinsic(&json!({"Ref": "X", "Other": 1})));
        assert!(!is_intrinsic(&json!("X")));
    }

    #[test]
    fn recognises_iam_arns_in_every_partition() {
        assert!(is_iam_arn(
            "arn:aws:iam::123456789012:role/deployer",
            "role"
        ));
        assert!(is_iam_arn(
            "arn:aws-cn:iam::123456789012:role/path/deployer",
            "role"
        ));
        assert!(is_iam_arn(
            "arn:aws:iam::123456789012:policy/boundary",
            "policy"
        ));
        assert!(!is_iam_arn(
            "arn:aws:iam::123456789012:policy/boundary",
            "role"
        ));
        assert!(!is_iam_arn("arn:aws:iam::1234:role/deployer", "role"));
        assert!(!is_iam_arn("deployer", "role"));
        assert!(!is_iam_arn("arn:aws:iam::123456789012:role/", "role"));
    }
}
