//! Reads serverless.yml text into the service config and an index of where each config path
//! was written, in one pass over the YAML events.
//!
//! Built on `saphyr-parser`'s event stream rather than a serde deserializer: every event carries
//! its source position and tag, so one walk builds the JSON value, the path -> span index and the
//! CloudFormation short forms together. serde-saphyr's `Spanned<T>` only locates fields of typed
//! structs, while a service config is an open tree (any function name, raw CloudFormation), and
//! its current release needs a newer Rust than this crate's `rust-version`.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Tag};

use serde_json::{Map, Value};

use super::span::{Positions, Span, Spans};
use super::yaml_schema::{non_finite_number, plain_scalar, tagged_collection, tagged_scalar};
use super::yaml_timestamp::is_timestamp;
use super::SourceError;

/// Deeper documents are rejected rather than risking the stack in later recursive walks.
const MAX_DEPTH: usize = 128;
/// Aliases copy values; this bounds what a "billion laughs" document can make us build.
const MAX_ALIAS_VALUES: usize = 1_000_000;

/// The parsed config and where its paths were written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Document {
    pub config: Value,
    pub spans: Spans,
    /// Plain scalars the Framework's loader reads as dates, or as `.nan` and `.inf`, which reach
    /// plugins as null: path and text, in the order written.
    pub dates: Vec<(String, String)>,
}

/// Parses one YAML document. Syntax errors, unknown tags, duplicate keys and runaway aliases
/// come back as an error at their position; nothing panics on malformed input.
pub(crate) fn parse(text: &str) -> Result<Document, SourceError> {
    let builder = read(text, Builder::new(text, None))?;
    Ok(Document {
        config: builder.root.unwrap_or(Value::Null),
        spans: builder.spans,
        dates: builder.dates,
    })
}

/// Only where the paths `wanted` keeps were written: no config is built, so placing a few
/// diagnostics costs the parser's pass and little more. The spans it keeps are those
/// [`parse`] gives for a text `parse` reads; a text it cannot read may still get some.
/// With `stop_after`, the read ends once it has kept that many paths: a path is kept where it
/// starts, so a warning about the top of the file does not cost the whole file.
pub(crate) fn spans_of(
    text: &str,
    wanted: &dyn Fn(&str) -> bool,
    stop_after: Option<usize>,
) -> Result<Spans, SourceError> {
    let mut builder = Builder::new(text, Some(wanted));
    builder.stop_after = stop_after;
    Ok(read(text, builder)?.spans)
}

fn read<'t>(text: &'t str, mut builder: Builder<'t>) -> Result<Builder<'t>, SourceError> {
    // js-yaml, the Framework's parser, takes a tab after `:` as the separating space; saphyr
    // does not. Both are one byte, so every position stays where it was.
    let text = if text.contains(":\t") {
        Cow::Owned(text.replace(":\t", ": "))
    } else {
        Cow::Borrowed(text)
    };
    for event in Parser::new_from_str(&text) {
        let (event, span) = event.map_err(|error| {
            let at = builder.span(error.marker());
            SourceError::new(at, error.info())
        })?;
        let start = builder.span(&span.start);
        builder.accept(event, start)?;
        if builder
            .stop_after
            .is_some_and(|kept| builder.spans.len() >= kept)
        {
            break;
        }
    }
    Ok(builder)
}

/// A finished value with its start and weight (nesting depth and number of values), so
/// nesting and alias expansion can be bounded without walking it again.
#[derive(Clone)]
struct Node {
    value: Value,
    start: Span,
    depth: usize,
    count: usize,
}

enum Collection {
    Sequence(Vec<Value>),
    Mapping {
        entries: Map<String, Value>,
        key: Option<Key>,
        /// Keys copied in by `<<`, which explicit keys may override.
        merged: HashSet<String>,
    },
}

struct Key {
    name: String,
    span: Span,
    /// A plain `<<`: the value is merged into the mapping rather than stored under it.
    merge: bool,
}

struct Frame {
    collection: Collection,
    anchor: usize,
    tag: Option<Tag>,
    start: Span,
    /// Length of `Builder::path` while inside this collection.
    path_len: usize,
    child_depth: usize,
    count: usize,
}

/// Whether the next node is a mapping key or a value.
#[derive(PartialEq)]
enum Slot {
    Key,
    Value,
}

struct Builder<'t> {
    positions: Positions<'t>,
    /// For [`spans_of`]: the paths whose spans are kept. No values are built then: every
    /// value is a null that only counts a list's items.
    spans_only: Option<&'t dyn Fn(&str) -> bool>,
    /// For [`spans_of`]: how many kept paths end the read.
    stop_after: Option<usize>,
    spans: Spans,
    dates: Vec<(String, String)>,
    /// The path of the node being read, grown and cut as the walk enters and leaves nodes.
    path: String,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    alias_values: usize,
    documents: usize,
    root: Option<Value>,
}

impl<'t> Builder<'t> {
    fn new(text: &'t str, spans_only: Option<&'t dyn Fn(&str) -> bool>) -> Self {
        Builder {
            positions: Positions::new(text),
            spans_only,
            stop_after: None,
            spans: Spans::default(),
            dates: Vec::new(),
            path: String::new(),
            stack: Vec::new(),
            anchors: HashMap::new(),
            alias_values: 0,
            documents: 0,
            root: None,
        }
    }

    fn span(&mut self, marker: &Marker) -> Span {
        self.positions
            .span(marker.index(), marker.line(), marker.col())
    }

    fn accept(&mut self, event: Event<'_>, start: Span) -> Result<(), SourceError> {
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(SourceError::new(
                        start,
                        "a second YAML document: serverless.yml holds exactly one",
                    ));
                }
                Ok(())
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.scalar(&text, style, anchor, tag.as_deref(), start)
            }
            Event::SequenceStart(anchor, tag) => {
                self.open(Collection::Sequence(Vec::new()), anchor, tag, start)
            }
            Event::MappingStart(anchor, tag) => {
                let mapping = Collection::Mapping {
                    entries: Map::new(),
                    key: None,
                    merged: HashSet::new(),
                };
                self.open(mapping, anchor, tag, start)
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(),
            Event::Alias(anchor) => self.alias(anchor, start),
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => Ok(()),
        }
    }

    fn scalar(
        &mut self,
        text: &str,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        start: Span,
    ) -> Result<(), SourceError> {
        let plain = style == ScalarStyle::Plain && tag.is_none();
        // `alias:` with nothing after it: point at the key, not at the end of the line.
        let missing = plain && text.is_empty();
        if self.enter(start, missing) == Slot::Key {
            self.set_key(text.to_owned(), start, plain && text == "<<");
            if anchor != 0 {
                let key = Node {
                    value: Value::String(text.to_owned()),
                    start,
                    depth: 1,
                    count: 1,
                };
                self.anchors.insert(anchor, key);
            }
            return Ok(());
        }
        let value = match tag {
            _ if self.spans_only.is_some() => Value::Null,
            Some(tag) => {
                tagged_scalar(tag, text).map_err(|message| SourceError::new(start, message))?
            }
            None if plain => {
                if is_timestamp(text) || non_finite_number(text).is_some() {
                    self.dates.push((self.path.clone(), text.to_owned()));
                }
                plain_scalar(text)
            }
            None => Value::String(text.to_owned()),
        };
        let node = Node {
            value,
            start,
            depth: 1,
            count: 1,
        };
        self.finish(anchor, node)
    }

    fn open(
        &mut self,
        collection: Collection,
        anchor: usize,
        tag: Option<Cow<'_, Tag>>,
        start: Span,
    ) -> Result<(), SourceError> {
        if self.enter(start, false) == Slot::Key {
            return Err(SourceError::new(
                start,
                "a mapping key must be a plain value, not a list or mapping",
            ));
        }
        self.stack.push(Frame {
            collection,
            anchor,
            tag: tag.map(Cow::into_owned),
            start,
            path_len: self.path.len(),
            child_depth: 0,
            count: 0,
        });
        Ok(())
    }

    fn close(&mut self) -> Result<(), SourceError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let value = match frame.collection {
            Collection::Sequence(items) => Value::Array(items),
            Collection::Mapping { entries, .. } => Value::Object(entries),
        };
        let value = match &frame.tag {
            Some(tag) if self.spans_only.is_none() => tagged_collection(tag, value)
                .map_err(|message| SourceError::new(frame.start, message))?,
            _ => value,
        };
        let node = Node {
            value,
            start: frame.start,
            depth: frame.child_depth + 1,
            count: frame.count + 1,
        };
        self.finish(frame.anchor, node)
    }

    fn alias(&mut self, anchor: usize, start: Span) -> Result<(), SourceError> {
        let Some(node) = self.anchors.get(&anchor).cloned() else {
            return Err(SourceError::new(
                start,
                "this alias refers to its own anchor, which is not finished yet",
            ));
        };
        self.alias_values += node.count;
        if self.alias_values > MAX_ALIAS_VALUES {
            return Err(SourceError::new(
                start,
                format!("aliases expand to more than {MAX_ALIAS_VALUES} values"),
            ));
        }
        if self.enter(start, false) == Slot::Key {
            let Some(name) = key_text(&node.value) else {
                return Err(SourceError::new(
                    start,
                    "a mapping key must be a plain value, not a list or mapping",
                ));
            };
            self.set_key(name, start, false);
            return Ok(());
        }
        self.attach(Node { start, ..node })
    }

    /// Starts a node: says whether it is a key, and for a value sets `path` to its path and
    /// records where it was written.
    fn enter(&mut self, start: Span, missing: bool) -> Slot {
        let Some(frame) = self.stack.last() else {
            self.path.clear();
            self.spans.record("", start, None);
            return Slot::Value;
        };
        self.path.truncate(frame.path_len);
        let key_span = match &frame.collection {
            Collection::Mapping { key: None, .. } => return Slot::Key,
            Collection::Mapping { key: Some(key), .. } => {
                if !self.path.is_empty() {
                    self.path.push('.');
                }
                self.path.push_str(&key.name);
                Some(key.span)
            }
            Collection::Sequence(items) => {
                self.path.push_str(&format!("[{}]", items.len()));
                None
            }
        };
        let value_span = match key_span {
            Some(key) if missing => key,
            _ => start,
        };
        if self.spans_only.is_none_or(|wanted| wanted(&self.path)) {
            self.spans.record(&self.path, value_span, key_span);
        }
        Slot::Value
    }

    fn set_key(&mut self, name: String, span: Span, merge: bool) {
        if let Some(Frame {
            collection: Collection::Mapping { key, .. },
            ..
        }) = self.stack.last_mut()
        {
            *key = Some(Key { name, span, merge });
        }
    }

    fn finish(&mut self, anchor: usize, node: Node) -> Result<(), SourceError> {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        self.attach(node)
    }

    /// Puts a finished value where it belongs: the root, a list, or under its key.
    fn attach(&mut self, node: Node) -> Result<(), SourceError> {
        if self.stack.len() + node.depth > MAX_DEPTH {
            return Err(SourceError::new(
                node.start,
                format!("nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node.value);
            return Ok(());
        };
        frame.child_depth = frame.child_depth.max(node.depth);
        frame.count += node.count;
        match &mut frame.collection {
            Collection::Sequence(items) => items.push(node.value),
            Collection::Mapping {
                entries,
                key,
                merged,
            } => {
                // `enter` only hands out a value slot once the key is set.
                let Some(key) = key.take() else {
                    return Ok(());
                };
                if self.spans_only.is_some() {
                    return Ok(());
                }
                if key.merge {
                    merge(entries, merged, node.value)
                        .map_err(|message| SourceError::new(node.start, message))?;
                } else {
                    if entries.contains_key(&key.name) && !merged.remove(&key.name) {
                        return Err(SourceError::new(
                            key.span,
                            format!("duplicate key `{}` in this mapping", key.name),
                        ));
                    }
                    entries.insert(key.name, node.value);
                }
            }
        }
        Ok(())
    }
}

/// `<<: *defaults` or `<<: [*a, *b]`: copies keys the mapping does not have yet. Earlier
/// sources win over later ones, and explicit keys win over all of them, as in js-yaml.
fn merge(
    entries: &mut Map<String, Value>,
    merged: &mut HashSet<String>,
    value: Value,
) -> Result<(), &'static str> {
    let sources = match value {
        Value::Object(source) => vec![source],
        Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                Value::Object(source) => Ok(source),
                _ => Err(()),
            })
            .collect::<Result<_, _>>()
            .map_err(|()| MERGE_SHAPE)?,
        _ => return Err(MERGE_SHAPE),
    };
    for source in sources {
        for (name, value) in source {
            if !entries.contains_key(&name) {
                merged.insert(name.clone());
                entries.insert(name, value);
            }
        }
    }
    Ok(())
}

const MERGE_SHAPE: &str = "a merge key `<<` takes a mapping or a list of mappings";

/// The text of a scalar used as a key through an alias.
fn key_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Null => Some("null".to_owned()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

#[cfg(test)]
#[path = "yaml_tests.rs"]
mod tests;
