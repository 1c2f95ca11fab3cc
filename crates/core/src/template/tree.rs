//! The compiled template as the plan reads it: a JSON tree whose strings are borrowed from the
//! text the plugin sent wherever JSON did not escape them, and whose objects are lists of
//! entries. serde_json's `Value` allocates every key and string and gives every object its own
//! hash table, which made the template eleven times its JSON in memory (20 MB at 800 functions)
//! and most of the package hook's time the kernel handing out fresh pages. The plan reads most
//! of the template and changes a little of it: resources it rewires are copied here (their
//! strings stay borrowed), resources it creates are built as `serde_json::Value` and taken in.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Number;

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

impl From<serde_json::Value> for Node<'static> {
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
        let Node::Object(object) = self else {
            unreachable!("made an object above")
        };
        if !object.contains_key(key) {
            object.insert(key.to_owned(), Node::Null);
        }
        let at = object.position(key).unwrap_or(0);
        &mut object.entries[at].1
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

/// A JSON object: its entries in the order written. Lookups walk the entries, which is
/// quicker than hashing for the few keys a template object has; an object of many entries
/// (the template's `Resources`) builds a hash index on its first lookup.
#[derive(Clone, Debug, Default)]
pub(crate) struct Object<'a> {
    entries: Vec<(Cow<'a, str>, Node<'a>)>,
    /// Key -> position, for objects past [`INDEXED_FROM`] entries: kept up by `insert`, reset
    /// by a removal.
    index: OnceLock<Box<FxHashMap<String, usize>>>,
}

/// An object of no entries, for a template without `Resources`.
pub(crate) static EMPTY_OBJECT: Object<'static> = Object::new();

/// Objects of more entries than this are looked up through a hash index.
const INDEXED_FROM: usize = 16;

impl<'a> Object<'a> {
    pub(crate) const fn new() -> Self {
        Self {
            entries: Vec::new(),
            index: OnceLock::new(),
        }
    }

    fn from_entries(entries: Vec<(Cow<'a, str>, Node<'a>)>) -> Self {
        Self {
            entries,
            index: OnceLock::new(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// A serde_json map of the same entries.
    #[cfg(test)]
    pub(crate) fn to_map(&self) -> serde_json::Map<String, serde_json::Value> {
        self.iter()
            .map(|(key, value)| (key.to_owned(), value.to_value()))
            .collect()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn position(&self, key: &str) -> Option<usize> {
        if self.entries.len() <= INDEXED_FROM {
            return self.entries.iter().position(|(k, _)| k == key);
        }
        let index = self.index.get_or_init(|| {
            let mut index = FxHashMap::default();
            for (at, (k, _)) in self.entries.iter().enumerate() {
                index.insert(k.to_string(), at);
            }
            Box::new(index)
        });
        index.get(key).copied()
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Node<'a>> {
        self.position(key).map(|at| &self.entries[at].1)
    }

    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut Node<'a>> {
        self.position(key).map(|at| &mut self.entries[at].1)
    }

    pub(crate) fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Sets `key`, in its place when it is there, last otherwise; the value it had.
    pub(crate) fn insert(
        &mut self,
        key: impl Into<Cow<'a, str>>,
        value: Node<'a>,
    ) -> Option<Node<'a>> {
        let key = key.into();
        if let Some(at) = self.position(&key) {
            return Some(std::mem::replace(&mut self.entries[at].1, value));
        }
        if let Some(index) = self.index.get_mut() {
            index.insert(key.to_string(), self.entries.len());
        }
        self.entries.push((key, value));
        None
    }

    /// Removes `key`, keeping the order of the others; the value it had.
    pub(crate) fn shift_remove(&mut self, key: &str) -> Option<Node<'a>> {
        let at = self.position(key)?;
        self.index.take();
        Some(self.entries.remove(at).1)
    }

    pub(crate) fn iter(&self) -> <&Object<'a> as IntoIterator>::IntoIter {
        self.into_iter()
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.entries.iter().map(|(key, _)| key.as_ref())
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = &Node<'a>> + '_ {
        self.entries.iter().map(|(_, value)| value)
    }

    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut Node<'a>> + '_ {
        self.entries.iter_mut().map(|(_, value)| value)
    }
}

impl<'a> std::ops::Index<&str> for Object<'a> {
    type Output = Node<'a>;

    fn index(&self, key: &str) -> &Node<'a> {
        self.get(key).unwrap_or(&NULL)
    }
}

impl PartialEq for Object<'_> {
    /// As serde_json's maps: the same keys with equal values, in any order.
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .all(|(key, value)| other.get(key) == Some(value))
    }
}

/// An entry as iterated: the key as text.
type EntryRef<'o, 'a> = (&'o str, &'o Node<'a>);

impl<'a> IntoIterator for Object<'a> {
    type Item = (Cow<'a, str>, Node<'a>);
    type IntoIter = std::vec::IntoIter<(Cow<'a, str>, Node<'a>)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'o, 'a> IntoIterator for &'o Object<'a> {
    type Item = EntryRef<'o, 'a>;
    type IntoIter = std::iter::Map<
        std::slice::Iter<'o, (Cow<'a, str>, Node<'a>)>,
        fn(&'o (Cow<'a, str>, Node<'a>)) -> EntryRef<'o, 'a>,
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.entries
            .iter()
            .map(|(key, value)| (key.as_ref(), value))
    }
}

impl<'a, K: Into<Cow<'a, str>>> FromIterator<(K, Node<'a>)> for Object<'a> {
    fn from_iter<I: IntoIterator<Item = (K, Node<'a>)>>(entries: I) -> Self {
        let mut object = Object::new();
        for (key, value) in entries {
            object.insert(key, value);
        }
        object
    }
}

impl<'a, K: Into<Cow<'a, str>>> Extend<(K, Node<'a>)> for Object<'a> {
    fn extend<I: IntoIterator<Item = (K, Node<'a>)>>(&mut self, entries: I) {
        for (key, value) in entries {
            self.insert(key, value);
        }
    }
}

/// `json!` for a template in tests: the same JSON as a [`Node`].
#[cfg(test)]
macro_rules! node {
    ($($json:tt)+) => {
        $crate::template::tree::Node::from(serde_json::json!($($json)+))
    };
}
#[cfg(test)]
pub(crate) use node;

impl<'de: 'a, 'a> Deserialize<'de> for Node<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }

    fn visit_none<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }

    fn visit_bool<E>(self, flag: bool) -> Result<Node<'de>, E> {
        Ok(Node::Bool(flag))
    }

    fn visit_i64<E>(self, number: i64) -> Result<Node<'de>, E> {
        Ok(Node::Number(number.into()))
    }

    fn visit_u64<E>(self, number: u64) -> Result<Node<'de>, E> {
        Ok(Node::Number(number.into()))
    }

    fn visit_f64<E>(self, number: f64) -> Result<Node<'de>, E> {
        Ok(Number::from_f64(number).map_or(Node::Null, Node::Number))
    }

    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Node<'de>, E> {
        Ok(Node::String(Cow::Borrowed(text)))
    }

    fn visit_str<E>(self, text: &str) -> Result<Node<'de>, E> {
        Ok(Node::String(Cow::Owned(text.to_owned())))
    }

    fn visit_string<E>(self, text: String) -> Result<Node<'de>, E> {
        Ok(Node::String(Cow::Owned(text)))
    }

    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Node<'de>, S::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        items.shrink_to_fit();
        Ok(Node::Array(items))
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Node<'de>, M::Error> {
        let mut entries = Vec::new();
        while let Some((Key(key), value)) = map.next_entry::<Key<'de>, Node<'de>>()? {
            entries.push((key, value));
        }
        // Exactly as long as read: most template objects hold one or two entries.
        entries.shrink_to_fit();
        Ok(Node::Object(Object::from_entries(without_repeats(entries))))
    }
}

/// JSON lets a key repeat, though JSON.stringify never writes one twice: as serde_json reads
/// it, the key keeps its first place and takes its last value.
fn without_repeats<'a>(
    mut entries: Vec<(Cow<'a, str>, Node<'a>)>,
) -> Vec<(Cow<'a, str>, Node<'a>)> {
    let repeats = if entries.len() <= INDEXED_FROM {
        (1..entries.len()).any(|at| entries[..at].iter().any(|(k, _)| *k == entries[at].0))
    } else {
        let mut seen = rustc_hash::FxHashSet::default();
        !entries.iter().all(|(key, _)| seen.insert(key.as_ref()))
    };
    if !repeats {
        return entries;
    }
    let mut kept: Vec<(Cow<'a, str>, Node<'a>)> = Vec::with_capacity(entries.len());
    let mut at: FxHashMap<String, usize> = FxHashMap::default();
    for (key, value) in entries.drain(..) {
        match at.get(key.as_ref()) {
            Some(&first) => kept[first].1 = value,
            None => {
                at.insert(key.to_string(), kept.len());
                kept.push((key, value));
            }
        }
    }
    kept
}

/// An object key, borrowed from the text unless JSON escaped it.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }

            fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(text)))
            }

            fn visit_str<E>(self, text: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(text.to_owned())))
            }

            fn visit_string<E>(self, text: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(text)))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

impl Serialize for Node<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => serializer.serialize_unit(),
            Node::Bool(flag) => serializer.serialize_bool(*flag),
            Node::Number(number) => number.serialize(serializer),
            Node::String(text) => serializer.serialize_str(text),
            Node::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Object(object) => object.serialize(serializer),
        }
    }
}

impl Serialize for Object<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (key, value) in self.iter() {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_and_writes_json_as_serde_json_does() {
        let text = r#"{"Resources":{"A":{"Type":"T","Properties":{"N":1.5,"L":[true,null,"x\"y"],"E":{}}}},"U":"\u00e9"}"#;
        let tree: Node = serde_json::from_str(text).unwrap();
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&tree).unwrap(), value.to_string());
        assert_eq!(tree.to_value(), value);
        assert!(tree == value);
        assert_eq!(tree["Resources"]["A"]["Properties"]["L"][2], "x\"y");
        assert!(tree["Missing"]["Deeper"].is_null());
    }

    #[test]
    fn a_node_is_small_as_most_of_the_template_is_nodes() {
        assert!(
            std::mem::size_of::<Node>() <= 48,
            "{}",
            std::mem::size_of::<Node>()
        );
    }

    #[test]
    fn borrows_strings_json_did_not_escape() {
        let text = r#"{"plain":"text","escaped":"a\nb"}"#;
        let tree: Node = serde_json::from_str(text).unwrap();
        assert!(matches!(
            &tree["plain"],
            Node::String(Cow::Borrowed("text"))
        ));
        assert!(matches!(&tree["escaped"], Node::String(Cow::Owned(_))));
    }

    #[test]
    fn a_large_object_finds_its_keys_through_its_index_and_after_changes() {
        let mut object: Object = (0..40)
            .map(|i| (format!("R{i}"), Node::from(json!(i))))
            .collect();
        assert_eq!(object.get("R33").and_then(Node::as_u64), Some(33));
        object.insert("R33", Node::from(json!("new")));
        assert_eq!(object.get("R33").and_then(Node::as_str), Some("new"));
        assert_eq!(object.len(), 40);
        object.insert("Last", Node::Null);
        assert_eq!(object.keys().last(), Some("Last"));
        assert!(object.shift_remove("R0").is_some());
        assert!(!object.contains_key("R0"));
        assert_eq!(object.get("R39").and_then(Node::as_u64), Some(39));
        assert_eq!(object.keys().next(), Some("R1"));
    }

    #[test]
    fn a_repeated_key_reads_as_its_last_value_as_in_serde_json() {
        let text: String = format!(
            "{{{}\"K\":1,\"K\":2}}",
            (0..20)
                .map(|i| format!("\"R{i}\":{i},"))
                .collect::<String>()
        );
        let tree: Node = serde_json::from_str(&text).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(tree["K"].as_u64(), value["K"].as_u64());
        assert_eq!(tree.as_object().map(Object::len), Some(21));
        let small: Node = serde_json::from_str(r#"{"K":1,"J":0,"K":2}"#).unwrap();
        assert_eq!(small["K"].as_u64(), Some(2));
        assert_eq!(
            small.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["K", "J"]
        );
    }
}
