//! The compiled template as the plan reads it: a JSON tree whose strings are borrowed from the
//! text the plugin sent wherever JSON did not escape them, and whose objects are lists of
//! entries. serde_json's `Value` allocates every key and string and gives every object its own
//! hash table, which made the template eleven times its JSON in memory (22 MB at 800 functions)
//! and most of the package hook's time the kernel handing out fresh pages. The plan reads most
//! of the template and changes a little of it: resources it rewires are copied here (their
//! strings stay borrowed), resources it creates are built with `node!` (the alias and group every
//! canaried function gets) or as `serde_json::Value` and taken in.

mod build;
mod object;
mod serde_io;

use std::borrow::Cow;
use std::fmt;

use serde_json::Number;

pub(crate) use build::{key, node, object};
pub(crate) use object::{Object, EMPTY_OBJECT};

/// A JSON value of the template.
#[derive(Clone, Debug, Default)]
pub(crate) enum Node<'a> {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'a, str>),
    Array(Vec<Node<'a>>),
    Object(Object<'a>),
}

/// What indexing a missing key or item gives, as with serde_json.
static NULL: Node<'static> = Node::Null;

impl<'a> Node<'a> {
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Node::String(text) => Some(text),
            _ => None,
        }
    }

    pub(crate) fn as_object(&self) -> Option<&Object<'a>> {
        match self {
            Node::Object(object) => Some(object),
            _ => None,
        }
    }

    pub(crate) fn as_object_mut(&mut self) -> Option<&mut Object<'a>> {
        match self {
            Node::Object(object) => Some(object),
            _ => None,
        }
    }

    /// A CloudFormation intrinsic function, `{"Ref": ...}` or `{"Fn::...": ...}`: one value to
    /// CloudFormation, whatever it holds.
    pub(crate) fn is_intrinsic(&self) -> bool {
        let Some(object) = self.as_object() else {
            return false;
        };
        let mut keys = object.keys();
        match (keys.next(), keys.next()) {
            (Some(key), None) => key == "Ref" || key.starts_with("Fn::"),
            _ => false,
        }
    }

    pub(crate) fn as_array(&self) -> Option<&Vec<Node<'a>>> {
        match self {
            Node::Array(items) => Some(items),
            _ => None,
        }
    }

    pub(crate) fn as_array_mut(&mut self) -> Option<&mut Vec<Node<'a>>> {
        match self {
            Node::Array(items) => Some(items),
            _ => None,
        }
    }

    #[cfg(test)]
    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            Node::Number(number) => number.as_f64(),
            _ => None,
        }
    }

    #[cfg(test)]
    pub(crate) fn as_u64(&self) -> Option<u64> {
        match self {
            Node::Number(number) => number.as_u64(),
            _ => None,
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(self, Node::Null)
    }

    pub(crate) fn is_object(&self) -> bool {
        matches!(self, Node::Object(_))
    }

    /// An object's entry by key, or a list's item by position, when there is one.
    pub(crate) fn get<K: Lookup>(&self, key: K) -> Option<&Node<'a>> {
        key.find(self)
    }

    pub(crate) fn get_mut<K: Lookup>(&mut self, key: K) -> Option<&mut Node<'a>> {
        key.find_mut(self)
    }

    /// Takes the value out, leaving null.
    pub(crate) fn take(&mut self) -> Node<'a> {
        std::mem::take(self)
    }

    /// A serde_json value of the same JSON.
    pub(crate) fn to_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Node::Null => Value::Null,
            Node::Bool(flag) => Value::Bool(*flag),
            Node::Number(number) => Value::Number(number.clone()),
            Node::String(text) => Value::String(text.to_string()),
            Node::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            Node::Object(object) => Value::Object(
                object
                    .iter()
                    .map(|(key, value)| (key.to_owned(), value.to_value()))
                    .collect(),
            ),
        }
    }

    /// A tree over `value`, borrowing its strings.
    pub(crate) fn borrowed(value: &'a serde_json::Value) -> Self {
        use serde_json::Value;
        match value {
            Value::Null => Node::Null,
            Value::Bool(flag) => Node::Bool(*flag),
            Value::Number(number) => Node::Number(number.clone()),
            Value::String(text) => Node::String(Cow::Borrowed(text)),
            Value::Array(items) => Node::Array(items.iter().map(Node::borrowed).collect()),
            Value::Object(map) => Node::Object(Object::from_entries(
                map.iter()
                    .map(|(key, value)| (Cow::Borrowed(key.as_str()), Node::borrowed(value)))
                    .collect(),
            )),
        }
    }
}

/// What [`Node::get`] takes: a key of an object, or a position in a list.
pub(crate) trait Lookup {
    fn find<'n, 'a>(&self, node: &'n Node<'a>) -> Option<&'n Node<'a>>;
    fn find_mut<'n, 'a>(&self, node: &'n mut Node<'a>) -> Option<&'n mut Node<'a>>;
}

impl Lookup for str {
    fn find<'n, 'a>(&self, node: &'n Node<'a>) -> Option<&'n Node<'a>> {
        node.as_object()?.get(self)
    }

    fn find_mut<'n, 'a>(&self, node: &'n mut Node<'a>) -> Option<&'n mut Node<'a>> {
        node.as_object_mut()?.get_mut(self)
    }
}

impl Lookup for usize {
    fn find<'n, 'a>(&self, node: &'n Node<'a>) -> Option<&'n Node<'a>> {
        node.as_array()?.get(*self)
    }

    fn find_mut<'n, 'a>(&self, node: &'n mut Node<'a>) -> Option<&'n mut Node<'a>> {
        node.as_array_mut()?.get_mut(*self)
    }
}

impl<T: Lookup + ?Sized> Lookup for &T {
    fn find<'n, 'a>(&self, node: &'n Node<'a>) -> Option<&'n Node<'a>> {
        (**self).find(node)
    }

    fn find_mut<'n, 'a>(&self, node: &'n mut Node<'a>) -> Option<&'n mut Node<'a>> {
        (**self).find_mut(node)
    }
}

impl Lookup for String {
    fn find<'n, 'a>(&self, node: &'n Node<'a>) -> Option<&'n Node<'a>> {
        Lookup::find(self.as_str(), node)
    }

    fn find_mut<'n, 'a>(&self, node: &'n mut Node<'a>) -> Option<&'n mut Node<'a>> {
        Lookup::find_mut(self.as_str(), node)
    }
}

impl<'a> From<serde_json::Value> for Node<'a> {
    /// Takes in a value the plan built, without copying its strings.
    fn from(value: serde_json::Value) -> Self {
        use serde_json::Value;
        match value {
            Value::Null => Node::Null,
            Value::Bool(flag) => Node::Bool(flag),
            Value::Number(number) => Node::Number(number),
            Value::String(text) => Node::String(Cow::Owned(text)),
            Value::Array(items) => Node::Array(items.into_iter().map(Node::from).collect()),
            Value::Object(map) => Node::Object(Object::from_entries(
                map.into_iter()
                    .map(|(key, value)| (Cow::Owned(key), Node::from(value)))
                    .collect(),
            )),
        }
    }
}

impl<'a> std::ops::Index<&str> for Node<'a> {
    type Output = Node<'a>;

    fn index(&self, key: &str) -> &Node<'a> {
        self.get(key).unwrap_or(&NULL)
    }
}

impl<'a> std::ops::IndexMut<&str> for Node<'a> {
    /// As serde_json: null becomes an object, and a missing key is added as null. Anything
    /// else is replaced by an object, where serde_json would panic.
    fn index_mut(&mut self, key: &str) -> &mut Node<'a> {
        if !self.is_object() {
            *self = Node::Object(Object::new());
        }
        match self {
            Node::Object(object) => object.entry_or_null(key),
            _ => unreachable!("made an object above"),
        }
    }
}

impl<'a> std::ops::Index<usize> for Node<'a> {
    type Output = Node<'a>;

    fn index(&self, at: usize) -> &Node<'a> {
        self.as_array()
            .and_then(|items| items.get(at))
            .unwrap_or(&NULL)
    }
}

impl PartialEq for Node<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Node::Null, Node::Null) => true,
            (Node::Bool(a), Node::Bool(b)) => a == b,
            (Node::Number(a), Node::Number(b)) => a == b,
            (Node::String(a), Node::String(b)) => a == b,
            (Node::Array(a), Node::Array(b)) => a == b,
            (Node::Object(a), Node::Object(b)) => a == b,
            _ => false,
        }
    }
}

impl PartialEq<str> for Node<'_> {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for Node<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl PartialEq<bool> for Node<'_> {
    fn eq(&self, other: &bool) -> bool {
        matches!(self, Node::Bool(flag) if flag == other)
    }
}

impl PartialEq<String> for Node<'_> {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == Some(other.as_str())
    }
}

impl PartialEq<serde_json::Value> for Node<'_> {
    fn eq(&self, other: &serde_json::Value) -> bool {
        *self == Node::borrowed(other)
    }
}

impl PartialEq<Node<'_>> for serde_json::Value {
    fn eq(&self, other: &Node<'_>) -> bool {
        other == self
    }
}

impl fmt::Display for Node<'_> {
    /// Compact JSON, as serde_json writes a value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_string(self).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

#[cfg(test)]
mod tests;
