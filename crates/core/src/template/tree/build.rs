//! `node!`: a [`Node`] written as JSON, as `serde_json::json!` writes a `Value`, but built
//! directly. The resources the plan creates were built as `Value`s and taken in: each of their
//! keys hashed into a map, each interpolated `Value` copied once more through its `Serialize`,
//! and the whole converted again: a seventh of the addon's work at 60 http functions (counted
//! in instructions, with callgrind).

use std::borrow::Cow;

use serde_json::Number;

use super::{Node, Object};

/// A [`Node`] from JSON syntax: `null`, `[...]`, `{"key": ...}` (a key is one token: a string
/// literal, or an expression in parentheses), and any expression with a `From` conversion
/// into a `Node`.
macro_rules! node {
    // A list's items, one at a time up to the next comma.
    (@items [$($done:expr,)*]) => { vec![$($done,)*] };
    (@items [$($done:expr,)*] null $(, $($rest:tt)*)?) => {
        $crate::template::tree::node!(@items [$($done,)* $crate::template::tree::node!(null),] $($($rest)*)?)
    };
    (@items [$($done:expr,)*] [$($item:tt)*] $(, $($rest:tt)*)?) => {
        $crate::template::tree::node!(@items [$($done,)* $crate::template::tree::node!([$($item)*]),] $($($rest)*)?)
    };
    (@items [$($done:expr,)*] {$($item:tt)*} $(, $($rest:tt)*)?) => {
        $crate::template::tree::node!(@items [$($done,)* $crate::template::tree::node!({$($item)*}),] $($($rest)*)?)
    };
    (@items [$($done:expr,)*] $item:expr $(, $($rest:tt)*)?) => {
        $crate::template::tree::node!(@items [$($done,)* $crate::template::tree::node!($item),] $($($rest)*)?)
    };

    // An object's entries, the same way.
    (@entries [$($done:expr,)*]) => { vec![$($done,)*] };
    (@entries [$($done:expr,)*] $key:tt : null $(, $($rest:tt)*)?) => {
        $crate::template::tree::node!(@entries [$($done,)* ($crate::template::tree::key($key), $crate::template::tree::node!(null)),] $($($rest)*)?)
    };
    (@entries [$($done:expr,)*] $key:tt : [$($value:tt)*] $(, $($rest:tt)*)?) => {
        $crate::template::tree::node!(@entries [$($done,)* ($crate::template::tree::key($key), $crate::template::tree::node!([$($value)*])),] $($($rest)*)?)
    };
    (@entries [$($done:expr,)*] $key:tt : {$($value:tt)*} $(, $($rest:tt)*)?) => {
        $crate::template::tree::node!(@entries [$($done,)* ($crate::template::tree::key($key), $crate::template::tree::node!({$($value)*})),] $($($rest)*)?)
    };
    (@entries [$($done:expr,)*] $key:tt : $value:expr $(, $($rest:tt)*)?) => {
        $crate::template::tree::node!(@entries [$($done,)* ($crate::template::tree::key($key), $crate::template::tree::node!($value)),] $($($rest)*)?)
    };

    // What a caller writes.
    (null) => { $crate::template::tree::Node::Null };
    ([ $($items:tt)* ]) => {
        $crate::template::tree::Node::Array($crate::template::tree::node!(@items [] $($items)*))
    };
    ({ $($entries:tt)* }) => {
        $crate::template::tree::Node::Object($crate::template::tree::object(
            $crate::template::tree::node!(@entries [] $($entries)*)
        ))
    };
    ($value:expr) => { $crate::template::tree::Node::from($value) };
}
pub(crate) use node;

/// An object's key in [`node!`]: a `&'static str` is borrowed, a `String` taken.
pub(crate) fn key(key: impl Into<Cow<'static, str>>) -> Cow<'static, str> {
    key.into()
}

/// An object of [`node!`]'s entries. A key written twice is a mistake in the code: `json!`
/// would keep the last value, the tree would keep both.
pub(crate) fn object<'a>(entries: Vec<(Cow<'a, str>, Node<'a>)>) -> Object<'a> {
    debug_assert!(
        entries
            .iter()
            .enumerate()
            .all(|(i, (key, _))| entries[..i].iter().all(|(before, _)| before != key)),
        "node! writes a key twice"
    );
    Object::from_entries(entries)
}

impl<'a> From<&str> for Node<'a> {
    fn from(text: &str) -> Self {
        Node::String(Cow::Owned(text.to_owned()))
    }
}

impl<'a> From<String> for Node<'a> {
    fn from(text: String) -> Self {
        Node::String(Cow::Owned(text))
    }
}

impl<'a> From<&String> for Node<'a> {
    fn from(text: &String) -> Self {
        Node::from(text.as_str())
    }
}

impl<'a> From<bool> for Node<'a> {
    fn from(flag: bool) -> Self {
        Node::Bool(flag)
    }
}

macro_rules! from_number {
    ($($number:ty),*) => {$(
        impl<'a> From<$number> for Node<'a> {
            fn from(number: $number) -> Self {
                Node::Number(Number::from(number))
            }
        }
    )*};
}
from_number!(u32, u64, i32, i64);

impl<'a> From<f64> for Node<'a> {
    /// As serde_json: a number JSON cannot hold (NaN, infinities) is null.
    fn from(number: f64) -> Self {
        Number::from_f64(number).map_or(Node::Null, Node::Number)
    }
}

impl<'a, T: Into<Node<'a>>> From<Option<T>> for Node<'a> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Node::Null, Into::into)
    }
}

impl<'a, T: Into<Node<'a>>> From<Vec<T>> for Node<'a> {
    fn from(items: Vec<T>) -> Self {
        Node::Array(items.into_iter().map(Into::into).collect())
    }
}

impl<'a, T: Clone + Into<Node<'a>>> From<&[T]> for Node<'a> {
    fn from(items: &[T]) -> Self {
        Node::Array(items.iter().cloned().map(Into::into).collect())
    }
}

impl<'a> From<Object<'a>> for Node<'a> {
    fn from(object: Object<'a>) -> Self {
        Node::Object(object)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn builds_what_json_builds() {
        let id = "HelloLambdaFunction".to_string();
        let events: &[&str] = &["DEPLOYMENT_FAILURE"];
        let missing: Option<u32> = None;
        let built = node!({
            "Ref": &id,
            "List": [null, true, -2, 2.5, [], {}, [id.clone(), "x"], { "Nested": [1u64] }],
            (format!("{id}Key")): { "Events": events, "None": missing, "Some": Some(3) },
            "Given": json!({ "Fn::GetAtt": ["A", "Arn"] }),
        });
        let expected = json!({
            "Ref": "HelloLambdaFunction",
            "List": [null, true, -2, 2.5, [], {}, ["HelloLambdaFunction", "x"], { "Nested": [1] }],
            "HelloLambdaFunctionKey": { "Events": ["DEPLOYMENT_FAILURE"], "None": null, "Some": 3 },
            "Given": { "Fn::GetAtt": ["A", "Arn"] },
        });
        assert_eq!(built.to_string(), expected.to_string());
        assert_eq!(node!(f64::NAN), Node::Null);
    }

    #[test]
    #[should_panic(expected = "node! writes a key twice")]
    fn a_key_written_twice_is_refused() {
        let key = "Ref".to_owned();
        let _ = node!({ "Ref": 1, (key): 2 });
    }
}
