//! `sls canary:plan`: what the next deploy will do, before it starts. Per canaried function:
//! its shift and how long it takes, its hooks, its alarms and what they watch, what now calls
//! it through the alias and what was warned. For the release: how long traffic shifts in all.
//! With `--aws`: which functions deploy for the first time (nothing shifts) and which alarms
//! fire now. Built only when asked, so packaging never pays for it.

mod render;

pub use render::render;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::deployment::{
    attached_alarms, traffic_hooks, AttachedAlarm, Comparison, GeneratedHook, HookRunner,
};
use crate::diagnostics::{Diagnostic, Severity};
use crate::settings::{scope::LAMBDA_NAMESPACE, AlarmRef, FunctionSettings};
use crate::template::bypass::Bypass;
use crate::template::concurrency::{self, Deploying};
use crate::traffic::DeploymentType;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleasePlan {
    pub service: String,
    pub stage: String,
    pub functions: Vec<FunctionRelease>,
    /// How long traffic shifts in all, with what the stack's deployment configs say.
    pub minutes: u32,
    /// The functions whose shift is the release's longest, or that end the longest chain.
    pub longest: Vec<String>,
    /// `maxConcurrentDeployments`, when it puts the deployments in chains: how many.
    pub chains: Option<usize>,
    /// Functions whose config lives outside the stack: their length is not known here.
    pub unknown_length: Vec<String>,
    /// `--canary-bypass`: whether the hooks still run.
    pub bypass: Option<BypassPlan>,
    /// What was warned about the service rather than one function.
    pub warnings: Vec<String>,
    /// Whether AWS was asked (`--aws`).
    pub asked_aws: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BypassPlan {
    pub hooks_run: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FunctionRelease {
    pub function: String,
    /// The configured type, as written in its canonical spelling.
    #[serde(rename = "type")]
    pub deployment_type: String,
    pub alias: String,
    /// How its traffic moves, in words.
    pub shift: String,
    /// How long its traffic takes to move; `None` for a config outside the stack.
    pub minutes: Option<u32>,
    pub hooks: Vec<Hook>,
    pub alarms: Vec<Alarm>,
    /// Resources that now call it through the alias.
    pub routes: Vec<Route>,
    /// Each warning about it, rendered.
    pub warnings: Vec<String>,
    /// `--aws`: no alias deployed yet, so CloudFormation creates it on the new version and
    /// nothing shifts. `None` when AWS was not asked or could not say.
    pub first_release: Option<bool>,
    /// `--aws`: its alarms in state ALARM now; CodeDeploy would stop the deployment at once.
    pub firing: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hook {
    /// `beforeAllowTraffic` or `afterAllowTraffic`.
    pub when: String,
    /// What runs: a function of the service, or the plugin's check in words.
    pub runs: String,
    /// `false` when this deploy leaves it out (`--canary-bypass`).
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Alarm {
    pub name: String,
    /// Which invocations it counts, or where it is defined.
    pub watches: String,
    /// `false` when this deploy does not consult it (`--canary-bypass`).
    pub consulted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Route {
    pub logical_id: String,
    #[serde(rename = "type")]
    pub resource_type: String,
}

/// What `--aws` found: the functions without a deployed alias (`None`: the stack could not be
/// read) and the attached alarms in state ALARM, by config path.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseFacts {
    pub first_releases: Option<Vec<String>>,
    pub firing: Vec<Firing>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Firing {
    pub path: String,
    pub name: String,
}

/// `canary:plan --aws`: what the account said, asked before the packaging and handed to the
/// plan with its input, so the release is described once, with it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountFacts {
    #[serde(flatten)]
    pub release: ReleaseFacts,
    /// The `--aws` checks' problems, each rendered at its config path.
    pub problems: Vec<AccountProblem>,
    /// How many of them would fail the deploy.
    pub errors: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountProblem {
    pub path: String,
    pub rendered: String,
}

impl AccountFacts {
    pub fn new(release: ReleaseFacts, diagnostics: &[Diagnostic]) -> Self {
        AccountFacts {
            release,
            problems: diagnostics
                .iter()
                .map(|d| AccountProblem {
                    path: d.path.clone(),
                    rendered: d.to_string(),
                })
                .collect(),
            errors: diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count(),
        }
    }
}

/// A plan and the lines `canary:plan` prints for it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Described<'p> {
    pub plan: &'p ReleasePlan,
    pub lines: Vec<String>,
    /// `--aws`: how many of the account's problems would fail the deploy.
    pub aws_errors: usize,
}

/// One canaried function as the plan generated it.
pub(crate) struct Planned<'a> {
    pub settings: &'a FunctionSettings,
    /// The functions whose `canaryAlarms` share its composite (`Composites`).
    pub functions_sharing: &'a [String],
    pub routes: Vec<Route>,
}

impl FunctionRelease {
    pub(crate) fn new(planned: Planned, bypass: Option<Bypass>) -> Self {
        let function = planned.settings;
        let (shift, minutes) = match bypass {
            Some(_) => ("all at once (--canary-bypass)".to_owned(), Some(0)),
            None => (
                shift_words(&function.deployment_type),
                function.deployment_type.shift_minutes(),
            ),
        };
        FunctionRelease {
            function: function.name().to_owned(),
            deployment_type: function.deployment_type.to_string(),
            alias: function.alias.clone(),
            shift,
            minutes,
            hooks: hooks(function, bypass),
            alarms: alarms(function, planned.functions_sharing, bypass.is_none()),
            routes: planned.routes,
            ..FunctionRelease::default()
        }
    }
}

impl ReleasePlan {
    /// The release of `functions`, deployed together or in the plan's `maxConcurrentDeployments`
    /// chains (indexes into `functions`, each in the order its deployments run).
    pub(crate) fn new(
        (service, stage): (&str, &str),
        functions: Vec<FunctionRelease>,
        chains: Option<Vec<Vec<usize>>>,
        bypass: Option<Bypass>,
    ) -> Self {
        let deploying: Vec<Deploying> = functions
            .iter()
            .map(|f| Deploying {
                alias_id: &f.function,
                minutes: f.minutes,
            })
            .collect();
        let (minutes, longest) = match &chains {
            Some(chains) => {
                let lengths = concurrency::chain_minutes(&deploying, chains);
                let minutes = lengths.iter().copied().max().unwrap_or(0);
                let ends_last = lengths
                    .iter()
                    .position(|&length| length == minutes)
                    .map(|at| {
                        chains[at]
                            .iter()
                            .map(|&i| functions[i].function.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                (minutes, ends_last)
            }
            None => {
                let minutes = functions
                    .iter()
                    .filter_map(|f| f.minutes)
                    .max()
                    .unwrap_or(0);
                let longest = functions
                    .iter()
                    .filter(|f| f.minutes == Some(minutes))
                    .map(|f| f.function.clone())
                    .collect();
                (minutes, longest)
            }
        };
        ReleasePlan {
            service: service.to_owned(),
            stage: stage.to_owned(),
            minutes,
            longest,
            chains: chains.as_ref().map(Vec::len),
            unknown_length: functions
                .iter()
                .filter(|f| f.minutes.is_none())
                .map(|f| f.function.clone())
                .collect(),
            bypass: bypass.map(|b| BypassPlan {
                hooks_run: !b.skip_hooks,
            }),
            functions,
            warnings: Vec::new(),
            asked_aws: false,
        }
    }

    /// Hands each warning to the function it is about, the rest to the release.
    pub(crate) fn take_warnings(&mut self, diagnostics: &[Diagnostic]) {
        let index = self.index();
        for diagnostic in diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
        {
            match about(&index, &diagnostic.path) {
                Some(at) => self.functions[at].warnings.push(diagnostic.to_string()),
                None => self.warnings.push(diagnostic.to_string()),
            }
        }
    }

    /// What AWS said (`--aws`): first releases, alarms firing, and its problems.
    pub(crate) fn add_facts(&mut self, account: &AccountFacts) {
        let facts = &account.release;
        self.asked_aws = true;
        let index = self.index();
        for function in &mut self.functions {
            function.first_release = facts
                .first_releases
                .as_ref()
                .map(|first| first.contains(&function.function));
        }
        for firing in &facts.firing {
            if let Some(at) = about(&index, &firing.path) {
                self.functions[at].firing.push(firing.name.clone());
            }
        }
        for problem in &account.problems {
            // An alarm firing is said on the function's own line.
            if facts.firing.iter().any(|f| f.path == problem.path) {
                continue;
            }
            match about(&index, &problem.path) {
                Some(at) => self.functions[at].warnings.push(problem.rendered.clone()),
                None => self.warnings.push(problem.rendered.clone()),
            }
        }
    }

    /// Function name -> its place, so each problem finds its function in one lookup.
    fn index(&self) -> HashMap<String, usize> {
        let names = self.functions.iter().map(|f| f.function.clone());
        names.enumerate().map(|(at, name)| (name, at)).collect()
    }
}

/// The function a config path is about: `functions.<name>` or below it. The name is the path
/// up to one of its dots, or all of it (a function's key may hold a dot itself).
fn about(index: &HashMap<String, usize>, path: &str) -> Option<usize> {
    let rest = path.strip_prefix("functions.")?;
    let ends = rest
        .match_indices('.')
        .map(|(at, _)| at)
        .chain([rest.len()]);
    ends.filter_map(|end| index.get(&rest[..end]).copied())
        .next()
}

/// How a type moves the traffic, in words.
fn shift_words(deployment_type: &DeploymentType) -> String {
    let Some(minutes) = deployment_type.shift_minutes() else {
        return format!("as deployment config `{deployment_type}` says (outside the stack)");
    };
    match deployment_type.routing() {
        None => "all at once".to_owned(),
        Some((crate::traffic::Shift::Canary, percent, interval)) => format!(
            "{percent}% for {}, then the rest",
            count(interval, "minute")
        ),
        Some((crate::traffic::Shift::Linear, percent, interval)) => format!(
            "{percent}% more every {}, in {} steps",
            count(interval, "minute"),
            minutes / interval.max(1) + 1
        ),
    }
}

fn hooks(function: &FunctionSettings, bypass: Option<Bypass>) -> Vec<Hook> {
    traffic_hooks(function, bypass)
        .map(|hook| Hook {
            when: hook.event.name().to_owned(),
            runs: match hook.runner {
                HookRunner::Function(name) => format!("function {name}"),
                HookRunner::Generated(GeneratedHook::SmokeTest) => {
                    format!("smoke test {}", function.smoke_test_names())
                }
                HookRunner::Generated(GeneratedHook::TrafficGuard) => format!(
                    "traffic guard, at least {} invocations of the new version",
                    function.min_traffic.unwrap_or_default()
                ),
            },
            active: hook.runs,
        })
        .collect()
}

fn alarms(
    function: &FunctionSettings,
    functions_sharing: &[String],
    consulted: bool,
) -> Vec<Alarm> {
    let alarm = |name: String, watches: String| Alarm {
        name,
        watches,
        consulted,
    };
    let mut alarms = Vec::new();
    for attached in attached_alarms(function, functions_sharing) {
        let watches = match attached {
            AttachedAlarm::Listed(entry) => match &entry.value {
                AlarmRef::Inline(definition) if definition.namespace != LAMBDA_NAMESPACE => {
                    format!("{} {}", definition.namespace, definition.metric)
                }
                AlarmRef::Inline(definition) if definition.dimensions.is_some() => {
                    format!("{}, with the dimensions as written", definition.metric)
                }
                AlarmRef::Inline(definition) => {
                    format!("{} of {}", definition.metric, scope_words(definition.scope))
                }
                AlarmRef::LogicalId(_) => "defined in the stack".to_owned(),
                AlarmRef::Name(_) => "outside the stack".to_owned(),
            },
            AttachedAlarm::Baseline {
                comparison: Comparison::ErrorRate,
                ..
            } => "error rate of the new version against the old one's".to_owned(),
            AttachedAlarm::Baseline {
                comparison: Comparison::P99Ratio,
                ..
            } => "p99 duration of the new version against the alias's".to_owned(),
            AttachedAlarm::CanaryComposite {
                ref shared_with, ..
            } => {
                // One composite to the group, but each of its own alarms is a line of the
                // plan, and the other functions' alarms in it one more, last.
                let mut labels = attached.labels();
                let shared = (!shared_with.is_empty()).then(|| labels.pop()).flatten();
                let own = "the new version only, in the stack's composite alarm";
                alarms.extend(labels.into_iter().map(|label| alarm(label, own.to_owned())));
                let theirs = "their new versions, in the same composite alarm: any of them in ALARM rolls this function back too";
                alarms.extend(shared.map(|label| alarm(label, theirs.to_owned())));
                continue;
            }
        };
        for label in attached.labels() {
            alarms.push(alarm(label, watches.clone()));
        }
    }
    alarms
}

fn scope_words(scope: crate::settings::scope::Scope) -> &'static str {
    use crate::settings::scope::Scope;
    match scope {
        Scope::Canary => "the new version only",
        Scope::Alias => "old and new version through the alias",
        Scope::Function => "every version of the function",
    }
}

/// `1 minute`, `5 minutes`.
pub(crate) fn count(n: u32, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[cfg(test)]
mod tests;
