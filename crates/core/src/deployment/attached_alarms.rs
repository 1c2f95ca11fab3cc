//! The alarms a function's deployment group watches: CodeDeploy stops the deployment and
//! rolls it back when one of them is in ALARM.

use crate::settings::canary_alarm::CanaryAlarm;
use crate::settings::verification::Baseline;
use crate::settings::{AlarmRef, FunctionSettings, Sourced};
use crate::template::baseline_alarms::{ERROR_RATE_ALARM, P99_ALARM};

/// One comparison of `compareToBaseline`, each an alarm of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Comparison {
    ErrorRate,
    P99Ratio,
}

impl Comparison {
    /// Its key under `compareToBaseline`.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Self::ErrorRate => "errorRate",
            Self::P99Ratio => "p99Ratio",
        }
    }

    /// The name its alarm's logical ID is made from, as for an inline alarm.
    pub(crate) fn alarm_name(self) -> &'static str {
        match self {
            Self::ErrorRate => ERROR_RATE_ALARM,
            Self::P99Ratio => P99_ALARM,
        }
    }
}

/// An alarm a function's deployment group watches.
#[derive(Debug, Clone)]
pub(crate) enum AttachedAlarm<'a> {
    /// An entry of `alarms`: generated from its definition, or the stack's or the account's
    /// alarm it names.
    Listed(&'a Sourced<AlarmRef>),
    /// A comparison of `compareToBaseline`, generated.
    Baseline {
        comparison: Comparison,
        threshold: f64,
        setting: &'a Sourced<Baseline>,
    },
    /// The function's `canaryAlarms` (not empty): the group watches the stack's composite alarm
    /// that joins them with those of the other functions in its stack (`shared_with`), so any
    /// of theirs in ALARM rolls this function back too, as in the Flagsmith fork.
    CanaryComposite {
        own: &'a [Sourced<CanaryAlarm>],
        shared_with: Vec<&'a str>,
    },
}

/// Other functions a label names before "and N more": a service may have hundreds.
const FUNCTIONS_NAMED: usize = 5;

impl AttachedAlarm<'_> {
    /// How `canary:plan` and the warnings name it: one label per alarm the user asked for.
    pub(crate) fn labels(&self) -> Vec<String> {
        match self {
            Self::Listed(alarm) => vec![alarm.value.label()],
            Self::Baseline { comparison, .. } => {
                vec![format!("compareToBaseline.{}", comparison.key())]
            }
            Self::CanaryComposite { own, shared_with } => {
                let mut labels: Vec<String> = own
                    .iter()
                    .map(|alarm| format!("canaryAlarms {}", alarm.value.base))
                    .collect();
                if !shared_with.is_empty() {
                    labels.push(format!("canaryAlarms of {}", named(shared_with)));
                }
                labels
            }
        }
    }
}

/// `worker`, `a and b`, `a, b, c, d, e and 3 more`.
fn named(functions: &[&str]) -> String {
    let shown = &functions[..functions.len().min(FUNCTIONS_NAMED)];
    match (functions.len() - shown.len(), shown) {
        (0, [one]) => (*one).to_owned(),
        (0, [first @ .., last]) => format!("{} and {last}", first.join(", ")),
        (more, _) => format!("{} and {more} more", shown.join(", ")),
    }
}

/// `function`'s attached alarms, in the order its group lists them: `alarms` as written, the
/// `compareToBaseline` comparisons, then the composite of its `canaryAlarms`, which joins those
/// of `functions_sharing` (from `Composites`, the function itself among them; empty where no
/// composite is generated, as for the checks before a deploy).
pub(crate) fn attached_alarms<'a>(
    function: &'a FunctionSettings,
    functions_sharing: &'a [String],
) -> Vec<AttachedAlarm<'a>> {
    let listed = function.alarms().iter().map(AttachedAlarm::Listed);
    let baseline = function.baseline.iter().flat_map(|setting| {
        let comparisons = [
            (setting.value.error_rate, Comparison::ErrorRate),
            (setting.value.p99_ratio, Comparison::P99Ratio),
        ];
        comparisons
            .into_iter()
            .filter_map(move |(threshold, comparison)| {
                Some(AttachedAlarm::Baseline {
                    comparison,
                    threshold: threshold?,
                    setting,
                })
            })
    });
    let canary = (!function.canary_alarms.is_empty()).then(|| AttachedAlarm::CanaryComposite {
        own: &function.canary_alarms,
        shared_with: functions_sharing
            .iter()
            .map(String::as_str)
            .filter(|other| *other != function.name())
            .collect(),
    });
    listed.chain(baseline).chain(canary).collect()
}
