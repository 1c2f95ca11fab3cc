//! Deployment types: how CodeDeploy moves traffic from the old version to the new one.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::limits;

/// The predefined Lambda configurations, by the short name users write in `type`.
/// The full CodeDeploy name is `CodeDeployDefault.Lambda<short name>`.
pub(crate) const PREDEFINED_TYPES: [&str; 9] = [
    "AllAtOnce",
    "Canary10Percent5Minutes",
    "Canary10Percent10Minutes",
    "Canary10Percent15Minutes",
    "Canary10Percent30Minutes",
    "Linear10PercentEvery1Minute",
    "Linear10PercentEvery2Minutes",
    "Linear10PercentEvery3Minutes",
    "Linear10PercentEvery10Minutes",
];

const PREDEFINED_PREFIX: &str = "CodeDeployDefault.Lambda";
/// CodeDeploy's limits for time-based Lambda configs.
pub(crate) const MAX_INTERVAL_MINUTES: u32 = limits::MINUTES_PER_STEP.value as u32;
pub(crate) const MAX_SHIFTING_MINUTES: u32 = limits::SHIFTING_MINUTES.value as u32;
const MAX_PERCENT: u32 = limits::PERCENT_PER_STEP.value as u32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Shift {
    /// `percent` for `minutes`, then the rest.
    Canary,
    /// `percent` more every `minutes`.
    Linear,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum DeploymentType {
    Predefined(&'static str),
    /// A time-based config the plugin creates as an `AWS::CodeDeploy::DeploymentConfig`.
    Custom {
        shift: Shift,
        percent: u32,
        minutes: u32,
    },
    /// A deployment config that exists outside the stack, by name (`type: {name: ...}`).
    Existing(String),
}

/// Why a `type` name was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TypeProblem {
    Unknown,
    /// `CodeDeployDefault.X` that is not one of the Lambda configs.
    NotLambdaPredefined,
    /// The percentage, as written: it may not fit any integer type.
    PercentOutOfRange(String),
    /// The interval in minutes, as written.
    IntervalOutOfRange(String),
    /// Linear shifting would last this many minutes.
    LinearTooLong(u32),
}

impl DeploymentType {
    pub(crate) fn parse(name: &str) -> Result<Self, TypeProblem> {
        if let Some(short) = name.strip_prefix(PREDEFINED_PREFIX) {
            return predefined(short).ok_or(TypeProblem::NotLambdaPredefined);
        }
        if name.starts_with("CodeDeployDefault.") {
            return Err(TypeProblem::NotLambdaPredefined);
        }
        if let Some(found) = predefined(name) {
            return Ok(found);
        }
        let (shift, percent, minutes) = parse_time_based(name).ok_or(TypeProblem::Unknown)?;
        check_limits(shift, percent, minutes).map_err(|problem| as_written(problem, name))?;
        let custom = Self::Custom {
            shift,
            percent,
            minutes,
        };
        // `Canary10Percent5Minute` means the predefined config: use it, create nothing.
        Ok(predefined(&custom.to_string()).unwrap_or(custom))
    }

    /// How long CodeDeploy takes to move all traffic, in minutes: a canary's interval, a linear
    /// config's steps after the first times its interval, 0 all at once. `None` for a config
    /// outside the stack, whose routing is not known here.
    pub(crate) fn shift_minutes(&self) -> Option<u32> {
        let Some((shift, percent, minutes)) = self.routing() else {
            return matches!(self, Self::Predefined(_)).then_some(0);
        };
        Some(match shift {
            Shift::Canary => minutes,
            Shift::Linear => (100_u32.div_ceil(percent.max(1)) - 1) * minutes,
        })
    }

    /// How a time-based type moves traffic: the shift, its percentage and its interval in
    /// minutes. `None` all at once, and for a config outside the stack.
    pub(crate) fn routing(&self) -> Option<(Shift, u32, u32)> {
        match self {
            Self::Predefined(short) => parse_time_based(short),
            Self::Custom {
                shift,
                percent,
                minutes,
            } => Some((*shift, *percent, *minutes)),
            Self::Existing(_) => None,
        }
    }

    /// The `DeploymentConfigName` a group uses, except for custom types, which the group
    /// references by `Ref` to the config the plugin creates.
    pub(crate) fn config_name(&self) -> Option<String> {
        match self {
            Self::Predefined(short) => Some(format!("{PREDEFINED_PREFIX}{short}")),
            Self::Existing(name) => Some(name.clone()),
            Self::Custom { .. } => None,
        }
    }
}

/// The canonical short name: `Canary5Percent1Minute`, `Linear20PercentEvery3Minutes`.
impl fmt::Display for DeploymentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Predefined(short) => f.write_str(short),
            Self::Existing(name) => f.write_str(name),
            Self::Custom {
                shift,
                percent,
                minutes,
            } => {
                let unit = if *minutes == 1 { "Minute" } else { "Minutes" };
                match shift {
                    Shift::Canary => write!(f, "Canary{percent}Percent{minutes}{unit}"),
                    Shift::Linear => write!(f, "Linear{percent}PercentEvery{minutes}{unit}"),
                }
            }
        }
    }
}

/// How a deployment config moves traffic to the new version, as CodeDeploy describes it.
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

/// How one of CodeDeploy's predefined Lambda configs moves traffic, by its full name
/// (`CodeDeployDefault.LambdaCanary10Percent5Minutes`); `None` for any other config, which
/// only CodeDeploy can describe.
pub fn predefined_config_routing(name: &str) -> Option<Routing> {
    let found = predefined(name.strip_prefix(PREDEFINED_PREFIX)?)?;
    Some(match found.routing() {
        None => Routing::AllAtOnce,
        Some((Shift::Canary, percent, minutes)) => Routing::Canary { percent, minutes },
        Some((Shift::Linear, percent, minutes)) => Routing::Linear { percent, minutes },
    })
}

fn predefined(short: &str) -> Option<DeploymentType> {
    PREDEFINED_TYPES
        .iter()
        .find(|known| **known == short)
        .map(|known| DeploymentType::Predefined(known))
}

/// `Canary<P>Percent<M>Minute(s)` or `Linear<P>PercentEvery<M>Minute(s)`.
fn parse_time_based(name: &str) -> Option<(Shift, u32, u32)> {
    let (shift, rest, separator) = if let Some(rest) = name.strip_prefix("Canary") {
        (Shift::Canary, rest, "Percent")
    } else {
        (Shift::Linear, name.strip_prefix("Linear")?, "PercentEvery")
    };
    let (percent, rest) = leading_number(rest)?;
    let (minutes, unit) = leading_number(rest.strip_prefix(separator)?)?;
    matches!(unit, "Minute" | "Minutes").then_some((shift, percent, minutes))
}

fn leading_number(text: &str) -> Option<(u32, &str)> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    // Too large for u32 is out of every range: saturate so the limit is what gets reported.
    let number = text[..digits].parse().unwrap_or(u32::MAX);
    Some((number, &text[digits..]))
}

/// A number out of range is reported as the name spells it, never as the saturated value:
/// the percentage is the name's first run of digits, the interval its second.
fn as_written(problem: TypeProblem, name: &str) -> TypeProblem {
    let mut numbers = name
        .split(|c: char| !c.is_ascii_digit())
        .filter(|digits| !digits.is_empty());
    let percent = numbers.next().unwrap_or_default().to_owned();
    let minutes = numbers.next().unwrap_or_default().to_owned();
    match problem {
        TypeProblem::PercentOutOfRange(_) => TypeProblem::PercentOutOfRange(percent),
        TypeProblem::IntervalOutOfRange(_) => TypeProblem::IntervalOutOfRange(minutes),
        other => other,
    }
}

fn check_limits(shift: Shift, percent: u32, minutes: u32) -> Result<(), TypeProblem> {
    if !(1..=MAX_PERCENT).contains(&percent) {
        return Err(TypeProblem::PercentOutOfRange(String::new()));
    }
    if !(1..=MAX_INTERVAL_MINUTES).contains(&minutes) {
        return Err(TypeProblem::IntervalOutOfRange(String::new()));
    }
    if shift == Shift::Linear {
        // Steps after the first: the last one reaches 100%, so it ends the shifting.
        let total = minutes.saturating_mul(100u32.div_ceil(percent) - 1);
        if total > MAX_SHIFTING_MINUTES {
            return Err(TypeProblem::LinearTooLong(total));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn custom(shift: Shift, percent: u32, minutes: u32) -> DeploymentType {
        DeploymentType::Custom {
            shift,
            percent,
            minutes,
        }
    }

    #[test]
    fn the_predefined_configs_route_as_codedeploy_describes_them_and_no_other_does() {
        let routing =
            |short: &str| predefined_config_routing(&format!("CodeDeployDefault.Lambda{short}"));
        assert_eq!(routing("AllAtOnce"), Some(Routing::AllAtOnce));
        assert_eq!(
            routing("Canary10Percent15Minutes"),
            Some(Routing::Canary {
                percent: 10,
                minutes: 15
            })
        );
        assert_eq!(
            routing("Linear10PercentEvery1Minute"),
            Some(Routing::Linear {
                percent: 10,
                minutes: 1
            })
        );
        assert!(PREDEFINED_TYPES
            .iter()
            .all(|short| routing(short).is_some()));
        // A custom config of the same shape is CodeDeploy's to describe, and so is a short name.
        assert_eq!(routing("Canary20Percent5Minutes"), None);
        assert_eq!(predefined_config_routing("Canary10Percent5Minutes"), None);
        assert_eq!(
            predefined_config_routing("CodeDeployDefault.OneAtATime"),
            None
        );
    }

    #[test]
    fn each_type_shifts_for_its_interval_or_its_steps_after_the_first() {
        let minutes = |name: &str| DeploymentType::parse(name).unwrap().shift_minutes();
        assert_eq!(minutes("AllAtOnce"), Some(0));
        assert_eq!(minutes("Canary10Percent30Minutes"), Some(30));
        assert_eq!(
            minutes("Linear10PercentEvery1Minute"),
            Some(9),
            "10 steps, 9 waits"
        );
        assert_eq!(minutes("Linear10PercentEvery10Minutes"), Some(90));
        assert_eq!(minutes("Canary5Percent20Minutes"), Some(20));
        assert_eq!(
            minutes("Linear30PercentEvery2Minutes"),
            Some(6),
            "30, 60, 90, 100"
        );
        assert_eq!(
            DeploymentType::Existing("team".into()).shift_minutes(),
            None
        );
    }

    #[test]
    fn every_predefined_type_maps_to_its_codedeploy_name() {
        for name in PREDEFINED_TYPES {
            let parsed = DeploymentType::parse(name).expect(name);
            assert_eq!(
                parsed.config_name().unwrap(),
                format!("CodeDeployDefault.Lambda{name}")
            );
            let full = format!("CodeDeployDefault.Lambda{name}");
            assert_eq!(DeploymentType::parse(&full), Ok(parsed));
        }
    }

    #[test]
    fn custom_canary_and_linear_types() {
        assert_eq!(
            DeploymentType::parse("Canary5Percent20Minutes"),
            Ok(custom(Shift::Canary, 5, 20))
        );
        assert_eq!(
            DeploymentType::parse("Linear20PercentEvery1Minute"),
            Ok(custom(Shift::Linear, 20, 1))
        );
        assert_eq!(
            DeploymentType::parse("Canary5Percent1Minutes")
                .unwrap()
                .to_string(),
            "Canary5Percent1Minute",
            "both spellings name one config"
        );
    }

    #[test]
    fn a_custom_spelling_of_a_predefined_type_is_the_predefined_one() {
        assert_eq!(
            DeploymentType::parse("Canary10Percent5Minute"),
            Ok(DeploymentType::Predefined("Canary10Percent5Minutes"))
        );
        assert_eq!(
            DeploymentType::parse("Linear10PercentEvery1Minutes"),
            Ok(DeploymentType::Predefined("Linear10PercentEvery1Minute"))
        );
    }

    #[test]
    fn limits() {
        use TypeProblem::*;
        let parse = DeploymentType::parse;
        assert_eq!(
            parse("Canary0Percent5Minutes"),
            Err(PercentOutOfRange("0".into()))
        );
        assert_eq!(
            parse("Canary100Percent5Minutes"),
            Err(PercentOutOfRange("100".into()))
        );
        assert_eq!(
            parse("Canary5Percent0Minutes"),
            Err(IntervalOutOfRange("0".into()))
        );
        assert_eq!(
            parse("Canary5Percent2881Minutes"),
            Err(IntervalOutOfRange("2881".into()))
        );
        assert!(parse("Canary99Percent2880Minutes").is_ok());
        // 1% every 30 minutes: 99 more steps, 2970 minutes.
        assert_eq!(
            parse("Linear1PercentEvery30Minutes"),
            Err(LinearTooLong(2970))
        );
        // 34% every 1440: steps at 0, 1440, 2880 -> 2880 minutes, exactly the limit.
        assert!(parse("Linear34PercentEvery1440Minutes").is_ok());
        assert_eq!(
            parse("Canary5Percent99999999999Minutes"),
            Err(IntervalOutOfRange("99999999999".into()))
        );
        assert_eq!(
            parse("Canary4294967296Percent5Minutes"),
            Err(PercentOutOfRange("4294967296".into()))
        );
    }

    #[test]
    fn refuses_what_is_not_a_lambda_type() {
        use TypeProblem::*;
        let parse = DeploymentType::parse;
        assert_eq!(
            parse("CodeDeployDefault.OneAtATime"),
            Err(NotLambdaPredefined)
        );
        assert_eq!(
            parse("CodeDeployDefault.LambdaCanary5Percent5Minutes"),
            Err(NotLambdaPredefined)
        );
        for unknown in [
            "",
            "Canary",
            "CanaryTenPercent5Minutes",
            "Canary10Percent5Hours",
            "Linear10Percent1Minute",
            "canary10percent5minutes",
        ] {
            assert_eq!(parse(unknown), Err(Unknown), "{unknown}");
        }
    }
}
