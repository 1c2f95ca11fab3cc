//! What an AWS/Lambda alarm will do once deployed, beyond what CloudWatch's schema checks: the
//! dimensions its metric is published with decide whether it ever gets data, and the range of
//! its metric decides whether its threshold can be crossed at all, or always is.

use super::lambda_metrics::{self, PublishedPer};
use super::scope::{Scope, ERROR_RATE, LAMBDA_NAMESPACE};
use super::statistic::Statistic;
use crate::diagnostics::{self as diag, Diagnostics};

/// What the alarm watches, with the keys that decide it.
pub(crate) struct AlarmMetric<'a> {
    pub path: &'a str,
    pub namespace: Option<&'a str>,
    pub metric: Option<&'a str>,
    /// `dimensions` given: used as written, `scope` does not apply.
    pub has_dimensions: bool,
}

impl AlarmMetric<'_> {
    fn lambda_metric(&self) -> Option<&str> {
        let metric = self.metric?;
        (self.namespace == Some(LAMBDA_NAMESPACE) && !self.has_dimensions).then_some(metric)
    }
}

/// The scope an alarm watches: `asked`, when its metric is published with those dimensions;
/// without `scope`, the narrowest its metric is published with (the canary alone when it can).
pub(crate) fn resolve_scope(
    alarm: &AlarmMetric,
    asked: Option<Scope>,
    diagnostics: &mut Diagnostics,
) -> Scope {
    let Some(metric) = alarm.lambda_metric() else {
        return asked.unwrap_or(Scope::Canary);
    };
    let published = if metric == ERROR_RATE {
        Some(PublishedPer::ExecutedVersion)
    } else {
        lambda_metrics::published(metric)
    };
    let Some(published) = published else {
        let known: Vec<&str> = lambda_metrics::names().collect();
        diagnostics.push(diag::unknown_lambda_metric(
            &format!("{}.metric", alarm.path),
            metric,
            &known,
        ));
        return asked.unwrap_or(Scope::Canary);
    };
    let narrowest = match published {
        PublishedPer::ExecutedVersion => Scope::Canary,
        PublishedPer::Alias => Scope::Alias,
        PublishedPer::Function => Scope::Function,
        PublishedPer::Region => {
            let at = if asked.is_some() { "scope" } else { "metric" };
            diagnostics.push(diag::metric_only_per_region(
                &format!("{}.{at}", alarm.path),
                metric,
                asked.is_some(),
            ));
            return asked.unwrap_or(Scope::Function);
        }
    };
    match asked {
        Some(scope) if scope.narrower_than(narrowest) => {
            diagnostics.push(diag::scope_not_published(
                &format!("{}.scope", alarm.path),
                metric,
                scope.as_str(),
                narrowest.as_str(),
            ));
            scope
        }
        Some(scope) => scope,
        None => narrowest,
    }
}

/// Every AWS/Lambda metric is a count, a duration or a share: never below 0, and so is every
/// statistic of it. ErrorRate and a percentile rank (`PR(:300)`) are percentages: never above
/// 100 either. A threshold on the wrong side of those bounds makes the alarm fire on every
/// datapoint, or on none. Lambda publishes `Errors` (0 included) for every minute with
/// invocations, so "every datapoint" means the first healthy traffic.
pub(crate) fn check_firing(
    alarm: &AlarmMetric,
    statistic: &Statistic,
    comparison: &str,
    threshold: f64,
    diagnostics: &mut Diagnostics,
) {
    let Some(metric) = alarm.lambda_metric().or_else(|| {
        // An error rate is computed from AWS/Lambda whatever the keys around it.
        alarm.metric.filter(|metric| *metric == ERROR_RATE)
    }) else {
        return;
    };
    let (measured, ceiling) = match statistic {
        Statistic::Extended(name) if statistic.is_percentage() => {
            (format!("{name} of {metric}"), Some(100.0))
        }
        _ => (metric.to_owned(), (metric == ERROR_RATE).then_some(100.0)),
    };
    let (always, never) = match comparison {
        "GreaterThanOrEqualToThreshold" => {
            (threshold <= 0.0, ceiling.is_some_and(|c| threshold > c))
        }
        "GreaterThanThreshold" => (threshold < 0.0, ceiling.is_some_and(|c| threshold >= c)),
        "LessThanThreshold" => (ceiling.is_some_and(|c| threshold > c), threshold <= 0.0),
        "LessThanOrEqualToThreshold" => (ceiling.is_some_and(|c| threshold >= c), threshold < 0.0),
        _ => (false, false),
    };
    let path = format!("{}.threshold", alarm.path);
    if always {
        diagnostics.push(diag::alarm_always_fires(
            &path, &measured, comparison, threshold,
        ));
    } else if never {
        diagnostics.push(diag::alarm_never_fires(
            &path, &measured, comparison, threshold,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lambda(metric: &str) -> AlarmMetric<'_> {
        AlarmMetric {
            path: "a",
            namespace: Some(LAMBDA_NAMESPACE),
            metric: Some(metric),
            has_dimensions: false,
        }
    }

    fn firing(metric: &str, comparison: &str, threshold: f64) -> Vec<&'static str> {
        firing_of("Sum", metric, comparison, threshold)
    }

    fn firing_of(
        statistic: &str,
        metric: &str,
        comparison: &str,
        threshold: f64,
    ) -> Vec<&'static str> {
        let statistic = super::super::statistic::parse(statistic).unwrap();
        let mut diagnostics = Diagnostics::default();
        check_firing(
            &lambda(metric),
            &statistic,
            comparison,
            threshold,
            &mut diagnostics,
        );
        diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    fn scope(metric: &str, asked: Option<Scope>) -> (Scope, Vec<(String, &'static str)>) {
        let mut diagnostics = Diagnostics::default();
        let scope = resolve_scope(&lambda(metric), asked, &mut diagnostics);
        (
            scope,
            diagnostics
                .into_vec()
                .into_iter()
                .map(|d| (d.path, d.code.as_str()))
                .collect(),
        )
    }

    #[test]
    fn thresholds_every_datapoint_crosses_or_none_can() {
        assert_eq!(
            firing("Errors", "GreaterThanOrEqualToThreshold", 0.0),
            ["alarm-always-fires"]
        );
        assert_eq!(
            firing("Throttles", "GreaterThanThreshold", -1.0),
            ["alarm-always-fires"]
        );
        assert!(firing("Errors", "GreaterThanThreshold", 0.0).is_empty());
        assert!(firing("Errors", "GreaterThanOrEqualToThreshold", 1.0).is_empty());
        assert_eq!(
            firing("Duration", "LessThanThreshold", 0.0),
            ["alarm-never-fires"]
        );
        assert_eq!(
            firing("Invocations", "LessThanOrEqualToThreshold", -5.0),
            ["alarm-never-fires"]
        );
        assert!(firing("Invocations", "LessThanOrEqualToThreshold", 0.0).is_empty());
        assert_eq!(
            firing("ErrorRate", "LessThanOrEqualToThreshold", 100.0),
            ["alarm-always-fires"]
        );
        assert_eq!(
            firing("ErrorRate", "GreaterThanThreshold", 100.0),
            ["alarm-never-fires"]
        );
        assert!(firing("ErrorRate", "GreaterThanOrEqualToThreshold", 100.0).is_empty());
        let custom = AlarmMetric {
            namespace: Some("My/App"),
            ..lambda("Errors")
        };
        let mut diagnostics = Diagnostics::default();
        check_firing(
            &custom,
            &Statistic::Standard("Sum".into()),
            "GreaterThanOrEqualToThreshold",
            0.0,
            &mut diagnostics,
        );
        assert!(diagnostics.is_empty(), "a custom metric may be negative");
    }

    #[test]
    fn extended_statistics_keep_the_metric_s_floor_and_bring_their_own_ceiling() {
        // A trimmed mean, count or sum of a count is never below 0 either.
        for statistic in ["tm99", "tc90", "ts90", "wm98", "IQM", "TM(10%:90%)", "p99"] {
            assert_eq!(
                firing_of(statistic, "Errors", "GreaterThanOrEqualToThreshold", 0.0),
                ["alarm-always-fires"],
                "{statistic}"
            );
            assert_eq!(
                firing_of(statistic, "Duration", "LessThanThreshold", 0.0),
                ["alarm-never-fires"],
                "{statistic}"
            );
            assert!(firing_of(statistic, "Duration", "GreaterThanThreshold", 150.0).is_empty());
        }
        // A percentile rank is a percentage whatever the metric.
        assert_eq!(
            firing_of("PR(:300)", "Duration", "GreaterThanThreshold", 100.0),
            ["alarm-never-fires"]
        );
        assert_eq!(
            firing_of("PR(:300)", "Duration", "LessThanOrEqualToThreshold", 100.0),
            ["alarm-always-fires"]
        );
        assert!(firing_of("PR(:300)", "Duration", "LessThanThreshold", 90.0).is_empty());
        assert!(firing_of("Maximum", "Duration", "GreaterThanThreshold", 100.0).is_empty());
    }

    #[test]
    fn the_scope_follows_the_dimensions_a_metric_is_published_with() {
        assert_eq!(scope("Errors", None), (Scope::Canary, vec![]));
        assert_eq!(scope("ErrorRate", None), (Scope::Canary, vec![]));
        assert_eq!(scope("IteratorAge", None), (Scope::Alias, vec![]));
        assert_eq!(scope("AsyncEventAge", None), (Scope::Function, vec![]));
        assert_eq!(
            scope("IteratorAge", Some(Scope::Canary)),
            (
                Scope::Canary,
                vec![("a.scope".into(), "scope-not-published")]
            )
        );
        assert_eq!(
            scope("DeadLetterErrors", Some(Scope::Function)),
            (Scope::Function, vec![])
        );
        assert_eq!(
            scope("ClaimedAccountConcurrency", None).1,
            [("a.metric".to_owned(), "metric-only-per-region")]
        );
        assert_eq!(
            scope("Error", None),
            (
                Scope::Canary,
                vec![("a.metric".into(), "unknown-lambda-metric")]
            )
        );
    }
}
