//! Values in the settings that YAML reads as dates (`alias: 2024-01-01` unquoted). The
//! Framework's loader, js-yaml, makes them dates, and its config reaches plugins through JSON,
//! so the plugin gets `2024-01-01T00:00:00.000Z`; the standalone check reads the text. Both
//! find the dates in the source text (`source::written_dates`) and come through here, so they
//! print the same line: each is reported with its text as written, then read as that text, so
//! the rest of the settings are checked as they will be once it is quoted. YAML's `.nan` and
//! `.inf` come the same way: JSON makes them null, so they are put back as numbers.

use serde_json::{Map, Value};

use super::{read_settings, ServiceSettings};
use crate::diagnostics::{self as diag, Diagnostics};
use crate::source;

/// Config paths of the dates, and each one's text as written, in the order written.
pub(crate) type WrittenDates = Vec<(String, String)>;

const CUSTOM: &str = "custom.deploymentSettings";

/// The settings of a service the Framework resolved, each date in them read as its text as
/// written (`source`: the service file, when YAML) and reported. Only a service with dates
/// pays for the copy.
pub(crate) fn read_settings_as_written(
    (custom, functions): (Option<&Value>, &Map<String, Value>),
    source: Option<&str>,
    diagnostics: &mut Diagnostics,
) -> ServiceSettings {
    let mut written = source.map(source::written_dates).unwrap_or_default();
    // A date elsewhere in the service (an event's start time) is not the settings' concern,
    // and must not cost a copy of every function.
    written.retain(|(path, _)| in_settings(path));
    if written.is_empty() {
        return read_settings(custom, functions, diagnostics);
    }
    let (mut custom, mut functions) = (custom.cloned(), functions.clone());
    read_as_written(&written, (&mut custom, &mut functions), diagnostics);
    read_settings(custom.as_ref(), &functions, diagnostics)
}

/// Reports each date of `written` that lies in the settings and still holds that date (as
/// written, or as the Framework's ISO text), and puts its written text in its place.
pub(crate) fn read_as_written(
    written: &WrittenDates,
    (custom, functions): (&mut Option<Value>, &mut Map<String, Value>),
    diagnostics: &mut Diagnostics,
) {
    for (path, text) in written {
        let Some(value) = settings_value(custom.as_mut(), functions, path) else {
            continue;
        };
        // `.nan` and `.inf` reach the plugin as null: put the number back, so every message
        // names it as the standalone check does.
        if let Some(number) = source::non_finite_number(text) {
            if value.is_null() || *value == number {
                *value = number;
            }
            continue;
        }
        let holds_the_date = value
            .as_str()
            .is_some_and(|held| held == text || is_iso_timestamp(held));
        if holds_the_date {
            diagnostics.push(diag::yaml_date(path, text));
            *value = Value::String(text.clone());
        }
    }
}

/// `2024-01-01T00:00:00.000Z`, as JavaScript's `Date#toJSON` writes every date.
fn is_iso_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 24
        && bytes.iter().enumerate().all(|(i, byte)| match i {
            4 | 7 => *byte == b'-',
            10 => *byte == b'T',
            13 | 16 => *byte == b':',
            19 => *byte == b'.',
            23 => *byte == b'Z',
            _ => byte.is_ascii_digit(),
        })
}

/// Where `path` lies in the settings: under `custom.deploymentSettings` (no function) or a
/// function's `deploymentSettings`, with the rest of the path below them.
fn settings_path(path: &str) -> Option<(Option<&str>, &str)> {
    if let Some(rest) = path.strip_prefix(CUSTOM) {
        return Some((None, rest));
    }
    let (name, rest) = path
        .strip_prefix("functions.")?
        .split_once(".deploymentSettings")?;
    Some((Some(name), rest))
}

fn in_settings(path: &str) -> bool {
    settings_path(path).is_some()
}

/// The value at `path` when it lies under `custom.deploymentSettings` or a function's
/// `deploymentSettings`.
fn settings_value<'a>(
    custom: Option<&'a mut Value>,
    functions: &'a mut Map<String, Value>,
    path: &str,
) -> Option<&'a mut Value> {
    let (root, rest) = match settings_path(path)? {
        (None, rest) => (custom?, rest),
        (Some(name), rest) => (
            functions.get_mut(name)?.get_mut("deploymentSettings")?,
            rest,
        ),
    };
    descend(root, rest)
}

/// Follows `.key` and `[index]` steps from `value`.
fn descend<'a>(mut value: &'a mut Value, mut rest: &str) -> Option<&'a mut Value> {
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let (index, after) = after.split_once(']')?;
            value = value.get_mut(index.parse::<usize>().ok()?)?;
            rest = after;
        } else {
            let after = rest.strip_prefix('.')?;
            let end = after.find(['.', '[']).unwrap_or(after.len());
            value = value.get_mut(&after[..end])?;
            rest = &after[end..];
        }
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn dates_in_the_settings_are_reported_and_read_as_written() {
        let mut custom = Some(json!({"stages": ["2024-01-03"]}));
        let functions = json!({
            "hello": {"deploymentSettings": {"alias": "2024-01-01T00:00:00.000Z",
                      "alarms": ["2024-01-02T10:00:00.000Z"], "type": "AllAtOnce"}},
            "other": {"description": "2024-01-01T00:00:00.000Z"},
        });
        let Value::Object(mut functions) = functions else {
            unreachable!()
        };
        let written: WrittenDates = Vec::from(
            [
                ("functions.hello.deploymentSettings.alias", "2024-01-01"),
                (
                    "functions.hello.deploymentSettings.alarms[0]",
                    "2024-01-02 10:00:00",
                ),
                ("custom.deploymentSettings.stages[0]", "2024-01-03"),
                // Not in the settings; and a value a variable replaced.
                ("functions.other.description", "2024-01-01"),
                ("functions.hello.deploymentSettings.type", "2024-01-05"),
            ]
            .map(|(path, text)| (path.to_owned(), text.to_owned())),
        );
        let mut diagnostics = Diagnostics::default();
        read_as_written(&written, (&mut custom, &mut functions), &mut diagnostics);
        let lines: Vec<String> = diagnostics
            .into_vec()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            lines,
            [
                "error[yaml-date] functions.hello.deploymentSettings.alias: YAML reads the unquoted `2024-01-01` as a date, not as text (quote it: `'2024-01-01'`)",
                "error[yaml-date] functions.hello.deploymentSettings.alarms[0]: YAML reads the unquoted `2024-01-02 10:00:00` as a date, not as text (quote it: `'2024-01-02 10:00:00'`)",
                "error[yaml-date] custom.deploymentSettings.stages[0]: YAML reads the unquoted `2024-01-03` as a date, not as text (quote it: `'2024-01-03'`)",
            ]
        );
        assert_eq!(
            functions["hello"]["deploymentSettings"],
            json!({"alias": "2024-01-01", "alarms": ["2024-01-02 10:00:00"], "type": "AllAtOnce"})
        );
        assert_eq!(
            functions["other"]["description"],
            "2024-01-01T00:00:00.000Z"
        );
    }
}
