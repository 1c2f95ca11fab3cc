//! How YAML nodes become JSON values, the way the Serverless Framework's loader (js-yaml with
//! its CloudFormation schema) reads them: plain scalars typed by the YAML 1.2 core schema, and
//! the CloudFormation short forms (`!Ref`, `!GetAtt`, `!Sub`, ...) turned into intrinsics.

use saphyr_parser::Tag;
use serde_json::{Map, Number, Value};

/// The Framework's short-form tags. `Ref` and `Condition` keep their name as the key; the
/// others become `Fn::<Name>`.
const INTRINSICS: [&str; 17] = [
    "And",
    "Base64",
    "Cidr",
    "Condition",
    "Equals",
    "FindInMap",
    "GetAtt",
    "GetAZs",
    "If",
    "ImportValue",
    "Join",
    "Not",
    "Or",
    "Ref",
    "Select",
    "Split",
    "Sub",
];

const CORE_HANDLE: &str = "tag:yaml.org,2002:";

/// An untagged, unquoted scalar: null, boolean, number, or else a string.
pub(super) fn plain_scalar(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        _ => number(text).unwrap_or_else(|| Value::String(text.to_owned())),
    }
}

/// A tagged scalar. The error is the message to show at the tag.
pub(super) fn tagged_scalar(tag: &Tag, text: &str) -> Result<Value, String> {
    if let Some(name) = intrinsic(tag) {
        return Ok(intrinsic_scalar(name, text));
    }
    if tag.handle == "!" && tag.suffix.is_empty() {
        return Ok(Value::String(text.to_owned()));
    }
    if !tag.is_yaml_core_schema() {
        return Err(unknown(tag));
    }
    let value = match tag.suffix.as_str() {
        "str" | "binary" | "timestamp" => Value::String(text.to_owned()),
        "null" => Value::Null,
        "bool" => typed(text, Value::is_boolean)?,
        "int" => typed(text, |value| value.is_i64() || value.is_u64())?,
        "float" => typed(text, Value::is_number)?,
        _ => return Err(unknown(tag)),
    };
    Ok(value)
}

/// A tagged sequence or mapping, already built.
pub(super) fn tagged_collection(tag: &Tag, value: Value) -> Result<Value, String> {
    if let Some(name) = intrinsic(tag) {
        return Ok(wrap(name, value));
    }
    if tag.handle == "!" && tag.suffix.is_empty() {
        return Ok(value);
    }
    let fits = match (tag.is_yaml_core_schema(), tag.suffix.as_str()) {
        (true, "map" | "set") => value.is_object(),
        (true, "seq" | "omap" | "pairs") => value.is_array(),
        _ => return Err(unknown(tag)),
    };
    if fits {
        Ok(value)
    } else {
        Err(format!("`{}` does not fit this node", display(tag)))
    }
}

fn intrinsic(tag: &Tag) -> Option<&'static str> {
    if tag.handle != "!" {
        return None;
    }
    INTRINSICS.iter().copied().find(|name| *name == tag.suffix)
}

/// `!GetAtt Resource.Attribute` is split at the first dot only: attribute names have dots
/// of their own (`Endpoint.Address`).
fn intrinsic_scalar(name: &str, text: &str) -> Value {
    let data = match (name, text.split_once('.')) {
        ("GetAtt", Some((resource, attribute))) => {
            Value::Array(vec![resource.into(), attribute.into()])
        }
        ("GetAtt", None) => Value::Array(vec![text.into()]),
        _ => Value::String(text.to_owned()),
    };
    wrap(name, data)
}

fn wrap(name: &str, data: Value) -> Value {
    let key = match name {
        "Ref" | "Condition" => name.to_owned(),
        _ => format!("Fn::{name}"),
    };
    Value::Object(Map::from_iter([(key, data)]))
}

fn typed(text: &str, fits: impl Fn(&Value) -> bool) -> Result<Value, String> {
    let value = plain_scalar(text);
    if fits(&value) {
        Ok(value)
    } else {
        Err(format!("`{text}` does not fit its tag"))
    }
}

fn unknown(tag: &Tag) -> String {
    format!("unknown tag `{}`", display(tag))
}

fn display(tag: &Tag) -> String {
    match tag.handle.strip_prefix(CORE_HANDLE) {
        Some(_) => format!("!!{}", tag.suffix),
        None => format!("{}{}", tag.handle, tag.suffix),
    }
}

fn number(text: &str) -> Option<Value> {
    let first = *text.as_bytes().first()?;
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return None;
    }
    integer(text)
        .or_else(|| float(text))
        .or_else(|| non_finite_number(text))
}

/// `.nan`, `.inf`, `-.inf` as js-yaml's core schema reads them. JSON has no such numbers, so
/// they travel as `{"$number": "NaN"}`, as the plugin's JavaScript side sends them too
/// (lib/native.js), and every message names them the same way.
pub(crate) fn non_finite_number(text: &str) -> Option<Value> {
    let (negative, unsigned) = split_sign(text);
    let name = match unsigned {
        ".nan" | ".NaN" | ".NAN" if text == unsigned => "NaN",
        ".inf" | ".Inf" | ".INF" if negative => "-Infinity",
        ".inf" | ".Inf" | ".INF" => "Infinity",
        _ => return None,
    };
    Some(serde_json::json!({ NON_FINITE_KEY: name }))
}

/// The one key of the object that stands for a number JSON cannot hold.
pub(crate) const NON_FINITE_KEY: &str = "$number";

/// Decimal, `0x` hexadecimal or `0o` octal, as the core schema reads them.
fn integer(text: &str) -> Option<Value> {
    let (negative, unsigned) = split_sign(text);
    let (digits, radix) = if let Some(hex) = unsigned.strip_prefix("0x") {
        (hex, 16)
    } else if let Some(octal) = unsigned.strip_prefix("0o") {
        (octal, 8)
    } else {
        (unsigned, 10)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    match i64::from_str_radix(digits, radix) {
        Ok(magnitude) if negative => Some(Value::from(-magnitude)),
        Ok(magnitude) => Some(Value::from(magnitude)),
        // Too large for an integer: JavaScript would read a float too.
        Err(_) if radix == 10 => float(text),
        Err(_) => None,
    }
}

/// `[-+]? ( . digits | digits [ . digits? ] ) ( [eE] [-+]? digits )?`
fn float(text: &str) -> Option<Value> {
    let (_, unsigned) = split_sign(text);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let mantissa_fits = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            digits_only(fraction)
                && (all_digits(whole) || (whole.is_empty() && !fraction.is_empty()))
        }
        None => all_digits(mantissa),
    };
    let exponent_fits = exponent.is_none_or(|exponent| all_digits(split_sign(exponent).1));
    if !(mantissa_fits && exponent_fits) {
        return None;
    }
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map(Value::Number)
}

fn split_sign(text: &str) -> (bool, &str) {
    match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    }
}

/// Non-empty and only ASCII digits.
fn all_digits(text: &str) -> bool {
    !text.is_empty() && digits_only(text)
}

fn digits_only(text: &str) -> bool {
    text.bytes().all(|byte| byte.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tag(handle: &str, suffix: &str) -> Tag {
        Tag {
            handle: handle.to_owned(),
            suffix: suffix.to_owned(),
        }
    }

    #[test]
    fn plain_scalars_follow_the_core_schema() {
        let cases = [
            ("~", json!(null)),
            ("", json!(null)),
            ("True", json!(true)),
            ("false", json!(false)),
            ("5", json!(5)),
            ("-12", json!(-12)),
            ("0x1F", json!(31)),
            ("0o17", json!(15)),
            ("1.5", json!(1.5)),
            (".5", json!(0.5)),
            ("1e3", json!(1000.0)),
            ("99999999999999999999", json!(1e20)),
            ("yes", json!("yes")),
            ("1.2.3", json!("1.2.3")),
            ("-", json!("-")),
            ("1e", json!("1e")),
            (".", json!(".")),
            ("Live", json!("Live")),
        ];
        for (text, expected) in cases {
            assert_eq!(plain_scalar(text), expected, "{text:?}");
        }
    }

    #[test]
    fn short_forms_become_intrinsics() {
        assert_eq!(
            tagged_scalar(&tag("!", "GetAtt"), "Db.Endpoint.Address"),
            Ok(json!({"Fn::GetAtt": ["Db", "Endpoint.Address"]}))
        );
        assert_eq!(
            tagged_scalar(&tag("!", "GetAtt"), "Db"),
            Ok(json!({"Fn::GetAtt": ["Db"]}))
        );
        assert_eq!(
            tagged_scalar(&tag("!", "Condition"), "IsProd"),
            Ok(json!({"Condition": "IsProd"}))
        );
        assert_eq!(
            tagged_collection(&tag("!", "Equals"), json!(["a", "b"])),
            Ok(json!({"Fn::Equals": ["a", "b"]}))
        );
    }

    #[test]
    fn core_tags_type_their_scalars_or_explain() {
        let core = |suffix| tag(CORE_HANDLE, suffix);
        assert_eq!(tagged_scalar(&core("str"), "5"), Ok(json!("5")));
        assert_eq!(tagged_scalar(&core("int"), "5"), Ok(json!(5)));
        assert_eq!(
            tagged_scalar(&core("int"), "five"),
            Err("`five` does not fit its tag".to_owned())
        );
        assert_eq!(
            tagged_scalar(&tag("!", "Foo"), "x"),
            Err("unknown tag `!Foo`".to_owned())
        );
        assert_eq!(
            tagged_collection(&core("seq"), json!({})),
            Err("`!!seq` does not fit this node".to_owned())
        );
    }
}
