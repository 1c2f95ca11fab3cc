//! The config as the Framework hands it to plugins, from the config as written, so that the
//! standalone check sees the functions `canary:validate` sees. Serverless v3's `Service`
//! merges `functions:` written as a list into one map (`mergeArrays`, lodash `_.merge`: later
//! entries win, maps merge key by key, lists index by index) and drops a function whose body
//! is empty (`setFunctionNames`: `hello:` with nothing is no function at all).

use serde_json::{Map, Value};

use super::span::Spans;
use super::yaml::Document;

/// Reshapes the config and points the merged paths at where they were written.
pub(super) fn apply(document: &mut Document) {
    let Document {
        config,
        spans,
        dates,
    } = document;
    let Some(functions) = config.get_mut("functions") else {
        return;
    };
    if let Value::Array(entries) = functions {
        let mut merged = Value::Object(Map::new());
        // Empty entries are skipped; entries that are not maps make the Framework stop, and
        // are left out here.
        for entry in entries.iter().filter(|entry| entry.is_object()) {
            merge(&mut merged, entry);
        }
        *functions = merged;
        spans.copy_renamed(merged_function_path);
        let renamed: Vec<(String, String)> = dates
            .iter()
            .filter_map(|(path, text)| {
                merged_function_path(path).map(|(_, path)| (path, text.clone()))
            })
            .collect();
        // Written in entry order, so a later entry's date replaces an earlier one's.
        for (path, text) in renamed {
            dates.retain(|(written, _)| *written != path);
            dates.push((path, text));
        }
    }
    if let Value::Object(functions) = functions {
        functions.retain(|_, body| !body.is_null());
    }
}

/// Where a list of functions was written: every path under it is renamed by the merge.
const FUNCTIONS_LIST: &str = "functions[";
/// Where the merge puts them.
const MERGED_FUNCTIONS: &str = "functions.";

/// Whether [`apply_to_spans`] needs the span of `path` when spans under `functions` are asked.
pub(super) fn renames(path: &str) -> bool {
    path.starts_with(FUNCTIONS_LIST)
}

/// Whether the span of `path` may come from a list of functions, renamed.
pub(super) fn renamed_to(path: &str) -> bool {
    path.starts_with(MERGED_FUNCTIONS)
}

/// [`apply`] for spans read alone ([`yaml::spans_of`](super::yaml::spans_of)), given every
/// path that [`renames`].
pub(super) fn apply_to_spans(spans: &mut Spans) {
    if spans.any_path(renames) {
        spans.copy_renamed(merged_function_path);
    }
}

/// `functions[2].hello.handler` -> (2, `functions.hello.handler`): where a path under a list
/// entry lands once the entries are merged, and the entry's place in the merge order.
fn merged_function_path(path: &str) -> Option<(usize, String)> {
    let (index, rest) = path.strip_prefix(FUNCTIONS_LIST)?.split_once(']')?;
    let rest = rest.strip_prefix('.')?;
    Some((index.parse().ok()?, format!("{MERGED_FUNCTIONS}{rest}")))
}

/// lodash `_.merge(target, source)` on JSON values.
fn merge(target: &mut Value, source: &Value) {
    match (target, source) {
        (Value::Object(target), Value::Object(source)) => {
            for (key, value) in source {
                match target.get_mut(key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(target), Value::Array(source)) => {
            for (i, value) in source.iter().enumerate() {
                match target.get_mut(i) {
                    Some(existing) => merge(existing, value),
                    None => target.push(value.clone()),
                }
            }
        }
        (target, source) => *target = source.clone(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::source::yaml;

    fn shaped(text: &str) -> Document {
        let mut document = yaml::parse(text).expect("valid YAML");
        apply(&mut document);
        document
    }

    #[test]
    fn a_list_of_functions_merges_as_the_framework_does_later_entries_winning() {
        let Document {
            config,
            spans,
            dates,
        } = shaped(
            "\
functions:
  - hello:
      handler: h.hello
      deploymentSettings: {type: AllAtOnce, alias: Live, alarms: [A, B]}
  -
  - check:
      handler: h.check
  - hello:
      deploymentSettings: {alias: Next, alarms: [2024-01-01]}
",
        );
        assert_eq!(
            config["functions"],
            json!({
                "hello": {
                    "handler": "h.hello",
                    "deploymentSettings": {"type": "AllAtOnce", "alias": "Next", "alarms": ["2024-01-01", "B"]},
                },
                "check": {"handler": "h.check"},
            })
        );
        let at = |path: &str| spans.locate(path).map(|span| span.to_string());
        assert_eq!(
            at("functions.hello.deploymentSettings.alias").as_deref(),
            Some("9:35")
        );
        assert_eq!(
            at("functions.hello.deploymentSettings.type").as_deref(),
            Some("4:34")
        );
        assert_eq!(at("functions.check.handler").as_deref(), Some("7:16"));
        let date = "functions.hello.deploymentSettings.alarms[0]";
        let found = dates.iter().find(|(path, _)| path == date);
        assert_eq!(found.map(|(_, text)| text.as_str()), Some("2024-01-01"));
    }

    #[test]
    fn a_function_with_an_empty_body_is_no_function() {
        let document = shaped("functions:\n  hello:\n  other: {handler: h.o}\n");
        assert_eq!(
            document.config["functions"],
            json!({"other": {"handler": "h.o"}})
        );
    }
}
