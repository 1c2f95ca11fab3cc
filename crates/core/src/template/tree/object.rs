//! A JSON object of the template: its entries in the order written.

use std::borrow::Cow;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::{Node, NULL};

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
pub(super) const INDEXED_FROM: usize = 16;

impl<'a> Object<'a> {
    pub(crate) const fn new() -> Self {
        Self {
            entries: Vec::new(),
            index: OnceLock::new(),
        }
    }

    pub(super) fn from_entries(entries: Vec<(Cow<'a, str>, Node<'a>)>) -> Self {
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

    /// The value of `key`, set to null first when the object has none.
    pub(super) fn entry_or_null(&mut self, key: &str) -> &mut Node<'a> {
        let at = match self.position(key) {
            Some(at) => at,
            None => {
                self.insert(key.to_owned(), Node::Null);
                self.entries.len() - 1
            }
        };
        &mut self.entries[at].1
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
