//! Resolves the Serverless variables whose values are known without AWS or the Framework:
//! `${self:...}`, `${opt:...}`, `${sls:stage}` and `${env:...}`, with their fallbacks.
//!
//! Anything else (`${ssm:...}`, `${cf:...}`, `${file(...)}`, a variable that is not set and has
//! no fallback, a cycle) is never guessed: the value stays as written and its path is reported,
//! so the caller can say that path was not checked.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

use super::variable_syntax::{parse, Piece, Source, Variable};

/// How many `${self:...}` hops (and nested variables) one value may take; past it the value
/// is reported instead of recursing further, which also stops cycles the memo cannot see.
const MAX_DEPTH: usize = 16;

/// What the variables read besides the config itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Options {
    /// CLI options by long name without dashes (`stage`, `region`, ...), as `${opt:...}` sees
    /// them. `stage` also feeds `${sls:stage}`; the caller maps `-s` to `stage`.
    pub cli: BTreeMap<String, String>,
    /// The environment `${env:...}` reads.
    pub env: HashMap<String, String>,
}

/// A value left as written because a variable in it could not be resolved here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unresolved {
    /// Where in the config, e.g. `functions.hello.deploymentSettings.alias`.
    pub path: String,
    /// The variable that could not be resolved, as written, e.g. `${ssm:/canary/alias}`.
    pub expression: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Resolution {
    pub config: Value,
    /// In document order.
    pub unresolved: Vec<Unresolved>,
}

/// Resolves every string value of `config` that holds variables. A string that is exactly one
/// variable takes the resolved value's type; a variable inside a longer string is interpolated.
pub(crate) fn resolve(config: Value, options: &Options) -> Resolution {
    let mut resolver = Resolver {
        root: &config,
        options,
        memo: HashMap::new(),
        in_progress: HashSet::new(),
    };
    let mut unresolved = Vec::new();
    let resolved = resolver.walk(&config, &mut String::new(), &mut unresolved, 0);
    Resolution {
        config: resolved,
        unresolved,
    }
}

/// A variable this reader cannot resolve; the caller reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Unresolvable;

/// `Ok(None)`: every source was tried and none had a value, so a fallback may still apply.
type Lookup = Result<Option<Value>, Unresolvable>;

struct Resolver<'a> {
    /// The config as written: `${self:...}` reads it and resolves what it finds on the way.
    root: &'a Value,
    options: &'a Options,
    /// `${self:...}` addresses already resolved, so shared references cost one resolution.
    memo: HashMap<String, Lookup>,
    /// Addresses being resolved: meeting one again is a cycle.
    in_progress: HashSet<String>,
}

impl<'a> Resolver<'a> {
    /// Copies `value` with its variables resolved, recording each string it had to leave.
    fn walk(
        &mut self,
        value: &Value,
        path: &mut String,
        unresolved: &mut Vec<Unresolved>,
        depth: usize,
    ) -> Value {
        match value {
            Value::String(text) if text.contains("${") => match self.text(text, depth) {
                Ok(resolved) => resolved,
                Err(expression) => {
                    unresolved.push(Unresolved {
                        path: path.clone(),
                        expression: expression.to_owned(),
                    });
                    value.clone()
                }
            },
            Value::Array(items) => {
                let mut resolved = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    let parent = path.len();
                    path.push_str(&format!("[{index}]"));
                    resolved.push(self.walk(item, path, unresolved, depth));
                    path.truncate(parent);
                }
                Value::Array(resolved)
            }
            Value::Object(entries) => {
                let mut resolved = serde_json::Map::with_capacity(entries.len());
                for (key, item) in entries {
                    let parent = path.len();
                    if parent > 0 {
                        path.push('.');
                    }
                    path.push_str(key);
                    resolved.insert(key.clone(), self.walk(item, path, unresolved, depth));
                    path.truncate(parent);
                }
                Value::Object(resolved)
            }
            other => other.clone(),
        }
    }

    /// A whole value, with nothing left unresolved inside it.
    fn settled(&mut self, value: &Value, depth: usize) -> Result<Value, Unresolvable> {
        let mut unresolved = Vec::new();
        let resolved = self.walk(value, &mut String::new(), &mut unresolved, depth);
        if unresolved.is_empty() {
            Ok(resolved)
        } else {
            Err(Unresolvable)
        }
    }

    /// One string value. The error is the first variable that could not be resolved (or the
    /// whole text, when it does not follow the variable syntax).
    fn text<'t>(&mut self, text: &'t str, depth: usize) -> Result<Value, &'t str> {
        let pieces = parse(text).map_err(|_| text)?;
        match pieces.as_slice() {
            [Piece::Variable(variable)] => match self.variable(variable, depth) {
                Ok(Some(value)) => Ok(value),
                _ => Err(variable.text),
            },
            _ => self.interpolate(&pieces, depth).map(Value::String),
        }
    }

    fn interpolate<'t>(&mut self, pieces: &[Piece<'t>], depth: usize) -> Result<String, &'t str> {
        let mut text = String::new();
        for piece in pieces {
            match piece {
                Piece::Text(literal) => text.push_str(literal),
                Piece::Variable(variable) => {
                    let value = self.variable(variable, depth).ok().flatten();
                    let part = value.as_ref().and_then(as_text).ok_or(variable.text)?;
                    text.push_str(&part);
                }
            }
        }
        Ok(text)
    }

    /// Tries each source in turn; a null counts as not found, as in the Framework.
    fn variable(&mut self, variable: &Variable<'_>, depth: usize) -> Lookup {
        if depth > MAX_DEPTH {
            return Err(Unresolvable);
        }
        for source in &variable.sources {
            let found = match source {
                Source::Literal(value) => Some(value.clone()),
                Source::Variable(inner) => self.variable(inner, depth + 1)?,
                Source::Reference { kind, address } => self.reference(kind, address, depth)?,
            };
            if let Some(value) = found.filter(|value| !value.is_null()) {
                return Ok(Some(value));
            }
        }
        Ok(None)
    }

    fn reference(&mut self, kind: &str, address: &[Piece<'_>], depth: usize) -> Lookup {
        let address = self
            .interpolate(address, depth + 1)
            .map_err(|_| Unresolvable)?;
        let address = address.trim();
        let text = |value: Option<&String>| value.map(|text| Value::String(text.clone()));
        match (kind, address) {
            ("self", _) => self.lookup(address, depth + 1),
            ("opt", _) => Ok(text(self.options.cli.get(address))),
            ("env", _) => Ok(text(self.options.env.get(address))),
            ("sls", "stage") => self.stage(depth + 1),
            _ => Err(Unresolvable),
        }
    }

    /// `${sls:stage}`: the `--stage` option, else `provider.stage`, else `dev`.
    fn stage(&mut self, depth: usize) -> Lookup {
        if let Some(stage) = self.options.cli.get("stage") {
            return Ok(Some(Value::String(stage.clone())));
        }
        let configured = self.lookup("provider.stage", depth)?;
        Ok(Some(
            configured.unwrap_or_else(|| Value::String("dev".to_owned())),
        ))
    }

    /// `${self:address}`, memoised and guarded against cycles.
    fn lookup(&mut self, address: &str, depth: usize) -> Lookup {
        if let Some(known) = self.memo.get(address) {
            return known.clone();
        }
        if depth > MAX_DEPTH || !self.in_progress.insert(address.to_owned()) {
            return Err(Unresolvable);
        }
        let found = self.find(address, depth);
        self.in_progress.remove(address);
        self.memo.insert(address.to_owned(), found.clone());
        found
    }

    /// Walks the dotted address from the root. A string met on the way may itself be a
    /// variable (`custom: ${self:other}`), so it is resolved before the walk goes on.
    fn find(&mut self, address: &str, depth: usize) -> Lookup {
        let mut current = Cow::Borrowed(self.root);
        for segment in address.split('.').filter(|segment| !segment.is_empty()) {
            if let Value::String(text) = current.as_ref() {
                if text.contains("${") {
                    let resolved = self.text(text, depth).map_err(|_| Unresolvable)?;
                    current = Cow::Owned(resolved);
                }
            }
            let next = match current {
                Cow::Borrowed(value) => child(value, segment).map(Cow::Borrowed),
                Cow::Owned(value) => child(&value, segment).cloned().map(Cow::Owned),
            };
            let Some(next) = next else {
                return Ok(None);
            };
            current = next;
        }
        self.settled(&current, depth).map(Some)
    }
}

fn child<'v>(value: &'v Value, segment: &str) -> Option<&'v Value> {
    match value {
        Value::Object(entries) => entries.get(segment),
        Value::Array(items) => segment
            .parse::<usize>()
            .ok()
            .and_then(|index| items.get(index)),
        _ => None,
    }
}

/// How a value reads inside a longer string. Lists and mappings have no text form the
/// Framework would agree on, so they stay unresolved.
fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

#[cfg(test)]
#[path = "variables_tests.rs"]
mod tests;
