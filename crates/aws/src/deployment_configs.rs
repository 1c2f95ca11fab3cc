//! How each deployment config moves traffic. CodeDeploy's predefined Lambda configs are known
//! by name and cost no call; a custom config is asked about once: CodeDeploy cannot change a
//! config, so a watch carries what it read to its next polls.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_codedeploy::types::{TrafficRoutingConfig, TrafficRoutingType};
use aws_sdk_codedeploy::Client;

use super::bounded::InFlight;
use super::codedeploy;
use super::failure::Failure;

pub(crate) use serverless_canary_core::Routing;
// A predefined config is known by name and costs no call.
use serverless_canary_core::predefined_config_routing as predefined;

/// Config name -> how it routes traffic, for the configs of `names` that exist: the predefined
/// ones by name, those of `known` (custom ones an earlier poll read), and the rest asked (a
/// config deleted since its deployment has a routing that is simply unknown). The custom ones
/// read are also in the second map, for the next poll.
pub(crate) async fn routings(
    client: &Client,
    limit: &InFlight,
    names: &BTreeSet<&str>,
    known: &BTreeMap<String, Routing>,
) -> (BTreeMap<String, Routing>, Vec<Failure>) {
    let mut out = BTreeMap::new();
    let mut unknown = BTreeSet::new();
    for name in names {
        match predefined(name).or_else(|| known.get(*name).copied()) {
            Some(routing) => {
                out.insert(name.to_string(), routing);
            }
            None => {
                unknown.insert(*name);
            }
        }
    }
    let (found, failures) = codedeploy::configs(client, limit, &unknown).await;
    out.extend(
        found
            .into_iter()
            .filter_map(|(name, info)| Some((name, routing(info?.traffic_routing_config()?)?))),
    );
    (out, failures)
}

/// The custom configs of `routings`: what a watch carries to its next poll.
pub(crate) fn custom(routings: &BTreeMap<String, Routing>) -> BTreeMap<String, Routing> {
    routings
        .iter()
        .filter(|(name, _)| predefined(name).is_none())
        .map(|(name, routing)| (name.clone(), *routing))
        .collect()
}

fn routing(config: &TrafficRoutingConfig) -> Option<Routing> {
    Some(match config.r#type()? {
        TrafficRoutingType::TimeBasedCanary => {
            let canary = config.time_based_canary()?;
            Routing::Canary {
                percent: non_negative(canary.canary_percentage()),
                minutes: non_negative(canary.canary_interval()),
            }
        }
        TrafficRoutingType::TimeBasedLinear => {
            let linear = config.time_based_linear()?;
            Routing::Linear {
                percent: non_negative(linear.linear_percentage()),
                minutes: non_negative(linear.linear_interval()),
            }
        }
        _ => Routing::AllAtOnce,
    })
}

fn non_negative(value: i32) -> u32 {
    u32::try_from(value).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINEAR_2: Routing = Routing::Linear {
        percent: 10,
        minutes: 2,
    };

    #[test]
    fn only_custom_configs_are_carried() {
        let routings = BTreeMap::from([
            (
                "CodeDeployDefault.LambdaAllAtOnce".to_owned(),
                Routing::AllAtOnce,
            ),
            ("svc-dev-linear".to_owned(), LINEAR_2),
        ]);
        assert_eq!(
            custom(&routings),
            BTreeMap::from([("svc-dev-linear".to_owned(), LINEAR_2)])
        );
    }
}
