//! While traffic shifts: how the new version is doing next to the old one, from Lambda's
//! metrics. The new version's invocations and errors carry `ExecutedVersion`; the old
//! version's are the alias's minus the new version's, as the `compareToBaseline` alarms see
//! them. Every shifting function is asked in one GetMetricData call per start minute (four
//! queries each, 500 a call).

use std::collections::{BTreeMap, HashMap};

use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat};
use aws_sdk_cloudwatch::Client;
use serde::Serialize;

use super::bounded::{self, InFlight};
use super::failure::{partition, Call, Failure};

const CALL: Call = Call {
    service: "CloudWatch",
    action: "cloudwatch:GetMetricData",
};
const QUERIES_PER_CALL: usize = 500;
const QUERIES_PER_FUNCTION: usize = 4;
/// Pages of one call followed at most: a guard against an endpoint that never stops paging.
const MAX_PAGES: usize = 20;

/// A deployment shifting traffic: whose metrics to read, and since when.
#[derive(Debug, Clone)]
pub(crate) struct Shifting {
    pub group: String,
    pub function_name: String,
    pub alias: String,
    pub new_version: String,
    /// When AllowTraffic began, in seconds since the epoch.
    pub since: i64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Served {
    pub invocations: f64,
    pub errors: f64,
}

impl Served {
    /// Errors per invocation in percent; `None` without invocations.
    pub fn error_rate(&self) -> Option<f64> {
        (self.invocations > 0.0).then(|| 100.0 * self.errors / self.invocations)
    }
}

/// What each version served through the alias since the shift began.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct VersionTraffic {
    pub new: Served,
    pub old: Served,
}

/// Each group's traffic by version, for the calls that were answered.
pub(crate) async fn traffic(
    client: &Client,
    limit: &InFlight,
    shifting: &[Shifting],
    now: i64,
) -> (HashMap<String, VersionTraffic>, Vec<Failure>) {
    // One call per start minute, so each function's window begins when its shift did.
    let mut by_start: BTreeMap<i64, Vec<&Shifting>> = BTreeMap::new();
    for deployment in shifting {
        by_start
            .entry(deployment.since - deployment.since.rem_euclid(60))
            .or_default()
            .push(deployment);
    }
    let calls = by_start.iter().flat_map(|(start, deployments)| {
        deployments
            .chunks(QUERIES_PER_CALL / QUERIES_PER_FUNCTION)
            .map(move |batch| ask(client, batch, *start, now))
    });
    let (answered, failures) = partition(bounded::all(limit, calls.collect()).await);
    (answered.into_iter().flatten().collect(), failures)
}

async fn ask(
    client: &Client,
    batch: &[&Shifting],
    start: i64,
    now: i64,
) -> Result<HashMap<String, VersionTraffic>, Failure> {
    let queries: Vec<MetricDataQuery> = batch
        .iter()
        .enumerate()
        .flat_map(|(i, deployment)| {
            [
                query(&format!("n{i}i"), "Invocations", deployment, true),
                query(&format!("n{i}e"), "Errors", deployment, true),
                query(&format!("a{i}i"), "Invocations", deployment, false),
                query(&format!("a{i}e"), "Errors", deployment, false),
            ]
        })
        .collect();
    // A long window holds more datapoints than one answer: the pages are added up.
    let mut sums: HashMap<String, f64> = HashMap::new();
    let mut next_token = None;
    for _ in 0..MAX_PAGES {
        let answer = client
            .get_metric_data()
            .set_metric_data_queries(Some(queries.clone()))
            .start_time(DateTime::from_secs(start))
            // The minute under way is counted as far as it is published.
            .end_time(DateTime::from_secs(now + 60 - now.rem_euclid(60)))
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|error| Failure::of(CALL, &error))?;
        for result in answer.metric_data_results() {
            if let Some(id) = result.id() {
                *sums.entry(id.to_owned()).or_default() += result.values().iter().sum::<f64>();
            }
        }
        next_token = answer.next_token().map(str::to_owned);
        if next_token.is_none() {
            break;
        }
    }
    let sum = |id: String| sums.get(id.as_str()).copied().unwrap_or(0.0);
    Ok(batch
        .iter()
        .enumerate()
        .map(|(i, deployment)| {
            let new = Served {
                invocations: sum(format!("n{i}i")),
                errors: sum(format!("n{i}e")),
            };
            let all = Served {
                invocations: sum(format!("a{i}i")),
                errors: sum(format!("a{i}e")),
            };
            let old = Served {
                invocations: (all.invocations - new.invocations).max(0.0),
                errors: (all.errors - new.errors).max(0.0),
            };
            (deployment.group.clone(), VersionTraffic { new, old })
        })
        .collect())
}

/// A one-minute `Sum` of `metric` through the alias: of the new version alone, or of both.
fn query(id: &str, metric: &str, deployment: &Shifting, new_version_only: bool) -> MetricDataQuery {
    let dimension = |name: &str, value: &str| Dimension::builder().name(name).value(value).build();
    let mut dimensions = vec![
        dimension("FunctionName", &deployment.function_name),
        dimension(
            "Resource",
            &format!("{}:{}", deployment.function_name, deployment.alias),
        ),
    ];
    if new_version_only {
        dimensions.push(dimension("ExecutedVersion", &deployment.new_version));
    }
    let metric = Metric::builder()
        .namespace("AWS/Lambda")
        .metric_name(metric)
        .set_dimensions(Some(dimensions))
        .build();
    MetricDataQuery::builder()
        .id(id)
        .metric_stat(
            MetricStat::builder()
                .metric(metric)
                .period(60)
                .stat("Sum")
                .build(),
        )
        .return_data(true)
        .build()
}
