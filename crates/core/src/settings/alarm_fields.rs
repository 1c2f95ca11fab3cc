//! The keys every alarm shape shares (`threshold`, `statistic`, `period`, `evaluationPeriods`,
//! ...), read and checked against CloudWatch's rules in one way for inline `alarms` and for
//! `canaryAlarms`.

use serde_json::{Map, Value};

use super::fields::read_positive;
use super::json::mistyped;
use super::scope::LAMBDA_NAMESPACE;
use crate::diagnostics::{self as diag, Diagnostics};
use crate::limits;

pub(crate) const STATISTICS: [&str; 5] = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];
pub(crate) const COMPARISONS: [&str; 4] = [
    "GreaterThanOrEqualToThreshold",
    "GreaterThanThreshold",
    "LessThanThreshold",
    "LessThanOrEqualToThreshold",
];
pub(crate) const MISSING_DATA: [&str; 4] = ["breaching", "notBreaching", "ignore", "missing"];

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Statistic {
    Standard(String),
    /// A percentile such as `p99`, CloudFormation's `ExtendedStatistic`.
    Extended(String),
}

pub(crate) struct Fields<'a> {
    pub map: &'a Map<String, Value>,
    pub path: &'a str,
    pub diagnostics: &'a mut Diagnostics,
}

impl<'a> Fields<'a> {
    pub(crate) fn path(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    /// A key the definition must have; its absence is reported.
    pub(crate) fn required(&mut self, key: &str) -> Option<&'a Value> {
        let value = self.map.get(key);
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
        let value = match (self.map.get(key), default) {
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
        let statistic = self.string("statistic", Some("Sum"))?;
        if STATISTICS.contains(&statistic.as_str()) {
            return Some(Statistic::Standard(statistic));
        }
        if is_percentile(&statistic) {
            return Some(Statistic::Extended(statistic));
        }
        let path = self.path("statistic");
        self.diagnostics
            .push(diag::invalid_statistic(&path, &statistic, &STATISTICS));
        None
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
        match self.map.get(key) {
            None => Some(None),
            Some(value) => {
                let path = self.path(key);
                read_positive(value, &path, self.diagnostics).map(Some)
            }
        }
    }

    pub(crate) fn dimensions(&mut self) -> Option<Value> {
        let value = self.map.get("dimensions")?;
        let valid = value.as_array().is_some_and(|items| {
            items.iter().all(|item| {
                item.get("Name").is_some_and(Value::is_string) && item.get("Value").is_some()
            })
        });
        if !valid {
            self.wrong_type("dimensions", "a list of `{Name, Value}` dimensions", value);
        }
        Some(value.clone())
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

/// `p99`, `p99.9`, `p99.99`: a percentile from 0 to 100 with at most two decimals.
pub(crate) fn is_percentile(statistic: &str) -> bool {
    let Some(number) = statistic.strip_prefix('p') else {
        return false;
    };
    let (whole, decimals) = number.split_once('.').unwrap_or((number, "0"));
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    digits(whole)
        && digits(decimals)
        && whole.len() <= 3
        && decimals.len() <= 2
        && number.parse::<f64>().is_ok_and(|p| p <= 100.0)
}
