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
#[derive(Debug, Clone, Copy)]
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
    /// that joins them.
    CanaryAlarms(&'a [Sourced<CanaryAlarm>]),
}

impl AttachedAlarm<'_> {
    /// How `canary:plan` and the warnings name it: one label per alarm the user asked for.
    pub(crate) fn labels(&self) -> Vec<String> {
        match self {
            Self::Listed(alarm) => vec![alarm.value.label()],
            Self::Baseline { comparison, .. } => {
                vec![format!("compareToBaseline.{}", comparison.key())]
            }
            Self::CanaryAlarms(alarms) => alarms
                .iter()
                .map(|alarm| format!("canaryAlarms {}", alarm.value.base))
                .collect(),
        }
    }
}

/// `function`'s attached alarms, in the order its group lists them: `alarms` as written, the
/// `compareToBaseline` comparisons, then the composite of its `canaryAlarms`.
pub(crate) fn attached_alarms(function: &FunctionSettings) -> Vec<AttachedAlarm<'_>> {
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
    let canary = (!function.canary_alarms.is_empty())
        .then(|| AttachedAlarm::CanaryAlarms(&function.canary_alarms));
    listed.chain(baseline).chain(canary).collect()
}
