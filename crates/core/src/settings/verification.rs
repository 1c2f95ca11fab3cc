//! How a release proves itself, beyond fixed-threshold alarms: `smokeTest` (events the new
//! version must answer before any traffic moves), `compareToBaseline` (the new version against
//! the old one while traffic shifts) and `minTraffic` (enough invocations to judge by).

use serde_json::{Map, Value};
use std::collections::HashMap;

use super::fields::{get_key, read_positive, report_unknown_keys, whole_number};
use super::json::{mistyped, plain_object};
use crate::diagnostics::{self as diag, Diagnostics};
use crate::limits;
use crate::template::quotas::serialized_size;
use crate::template::tree::Node;

const SMOKE_TEST_KEYS: [&str; 3] = ["name", "event", "expect"];
const EXPECT_KEYS: [&str; 1] = ["statusCode"];
const BASELINE_KEYS: [&str; 3] = ["errorRate", "p99Ratio", "minInvocations"];
/// Invocations of the new version in the minute judged before the comparison counts.
pub(crate) const DEFAULT_MIN_INVOCATIONS: u64 = 20;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SmokeTest {
    /// As written, or its position (`smokeTest[0]`) when unnamed: it only labels the test.
    pub name: String,
    /// Where it is written, e.g. `functions.hello.deploymentSettings.smokeTest[0]`.
    pub path: String,
    /// The payload the new version is invoked with, as written.
    pub event: Value,
    /// The `statusCode` its answer must carry; without it, any answer that is not a function
    /// error passes.
    pub status_code: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Baseline {
    /// Percentage points the new version's error rate may exceed the old one's by.
    pub error_rate: Option<f64>,
    /// How many times the alias's p99 `Duration` the new version's may reach.
    pub p99_ratio: Option<f64>,
    pub min_invocations: u64,
}

impl Baseline {
    /// How many alarms it attaches to the deployment group: one per comparison.
    pub(crate) fn alarm_count(&self) -> usize {
        usize::from(self.error_rate.is_some()) + usize::from(self.p99_ratio.is_some())
    }
}

/// `smokeTest`: each entry named once (unnamed ones by their position), with the event to
/// send and what to expect.
pub(crate) fn read_smoke_tests(
    value: &Value,
    path: &str,
    diagnostics: &mut Diagnostics,
) -> Vec<SmokeTest> {
    let items = match value {
        Value::Array(items) => items,
        Value::Null => return Vec::new(),
        other => {
            diagnostics.push(mistyped(path, "a list of smoke tests", other));
            return Vec::new();
        }
    };
    let mut tests = Vec::new();
    let mut first_of: HashMap<String, String> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let item_path = format!("{path}[{i}]");
        let Some(entry) = plain_object(item) else {
            diagnostics.push(mistyped(&item_path, "an object", item));
            continue;
        };
        let Some(test) = read_smoke_test(entry, &item_path, i, diagnostics) else {
            continue;
        };
        let first = first_of
            .entry(test.name.clone())
            .or_insert_with(|| item_path.clone());
        if *first != item_path {
            diagnostics.push(diag::duplicate_smoke_test(
                &format!("{item_path}.name"),
                &test.name,
                first,
            ));
            continue;
        }
        tests.push(test);
    }
    tests
}

fn read_smoke_test(
    entry: &Map<String, Value>,
    path: &str,
    position: usize,
    diagnostics: &mut Diagnostics,
) -> Option<SmokeTest> {
    let start = diagnostics.mark();
    report_unknown_keys(entry, path, &SMOKE_TEST_KEYS, diagnostics);
    let name = match get_key(entry, "name").map(|(_, v)| v) {
        Some(Value::String(name)) if name.chars().any(breaks_a_log_line) => {
            diagnostics.push(diag::invalid_smoke_test_name(&format!("{path}.name"), name));
            None
        }
        Some(Value::String(name)) if !name.is_empty() => Some(name.clone()),
        Some(other) => {
            let at = format!("{path}.name");
            diagnostics.push(mistyped(&at, "a non-empty string", other));
            None
        }
        None => Some(format!("smokeTest[{position}]")),
    };
    let event = get_key(entry, "event").map(|(_, v)| v);
    match event {
        None => diagnostics.push(diag::missing_smoke_test_key(path, "event")),
        Some(event) => check_event_size(event, &format!("{path}.event"), diagnostics),
    }
    let status_code = entry
        .get("expect")
        .and_then(|expect| read_expect(expect, &format!("{path}.expect"), diagnostics));
    if diagnostics.errors_since(start) {
        return None;
    }
    Some(SmokeTest {
        name: name?,
        path: path.to_owned(),
        event: event?.clone(),
        status_code,
    })
}

/// The name labels one line of the package log and one of the hook's: a line break or any
/// other control character would split or garble it.
fn breaks_a_log_line(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

/// The hook sends the event as the payload of a synchronous Invoke, which Lambda caps
/// ("Lambda quotas": invocation payload, 6 MB synchronous).
fn check_event_size(event: &Value, path: &str, diagnostics: &mut Diagnostics) {
    let limit = limits::SMOKE_TEST_EVENT_BYTES.value;
    let bytes = serialized_size(&Node::borrowed(event), true, usize::MAX).unwrap_or(usize::MAX);
    if bytes as u64 > limit {
        diagnostics.push(diag::smoke_test_event_too_large(path, bytes, limit));
    }
}

fn read_expect(expect: &Value, path: &str, diagnostics: &mut Diagnostics) -> Option<u64> {
    let Some(expect) = plain_object(expect) else {
        diagnostics.push(mistyped(path, "an object", expect));
        return None;
    };
    report_unknown_keys(expect, path, &EXPECT_KEYS, diagnostics);
    let code = expect.get("statusCode")?;
    match whole_number(code).filter(|code| (100..=599).contains(code)) {
        Some(code) => Some(code),
        None => {
            let at = format!("{path}.statusCode");
            diagnostics.push(mistyped(&at, "an HTTP status code (100 to 599)", code));
            None
        }
    }
}

/// `compareToBaseline`: at least one comparison, each with a threshold that can be crossed
/// and not crossed.
pub(crate) fn read_baseline(
    value: &Value,
    path: &str,
    diagnostics: &mut Diagnostics,
) -> Option<Baseline> {
    let baseline = match value {
        Value::Object(map) if plain_object(value).is_some() => map,
        Value::Null => return None,
        other => {
            diagnostics.push(mistyped(path, "an object", other));
            return None;
        }
    };
    let start = diagnostics.mark();
    report_unknown_keys(baseline, path, &BASELINE_KEYS, diagnostics);
    let mut number = |key: &str, valid: fn(f64) -> bool, rule: &str| {
        let value = baseline.get(key)?;
        let at = format!("{path}.{key}");
        match value.as_f64() {
            Some(n) if valid(n) => Some(n),
            Some(n) => {
                diagnostics.push(diag::baseline_out_of_range(&at, n, rule));
                None
            }
            None => {
                diagnostics.push(mistyped(&at, "a number", value));
                None
            }
        }
    };
    let error_rate = number(
        "errorRate",
        |n| n > 0.0 && n < 100.0,
        "percentage points above the old version's error rate, more than 0 and less than 100",
    );
    let p99_ratio = number(
        "p99Ratio",
        |n| n > 1.0,
        "a ratio above 1: at 1 or below, the new version fails for being no faster than the old",
    );
    let min_invocations = match baseline.get("minInvocations") {
        None => Some(DEFAULT_MIN_INVOCATIONS),
        Some(value) => read_positive(value, &format!("{path}.minInvocations"), diagnostics),
    };
    if !baseline.contains_key("errorRate") && !baseline.contains_key("p99Ratio") {
        diagnostics.push(diag::baseline_without_comparison(path));
    }
    if diagnostics.errors_since(start) {
        return None;
    }
    Some(Baseline {
        error_rate,
        p99_ratio,
        min_invocations: min_invocations?,
    })
}

/// `minTraffic`: a positive number of invocations.
pub(crate) fn read_min_traffic(
    value: &Value,
    path: &str,
    diagnostics: &mut Diagnostics,
) -> Option<u64> {
    if value.is_null() {
        return None;
    }
    read_positive(value, path, diagnostics)
}

#[cfg(test)]
#[path = "verification_tests.rs"]
mod tests;
