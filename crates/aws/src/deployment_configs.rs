//! How each deployment config moves traffic. CodeDeploy's predefined Lambda configs are known
//! by name and cost no call; a custom config is asked about once: CodeDeploy cannot change a
//! config, so a watch carries what it read to its next polls.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_codedeploy::types::{TrafficRoutingConfig, TrafficRoutingType};
use aws_sdk_codedeploy::Client;
use serde::{Deserialize, Serialize};

use super::bounded::InFlight;
use super::codedeploy;
use super::failure::Failure;

/// How a deployment config moves traffic to the new version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Routing {
    AllAtOnce,
    /// `percent` for `minutes`, then the rest.
    Canary {
        percent: u32,
        minutes: u32,
    },
    /// `percent` more every `minutes`.
    Linear {
        percent: u32,
        minutes: u32,
    },
}

/// CodeDeploy's predefined Lambda configs, as GetDeploymentConfig describes them.
const PREDEFINED: [(&str, Routing); 9] = [
    ("CodeDeployDefault.LambdaAllAtOnce", Routing::AllAtOnce),
    ("CodeDeployDefault.LambdaCanary10Percent5Minutes", canary(5)),
    (
        "CodeDeployDefault.LambdaCanary10Percent10Minutes",
        canary(10),
    ),
    (
        "CodeDeployDefault.LambdaCanary10Percent15Minutes",
        canary(15),
    ),
    (
        "CodeDeployDefault.LambdaCanary10Percent30Minutes",
        canary(30),
    ),
    (
        "CodeDeployDefault.LambdaLinear10PercentEvery1Minute",
        linear(1),
    ),
    (
        "CodeDeployDefault.LambdaLinear10PercentEvery2Minutes",
        linear(2),
    ),
    (
        "CodeDeployDefault.LambdaLinear10PercentEvery3Minutes",
        linear(3),
    ),
    (
        "CodeDeployDefault.LambdaLinear10PercentEvery10Minutes",
        linear(10),
    ),
];

const fn canary(minutes: u32) -> Routing {
    Routing::Canary {
        percent: 10,
        minutes,
    }
}

const fn linear(minutes: u32) -> Routing {
    Routing::Linear {
        percent: 10,
        minutes,
    }
}

fn predefined(name: &str) -> Option<Routing> {
    PREDEFINED
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, routing)| *routing)
}

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

    /// The table against the names: `Canary<P>Percent<M>Minutes`, `Linear<P>PercentEvery<M>
    /// Minute(s)`, read here independently of the table's own spelling.
    #[test]
    fn each_predefined_config_routes_as_its_name_says() {
        for (name, routing) in PREDEFINED {
            let short = name
                .strip_prefix("CodeDeployDefault.Lambda")
                .expect("a Lambda config");
            let numbers: Vec<u32> = short
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|digits| digits.parse().ok())
                .collect();
            let expected = match (short, numbers.as_slice()) {
                ("AllAtOnce", []) => Routing::AllAtOnce,
                (s, [percent, minutes]) if s.starts_with("Canary") => Routing::Canary {
                    percent: *percent,
                    minutes: *minutes,
                },
                (s, [percent, minutes]) if s.starts_with("Linear") => Routing::Linear {
                    percent: *percent,
                    minutes: *minutes,
                },
                _ => panic!("{name} is not a name CodeDeploy gives its Lambda configs"),
            };
            assert_eq!(routing, expected, "{name}");
        }
    }

    #[test]
    fn only_custom_configs_are_carried() {
        let routings = BTreeMap::from([
            (
                "CodeDeployDefault.LambdaAllAtOnce".to_owned(),
                Routing::AllAtOnce,
            ),
            ("svc-dev-linear".to_owned(), linear(2)),
        ]);
        assert_eq!(
            custom(&routings),
            BTreeMap::from([("svc-dev-linear".to_owned(), linear(2))])
        );
    }
}
