//! `canaryAlarms`, the keys of the Flagsmith fork of the old plugin: alarms on the new version
//! alone (`ExecutedVersion`), each entry a preset, a metric or metric math. Read with the fork's
//! defaults, so a service written for it generates the same alarms, and checked like every
//! other alarm, so what the fork lets through silently (two entries replacing each other, an
//! alarm that never gets data) is reported.

use serde_json::{json, Map, Value};
use std::collections::HashMap;

use super::alarm_fields::{check_datapoints, check_window, Fields, COMPARISONS, MISSING_DATA};
use super::alarm_semantics::{check_firing, AlarmMetric};
use super::fields::report_unknown_keys;
use super::json::{mistyped, plain_object};
use super::lambda_metrics::{self, PublishedPer};
use super::scope::LAMBDA_NAMESPACE;
use super::statistic::Statistic;
use super::Sourced;
use crate::diagnostics::{self as diag, Diagnostics};
use crate::limits;

/// The keys every entry may override, whatever its kind.
const SHARED_KEYS: [&str; 7] = [
    "threshold",
    "namespace",
    "comparisonOperator",
    "period",
    "evaluationPeriods",
    "datapointsToAlarm",
    "treatMissingData",
];
const PRESETS: [&str; 1] = ["errors"];
const METRIC_MATH_KEYS: [&str; 3] = ["name", "metrics", "expression"];
const METRIC_KEYS: [&str; 3] = ["id", "metric", "statistic"];
/// The fork names the expression it adds `expr`; a metric of that ID would collide with it.
pub(crate) const EXPRESSION_ID: &str = "expr";

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CanaryAlarm {
    /// What the fork names the alarm after: the preset, else the metric, else `name`, else
    /// `unknown`; lowercase letters and digits only (`errors`, `duration`, `errorrate1`).
    pub base: String,
    pub measure: Measure,
    pub namespace: String,
    pub threshold: Value,
    pub period: u64,
    pub evaluation_periods: u64,
    pub datapoints_to_alarm: u64,
    pub comparison_operator: String,
    pub treat_missing_data: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Measure {
    Metric {
        metric: String,
        statistic: Statistic,
    },
    /// Each metric is fetched with the new version's dimensions, then `expression` is watched.
    Math {
        metrics: Vec<MathMetric>,
        expression: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MathMetric {
    pub id: String,
    pub metric: String,
    /// As CloudWatch's `Stat` takes it: a statistic or a percentile.
    pub statistic: String,
}

/// The entry kinds, told apart as the fork tells them: `preset` first, then metric math.
enum Kind {
    Preset,
    Metric,
    Math,
}

/// Reads the list at `path`, reporting every problem; entries with problems are left out.
pub(crate) fn read_canary_alarms(
    value: &Value,
    path: &str,
    diagnostics: &mut Diagnostics,
) -> Vec<Sourced<CanaryAlarm>> {
    let items = match value {
        Value::Array(items) => items,
        Value::Null => return Vec::new(),
        other => {
            diagnostics.push(mistyped(path, "a list of alarms", other));
            return Vec::new();
        }
    };
    let alarms: Vec<Sourced<CanaryAlarm>> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let path = format!("{path}[{i}]");
            let Some(map) = plain_object(item) else {
                diagnostics.push(mistyped(&path, "an object", item));
                return None;
            };
            read_entry(map, &path, diagnostics).map(|value| Sourced { value, path })
        })
        .collect();
    // The fork gives two entries of one base the same logical ID, and the second replaces the
    // first without a word.
    let mut first_of: HashMap<&str, &str> = HashMap::new();
    for alarm in &alarms {
        let first = *first_of.entry(&alarm.value.base).or_insert(&alarm.path);
        if first != alarm.path {
            diagnostics.push(diag::duplicate_canary_alarm(
                &alarm.path,
                first,
                &alarm.value.base,
            ));
        }
    }
    alarms
}

fn read_entry(
    map: &Map<String, Value>,
    path: &str,
    diagnostics: &mut Diagnostics,
) -> Option<CanaryAlarm> {
    let start = diagnostics.mark();
    let entry_kind = if map.contains_key("preset") {
        Kind::Preset
    } else if map.contains_key("metrics") || map.contains_key("expression") {
        Kind::Math
    } else {
        Kind::Metric
    };
    let own_keys: &[&str] = match entry_kind {
        Kind::Preset => &["preset", "statistic"],
        Kind::Metric => &["metric", "statistic"],
        Kind::Math => &METRIC_MATH_KEYS,
    };
    let accepted: Vec<&str> = own_keys.iter().chain(&SHARED_KEYS).copied().collect();
    report_unknown_keys(map, path, &accepted, diagnostics);
    let mut fields = Fields {
        map,
        path,
        diagnostics,
    };
    // The `errors` preset's values, which its entry may override, or the fork's defaults.
    let (measure, default_threshold) = match entry_kind {
        Kind::Preset => {
            fields.one_of("preset", &PRESETS, PRESETS[0]);
            let statistic = fields.statistic();
            let measure = statistic.map(|statistic| Measure::Metric {
                metric: "Errors".into(),
                statistic,
            });
            (measure, Some(json!(1000)))
        }
        Kind::Metric => {
            let metric = fields.string("metric", None);
            let statistic = fields.statistic();
            let measure = metric
                .zip(statistic)
                .map(|(metric, statistic)| Measure::Metric { metric, statistic });
            (measure, None)
        }
        Kind::Math => (read_math(&mut fields), None),
    };
    let namespace = fields.string("namespace", Some(LAMBDA_NAMESPACE));
    let threshold = match (map.contains_key("threshold"), default_threshold) {
        (false, Some(default)) => Some(default),
        _ => fields.threshold(),
    };
    let period = fields.period();
    let evaluation_periods = fields.positive("evaluationPeriods").map(|n| n.unwrap_or(1));
    let datapoints_to_alarm = fields.positive("datapointsToAlarm").map(|n| n.unwrap_or(1));
    let comparison_operator = fields.one_of("comparisonOperator", &COMPARISONS, COMPARISONS[1]);
    let treat_missing_data = fields.one_of("treatMissingData", &MISSING_DATA, "notBreaching");
    check_datapoints(
        path,
        datapoints_to_alarm,
        evaluation_periods,
        fields.diagnostics,
    );
    check_window(
        path,
        namespace.as_deref(),
        period,
        evaluation_periods,
        fields.diagnostics,
    );
    if let (Some(namespace), Some(measure)) = (&namespace, &measure) {
        check_published_per_version(path, namespace, measure, fields.diagnostics);
        if let (Measure::Metric { metric, statistic }, Some(comparison), Some(threshold)) = (
            measure,
            &comparison_operator,
            threshold.as_ref().and_then(Value::as_f64),
        ) {
            let watched = AlarmMetric {
                path,
                namespace: Some(namespace),
                metric: Some(metric),
                has_dimensions: false,
            };
            check_firing(
                &watched,
                statistic,
                comparison,
                threshold,
                fields.diagnostics,
            );
        }
    }
    if fields.diagnostics.errors_since(start) {
        return None;
    }
    let named_by = match (&entry_kind, map.get("name").and_then(Value::as_str)) {
        (Kind::Preset, _) => map.get("preset").and_then(Value::as_str),
        (Kind::Metric, _) => map.get("metric").and_then(Value::as_str),
        (Kind::Math, name) => name,
    };
    Some(CanaryAlarm {
        base: base_name(named_by.unwrap_or("unknown")),
        measure: measure?,
        namespace: namespace?,
        threshold: threshold?,
        period: period?,
        evaluation_periods: evaluation_periods?,
        datapoints_to_alarm: datapoints_to_alarm?,
        comparison_operator: comparison_operator?,
        treat_missing_data: treat_missing_data?,
    })
}

/// `metrics: [{id, metric, statistic}]` and `expression`, as CloudWatch takes them in an alarm.
fn read_math(fields: &mut Fields) -> Option<Measure> {
    let path = fields.path.to_owned();
    let expression = fields.string("expression", None);
    let items = match fields.required("metrics")? {
        Value::Array(items) if !items.is_empty() => items,
        other => {
            fields.wrong_type("metrics", "a list of `{id, metric, statistic}`", other);
            return None;
        }
    };
    let diagnostics = &mut *fields.diagnostics;
    let start = diagnostics.mark();
    let limit = limits::METRICS_PER_ALARM.value as usize;
    if items.len() > limit {
        diagnostics.push(diag::too_many_metrics(
            &format!("{path}.metrics"),
            items.len(),
            limit,
        ));
    }
    let mut metrics = Vec::new();
    let mut ids: HashMap<String, String> = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let item_path = format!("{path}.metrics[{i}]");
        let Some(map) = plain_object(item) else {
            diagnostics.push(mistyped(&item_path, "an object", item));
            continue;
        };
        report_unknown_keys(map, &item_path, &METRIC_KEYS, diagnostics);
        let mut metric_fields = Fields {
            map,
            path: &item_path,
            diagnostics,
        };
        let id = metric_fields.string("id", None);
        let metric = metric_fields.string("metric", None);
        let statistic = metric_fields
            .required("statistic")
            .and_then(|_| metric_fields.statistic());
        let Some(id) = id else { continue };
        let id_path = format!("{item_path}.id");
        if let Some(problem) = id_problem(&id) {
            diagnostics.push(diag::invalid_metric_id(&id_path, &id, problem));
        } else if let Some(first) = ids.insert(id.clone(), id_path.clone()) {
            diagnostics.push(diag::invalid_metric_id(
                &id_path,
                &id,
                &format!("`{first}` has it already; IDs must be unique in one alarm"),
            ));
        }
        if let (Some(metric), Some(statistic)) = (metric, statistic) {
            let statistic = match statistic {
                Statistic::Standard(name) | Statistic::Extended(name) => name,
            };
            metrics.push(MathMetric {
                id,
                metric,
                statistic,
            });
        }
    }
    if diagnostics.errors_since(start) {
        return None;
    }
    Some(Measure::Math {
        metrics,
        expression: expression?,
    })
}

/// CloudWatch: a metric query ID starts with a lowercase letter and holds letters, digits and
/// `_` (MetricDataQuery, CloudWatch API reference).
fn id_problem(id: &str) -> Option<&'static str> {
    if id == EXPRESSION_ID {
        return Some("the expression the alarm watches is generated with this ID");
    }
    let mut chars = id.chars();
    let starts_lowercase = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    let rest_valid = chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    (!(starts_lowercase && rest_valid))
        .then_some("CloudWatch wants a lowercase letter first, then letters, digits or `_`")
}

/// The new version's data comes with the `ExecutedVersion` dimension: an AWS/Lambda metric
/// published without it never has any, and a metric of another namespace has it only if the
/// code that publishes it adds Lambda's three dimensions.
fn check_published_per_version(
    path: &str,
    namespace: &str,
    measure: &Measure,
    diagnostics: &mut Diagnostics,
) {
    if namespace != LAMBDA_NAMESPACE {
        diagnostics.push(diag::canary_alarm_foreign_namespace(
            &format!("{path}.namespace"),
            namespace,
        ));
        return;
    }
    let metrics: Vec<(String, &str)> = match measure {
        Measure::Metric { metric, .. } => vec![(format!("{path}.metric"), metric.as_str())],
        Measure::Math { metrics, .. } => metrics
            .iter()
            .enumerate()
            .map(|(i, m)| (format!("{path}.metrics[{i}].metric"), m.metric.as_str()))
            .collect(),
    };
    for (metric_path, metric) in metrics {
        match lambda_metrics::published(metric) {
            Some(PublishedPer::ExecutedVersion) => {}
            Some(_) => diagnostics.push(diag::canary_metric_not_per_version(&metric_path, metric)),
            None => {
                let known: Vec<&str> = lambda_metrics::names().collect();
                diagnostics.push(diag::unknown_lambda_metric(&metric_path, metric, &known));
            }
        }
    }
}

/// The fork's spelling: lowercased, every character but `a-z` and `0-9` dropped.
pub(crate) fn base_name(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        .collect()
}

#[cfg(test)]
#[path = "canary_alarm_tests.rs"]
mod tests;
