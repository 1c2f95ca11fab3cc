//! The keys every alarm shape shares (`threshold`, `statistic`, `period`, `evaluationPeriods`,
//! ...), read and checked against CloudWatch's rules in one way for inline `alarms` and for
//! `canaryAlarms`.

use serde_json::{Map, Value};

use super::fields::{get_key, read_positive};
use super::json::mistyped;
use super::scope::LAMBDA_NAMESPACE;
use super::statistic::{self, Statistic};
use crate::diagnostics::{self as diag, Diagnostics};
use crate::limits;

pub(crate) const COMPARISONS: [&str; 4] = [
    "GreaterThanOrEqualToThreshold",
    "GreaterThanThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
];
pub(crate) const MISSING_DATA: [&str; 4] = ["breaching", "notBreaching", "ignore", "missing"];

pub(crate) struct Fields<'a> {
    pub map: &'a Map<String, Value>,
    pub path: &'a str,
    pub diagnostics: &'a mut Diagnostics,
}

impl<'a> Fields<'a> {
    /// `key`'s path, spelled as the definition writes it, so a problem with its value points
    /// at it even when its case is wrong (reported once, as such).
    pub(crate) fn path(&self, key: &str) -> String {
        let written = get_key(self.map, key).map_or(key, |(written, _)| written);
        format!("{}.{written}", self.path)
    }

    /// A key the definition must have; its absence is reported.
    pub(crate) fn required(&mut self, key: &str) -> Option<&'a Value> {
        let value = get_key(self.map, key).map(|(_, value)| value);
        if value.is_none() {
            let path = self.path.to_owned();
            self.diagnostics.push(diag::missing_alarm_key(&path, key));
        }
        value
    }

    pub(crate) fn wrong_type(&mut self, key: &str, expected: &str, found: &Value) {
        let path = self.path(key);
        self.diagnostics.push(mistyped(&path, expected, found));
    }

    /// A non-empty string; `default` when absent, or an error when there is none.
    pub(crate) fn string(&mut self, key: &str, default: Option<&str>) -> Option<String> {
        let value = match (get_key(self.map, key), default) {
            (None, Some(default)) => return Some(default.to_owned()),
            _ => self.required(key)?,
        };
        match value {
            Value::String(text) if !text.is_empty() => Some(text.clone()),
            other => {
                self.wrong_type(key, "a non-empty string", other);
                None
            }
        }
    }

    pub(crate) fn one_of(&mut self, key: &str, accepted: &[&str], default: &str) -> Option<String> {
        let value = self.string(key, Some(default))?;
        if accepted.contains(&value.as_str()) {
            return Some(value);
        }
        let path = self.path(key);
        self.diagnostics
            .push(diag::not_one_of(&path, &value, accepted));
        None
    }

    pub(crate) fn threshold(&mut self) -> Option<Value> {
        match self.required("threshold")? {
            value @ Value::Number(_) => Some(value.clone()),
            other => {
                self.wrong_type("threshold", "a number", other);
                None
            }
        }
    }

    pub(crate) fn statistic(&mut self) -> Option<Statistic> {
        let given = self.string("statistic", Some("Sum"))?;
        match statistic::parse(&given) {
            Ok(statistic) => Some(statistic),
            Err(refusal) => {
                let path = self.path("statistic");
                self.diagnostics
                    .push(diag::invalid_statistic(&path, &given, &refusal));
                None
            }
        }
    }

    /// 10, 20, 30 or a multiple of 60 seconds.
    pub(crate) fn period(&mut self) -> Option<u64> {
        let period = self.positive("period")?.unwrap_or(60);
        if matches!(period, 10 | 20 | 30) || period % 60 == 0 {
            return Some(period);
        }
        let path = self.path("period");
        self.diagnostics.push(diag::invalid_period(&path, period));
        None
    }

    /// `Some(None)` when absent; `None` when present and not a positive whole number.
    pub(crate) fn positive(&mut self, key: &str) -> Option<Option<u64>> {
        match get_key(self.map, key).map(|(_, value)| value) {
            None => Some(None),
            Some(value) => {
                let path = self.path(key);
                read_positive(value, &path, self.diagnostics).map(Some)
            }
        }
    }

    pub(crate) fn dimensions(&mut self) -> Option<Value> {
        let (_, value) = get_key(self.map, "dimensions")?;
        let is_dimension = |item: &Value| {
            item.get("Name").is_some_and(Value::is_string) && item.get("Value").is_some()
        };
        match value.as_array() {
            Some(items) if items.iter().all(is_dimension) => {
                let path = self.path("dimensions");
                check_dimensions(items, &path, self.diagnostics);
            }
            _ => self.wrong_type("dimensions", "a list of `{Name, Value}` dimensions", value),
        }
        Some(value.clone())
    }

    /// A description, at most as long as CloudWatch keeps (AWS::CloudWatch::Alarm,
    /// AlarmDescription: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudwatch-alarm.html).
    pub(crate) fn description(&mut self) -> Option<String> {
        get_key(self.map, "description")?;
        let description = self.string("description", None)?;
        let length = description.chars().count();
        let limit = limits::ALARM_DESCRIPTION_LENGTH.value;
        if length as u64 > limit {
            let path = self.path("description");
            self.diagnostics
                .push(diag::alarm_description_too_long(&path, length, limit));
        }
        Some(description)
    }
}

/// CloudWatch takes at most 30 dimensions, each with a name of 1 to 255 characters and a value
/// of 1 to 1,024, neither only whitespace (AWS::CloudWatch::Alarm Dimension:
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-cloudwatch-alarm-dimension.html;
/// CloudWatch API, Dimension:
/// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Dimension.html).
/// A value given as an intrinsic is only known at deploy time.
fn check_dimensions(items: &[Value], path: &str, diagnostics: &mut Diagnostics) {
    let limit = limits::ALARM_DIMENSIONS.value;
    if items.len() as u64 > limit {
        diagnostics.push(diag::too_many_dimensions(path, items.len(), limit));
    }
    let lengths = [
        ("Name", "name", limits::DIMENSION_NAME_LENGTH.value),
        ("Value", "value", limits::DIMENSION_VALUE_LENGTH.value),
    ];
    for (i, item) in items.iter().enumerate() {
        for (key, what, limit) in lengths {
            let Some(text) = item[key].as_str() else {
                continue;
            };
            let length = text.chars().count();
            let problem = if text.is_empty() {
                format!("its {what} is empty")
            } else if text.trim().is_empty() {
                format!("its {what} is only whitespace")
            } else if length as u64 > limit {
                format!("its {what} is {length} characters long, over the {limit} allowed")
            } else {
                continue;
            };
            diagnostics.push(diag::invalid_dimension(
                &format!("{path}[{i}].{key}"),
                &problem,
            ));
        }
    }
}

/// An alarm needs `datapointsToAlarm` of its `evaluationPeriods` breaching: more can never be.
pub(crate) fn check_datapoints(
    path: &str,
    datapoints: Option<u64>,
    evaluation_periods: Option<u64>,
    diagnostics: &mut Diagnostics,
) {
    if let (Some(datapoints), Some(evaluation)) = (datapoints, evaluation_periods) {
        if datapoints > evaluation {
            diagnostics.push(diag::datapoints_exceed_periods(
                &format!("{path}.datapointsToAlarm"),
                datapoints,
                evaluation,
            ));
        }
    }
}

/// CloudWatch evaluates at most 1 day of data for periods under an hour, 7 days otherwise; and
/// Lambda publishes once a minute, so a shorter period on its metrics mostly sees no data,
/// which `notBreaching` would count as healthy.
pub(crate) fn check_window(
    path: &str,
    namespace: Option<&str>,
    period: Option<u64>,
    evaluation_periods: Option<u64>,
    diagnostics: &mut Diagnostics,
) {
    let Some(period) = period else { return };
    if period < 60 && namespace == Some(LAMBDA_NAMESPACE) {
        diagnostics.push(diag::lambda_period_too_short(
            &format!("{path}.period"),
            period,
        ));
    }
    let Some(evaluation_periods) = evaluation_periods else {
        return;
    };
    let limit = if period < 3600 {
        limits::ALARM_RANGE_SECONDS.value
    } else {
        limits::ALARM_RANGE_SECONDS_HOURLY.value
    };
    let window = period.saturating_mul(evaluation_periods);
    if window > limit {
        diagnostics.push(diag::alarm_window_too_long(
            &format!("{path}.evaluationPeriods"),
            window,
            limit,
        ));
    }
}
