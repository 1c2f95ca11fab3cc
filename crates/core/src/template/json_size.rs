//! The bytes of a JSON value as serde_json writes it (compact, or pretty with two-space
//! indents as the Framework writes the template), counted from the value without writing it:
//! escaping each string into a writer that only counts cost as much as the rest of the plan's
//! checks of the template together. Counting stops past a limit.

use std::fmt;

use serde_json::Number;

use super::tree::Node;

/// Counting went past the limit.
pub(crate) struct PastLimit;

pub(crate) struct JsonSize {
    pretty: bool,
    limit: usize,
    written: usize,
}

impl JsonSize {
    pub(crate) fn new(minified: bool, limit: usize) -> Self {
        Self {
            pretty: !minified,
            limit,
            written: 0,
        }
    }

    pub(crate) fn written(&self) -> usize {
        self.written
    }

    /// Adds `value`, written `depth` levels deep.
    pub(crate) fn value(&mut self, value: &Node, depth: usize) -> Result<(), PastLimit> {
        match value {
            Node::Null | Node::Bool(true) => self.add(4),
            Node::Bool(false) => self.add(5),
            Node::Number(number) => self.add(number_len(number)),
            Node::String(text) => self.string(text),
            Node::Array(items) => self.list(items, depth),
            Node::Object(map) => {
                let entries = map.iter();
                self.object(entries, depth, |size, _, value, depth| {
                    size.value(value, depth)
                })
            }
        }
    }

    /// Adds an object of `entries`, each value added by `value(self, key, value, depth)`.
    pub(crate) fn object<'k, V>(
        &mut self,
        entries: impl IntoIterator<Item = (&'k str, V)>,
        depth: usize,
        mut value: impl FnMut(&mut Self, &'k str, V, usize) -> Result<(), PastLimit>,
    ) -> Result<(), PastLimit> {
        self.add(1)?;
        let mut first = true;
        for (key, item) in entries {
            self.separator(first, depth + 1)?;
            first = false;
            self.string(key)?;
            // `: ` pretty, `:` compact
            self.add(1 + usize::from(self.pretty))?;
            value(self, key, item, depth + 1)?;
        }
        self.close(first, depth)
    }

    fn list(&mut self, items: &[Node], depth: usize) -> Result<(), PastLimit> {
        self.add(1)?;
        for (i, item) in items.iter().enumerate() {
            self.separator(i == 0, depth + 1)?;
            self.value(item, depth + 1)?;
        }
        self.close(items.is_empty(), depth)
    }

    /// Before an item: a comma unless it is the first, and pretty, a line break and indent.
    fn separator(&mut self, first: bool, depth: usize) -> Result<(), PastLimit> {
        let comma = usize::from(!first);
        match self.pretty {
            true => self.add(comma + 1 + 2 * depth),
            false => self.add(comma),
        }
    }

    /// The closing bracket; pretty, on a line of its own unless the collection was empty.
    fn close(&mut self, empty: bool, depth: usize) -> Result<(), PastLimit> {
        match self.pretty && !empty {
            true => self.add(1 + 2 * depth + 1),
            false => self.add(1),
        }
    }

    /// Quoted, with serde_json's escapes: `\"`, `\\`, the short ones for `\b \t \n \f \r`,
    /// and `\u00XX` for the other control characters.
    fn string(&mut self, text: &str) -> Result<(), PastLimit> {
        // A branchless count first, which the compiler vectorises: almost no string of a
        // template has a byte to escape, so the escapes' lengths are summed only when it does.
        let escaped = text.bytes().filter(|&byte| needs_escape(byte)).count();
        let escapes: usize = if escaped == 0 {
            0
        } else {
            text.bytes()
                .filter(|&byte| needs_escape(byte))
                .map(escape_len)
                .sum()
        };
        self.add(2 + text.len() + escapes)
    }

    fn add(&mut self, bytes: usize) -> Result<(), PastLimit> {
        self.written += bytes;
        match self.written > self.limit {
            true => Err(PastLimit),
            false => Ok(()),
        }
    }
}

fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// The bytes an escaped byte adds: one for a backslash, or five for `u00XX`.
fn escape_len(byte: u8) -> usize {
    match byte {
        b'"' | b'\\' | 0x08 | b'\t' | b'\n' | 0x0C | b'\r' => 1,
        _ => 5,
    }
}

/// A number's JSON is its `Display` (serde_json writes both with the same formatters).
fn number_len(number: &Number) -> usize {
    struct Count(usize);
    impl fmt::Write for Count {
        fn write_str(&mut self, text: &str) -> fmt::Result {
            self.0 += text.len();
            Ok(())
        }
    }
    let mut count = Count(0);
    // Writing to a counter cannot fail.
    let _ = fmt::Write::write_fmt(&mut count, format_args!("{number}"));
    count.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::tree::node;

    fn counted(value: &Node, minified: bool) -> usize {
        let mut size = JsonSize::new(minified, usize::MAX);
        assert!(size.value(value, 0).is_ok());
        size.written()
    }

    #[test]
    fn counts_what_serde_json_writes_compact_and_pretty() {
        let values = [
            node!(null),
            node!({}),
            node!([]),
            node!({"a": [], "b": {}, "c": [[]], "d": [{}]}),
            node!({"Resources": {"A": {"Type": "T", "Properties": {"N": [1, -2, 2.5, 1e300, 0.1, true, false, null]}}}}),
            node!(["quote \" backslash \\ tab \t line \n cr \r bell \u{7} nul \u{0} ff \u{c} bs \u{8} del \u{7f}"]),
            node!({"é \u{2028} 😀": "ünïcödé", "": ""}),
            node!([[[[{"deep": [1, [2, [3]]]}]]]]),
            node!(u64::MAX),
            node!(i64::MIN),
        ];
        for value in &values {
            assert_eq!(
                counted(value, true),
                serde_json::to_string(value).unwrap().len(),
                "{value}"
            );
            let pretty = serde_json::to_string_pretty(value).unwrap();
            assert_eq!(counted(value, false), pretty.len(), "{pretty}");
        }
    }

    #[test]
    fn stops_past_the_limit_and_not_at_it() {
        let value = node!({"a": "bcd"});
        let bytes = serde_json::to_string(&value).unwrap().len();
        assert!(JsonSize::new(true, bytes).value(&value, 0).is_ok());
        assert!(JsonSize::new(true, bytes - 1).value(&value, 0).is_err());
    }
}
