//! Where a config path sits in the serverless.yml text, so a diagnostic can be printed as
//! `file:line:col`.

use std::collections::HashMap;
use std::fmt;

/// A position in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    /// Byte offset into the text, for code frames.
    pub offset: usize,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
}

impl fmt::Display for Span {
    /// `line:column`, the middle of `file:line:col`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct NodeSpans {
    value: Span,
    /// Absent for list items and the document root.
    key: Option<Span>,
}

/// Config paths (`functions.hello.deploymentSettings.alarms[0]`) to where they were written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Spans {
    nodes: HashMap<String, NodeSpans>,
}

impl Spans {
    pub(super) fn record(&mut self, path: &str, value: Span, key: Option<Span>) {
        self.nodes.insert(path.to_owned(), NodeSpans { value, key });
    }

    /// Records each node again under the path `rename` gives it, in the order of the `usize`
    /// it gives (a later one replacing an earlier one): the Framework's merge of a list of maps.
    pub(super) fn copy_renamed(&mut self, rename: impl Fn(&str) -> Option<(usize, String)>) {
        let mut renamed: Vec<(usize, String, NodeSpans)> = self
            .nodes
            .iter()
            .filter_map(|(path, node)| rename(path).map(|(order, path)| (order, path, *node)))
            .collect();
        renamed.sort_by_key(|(order, _, _)| *order);
        for (_, path, node) in renamed {
            self.nodes.insert(path, node);
        }
    }

    #[cfg(test)]
    pub(super) fn paths(&self) -> impl Iterator<Item = &str> {
        self.nodes.keys().map(String::as_str)
    }

    pub(super) fn len(&self) -> usize {
        self.nodes.len()
    }

    pub(super) fn any_path(&self, test: impl Fn(&str) -> bool) -> bool {
        self.nodes.keys().any(|path| test(path))
    }

    /// Where the value at `path` starts.
    pub(crate) fn value(&self, path: &str) -> Option<Span> {
        self.nodes.get(path).map(|node| node.value)
    }

    /// Where the key of the mapping entry at `path` starts.
    #[cfg(test)]
    pub(crate) fn key(&self, path: &str) -> Option<Span> {
        self.nodes.get(path).and_then(|node| node.key)
    }

    /// The best place to point at for `path`: its value when it starts on its key's line (a
    /// scalar, a flow collection), its key when the value is a block below it, otherwise the
    /// nearest written ancestor. An ancestor is pointed at by its key, because a diagnostic
    /// about a missing `alias` reads best on the `deploymentSettings:` line that lacks it.
    /// Values copied by an alias or merge key have no spans of their own and land here too.
    pub(crate) fn locate(&self, path: &str) -> Option<Span> {
        if let Some(node) = self.nodes.get(path) {
            return Some(match node.key {
                Some(key) if key.line < node.value.line => key,
                _ => node.value,
            });
        }
        let mut ancestor = parent(path)?;
        loop {
            if let Some(node) = self.nodes.get(ancestor) {
                return Some(node.key.unwrap_or(node.value));
            }
            ancestor = parent(ancestor)?;
        }
    }
}

/// `a.b[0]` -> `a.b` -> `a` -> `` (the root) -> none. Always strictly shorter, so walks end.
pub(super) fn parent(path: &str) -> Option<&str> {
    if path.is_empty() {
        return None;
    }
    if path.ends_with(']') {
        if let Some(open) = path.rfind('[') {
            return Some(&path[..open]);
        }
    }
    Some(path.rfind('.').map_or("", |dot| &path[..dot]))
}

/// Turns a parser position (character index, line, 0-based column) into a [`Span`] with a byte
/// offset. Positions arrive mostly in order, so a forward cursor keeps the whole pass linear.
pub(super) struct Positions<'t> {
    text: &'t str,
    ascii: bool,
    char_index: usize,
    byte_offset: usize,
}

impl<'t> Positions<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        Positions {
            text,
            ascii: text.is_ascii(),
            char_index: 0,
            byte_offset: 0,
        }
    }

    pub(super) fn span(&mut self, char_index: usize, line: usize, column0: usize) -> Span {
        Span {
            offset: self.byte_offset_of(char_index),
            line,
            column: column0 + 1,
        }
    }

    fn byte_offset_of(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        if char_index < self.char_index {
            self.char_index = 0;
            self.byte_offset = 0;
        }
        let rest = &self.text[self.byte_offset..];
        for (offset, _) in rest.char_indices() {
            if self.char_index == char_index {
                self.byte_offset += offset;
                return self.byte_offset;
            }
            self.char_index += 1;
        }
        // Past the last character: the end of the text.
        self.byte_offset = self.text.len();
        self.byte_offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: usize, column: usize) -> Span {
        Span {
            offset: 0,
            line,
            column,
        }
    }

    #[test]
    fn parents_strip_one_segment_at_a_time() {
        assert_eq!(parent("a.b[0].c"), Some("a.b[0]"));
        assert_eq!(parent("a.b[0]"), Some("a.b"));
        assert_eq!(parent("a"), Some(""));
        assert_eq!(parent(""), None);
        assert_eq!(parent("odd]"), Some(""));
    }

    #[test]
    fn locate_prefers_the_value_then_the_nearest_ancestor_key() {
        let mut spans = Spans::default();
        spans.record("", at(1, 1), None);
        spans.record("functions", at(2, 1), Some(at(1, 1)));
        spans.record("functions.hello", at(3, 5), Some(at(3, 3)));
        assert_eq!(spans.locate("functions.hello"), Some(at(3, 5)));
        assert_eq!(spans.locate("functions.hello.x.y[2]"), Some(at(3, 3)));
        assert_eq!(spans.locate("custom"), Some(at(1, 1)));
        assert_eq!(Spans::default().locate("custom"), None);
    }

    #[test]
    fn offsets_count_bytes_while_columns_count_characters() {
        let text = "é: ü\nb: c";
        let mut positions = Positions::new(text);
        assert_eq!(positions.span(3, 1, 3).offset, 4);
        assert_eq!(positions.span(5, 2, 0).offset, 7);
        // Going back restarts the cursor instead of giving a wrong offset.
        assert_eq!(positions.span(1, 1, 1).offset, 2);
        assert_eq!(positions.span(99, 9, 0).offset, text.len());
    }
}
