//! Small facts about resolved JSON values that validation words its messages with.

use serde_json::Value;

/// How a value reads in a message: "found a list".
pub(super) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
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
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    let [arn, partition, service, region, account, resource] = parts[..] else {
        return false;
    };
    arn == "arn"
        && partition.starts_with("aws")
        && service == "iam"
        && region.is_empty()
        && account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && resource
            .strip_prefix(resource_kind)
            .and_then(|rest| rest.strip_prefix('/'))
            .is_some_and(|name| !name.is_empty())
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
