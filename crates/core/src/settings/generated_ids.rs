//! The logical IDs that carry a function's own words (its key, its alias, its alarm names), as
//! its settings make them. They must fit CloudFormation's limit, and no two settings may make
//! the same one. Checked from the settings alone, so the standalone check sees it too and both
//! settings can be named, and only where the plugin generates (a stage `stages` turns off
//! generates nothing).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::canary_alarm::CanaryAlarm;
use super::verification::Baseline;
use super::{AlarmRef, FunctionSettings, ServiceSettings, Sourced, TemplateNeeds};
use crate::diagnostics::{self as diag, Diagnostics};
use crate::limits;
use crate::naming;
use crate::template::baseline_alarms;

/// Reports each such ID that is too long, once per setting it comes from (an alias among the
/// custom defaults makes one for every function), and sets its function aside with the
/// incomplete ones: nothing is generated for it. Incomplete functions are checked too, so every
/// problem is reported in one run.
pub(crate) fn refuse_unusable_ids(settings: &mut ServiceSettings, diagnostics: &mut Diagnostics) {
    let mut reported = HashSet::default();
    // Each ID and the setting that first makes it, over every function in service order.
    let mut made_by: HashMap<String, String> = HashMap::default();
    let mut all_fit = |needs: &TemplateNeeds, diagnostics: &mut Diagnostics| {
        let mut fit = true;
        for (i, id) in needs.generated_ids.iter().enumerate() {
            let first = made_by
                .entry(id.value.clone())
                .or_insert_with(|| id.path.clone());
            if *first != id.path {
                fit = false;
                diagnostics.push(diag::generated_id_repeated(&id.path, &id.value, first));
                // The first is the group's, named after the function's own ID: when two
                // functions share that, every ID of theirs does, and one line says it.
                if i == 0 {
                    break;
                }
            }
        }
        for id in &needs.generated_ids {
            if limits::logical_id_fits(&id.value) {
                continue;
            }
            fit = false;
            if reported.insert(id.path.clone()) {
                limits::check_logical_id(&id.value, &id.path, diagnostics);
            }
        }
        fit
    };
    for needs in &settings.incomplete {
        all_fit(needs, diagnostics);
    }
    let (fit, overlong): (Vec<FunctionSettings>, _) = std::mem::take(&mut settings.functions)
        .into_iter()
        .partition(|function| all_fit(&function.needs, diagnostics));
    settings.functions = fit;
    settings
        .incomplete
        .extend(overlong.into_iter().map(|function| function.needs));
}

/// The logical IDs that carry the function's own words: its key, its alias, its alarm names.
pub(super) fn generated_ids(
    name: &str,
    alias: Option<&Sourced<String>>,
    (alarms, canary_alarms): (&[Sourced<AlarmRef>], &[Sourced<CanaryAlarm>]),
    baseline: Option<&Sourced<Baseline>>,
) -> Vec<Sourced<String>> {
    let function_id = naming::function_logical_id(name);
    let mut ids = vec![Sourced {
        value: naming::deployment_group_logical_id(&function_id),
        path: format!("functions.{name}"),
    }];
    if let Some(alias) = alias {
        ids.push(Sourced {
            value: naming::alias_logical_id(&function_id, &alias.value),
            path: alias.path.clone(),
        });
    }
    // A name given twice is reported as `duplicate-alarm-name`: its ID only once.
    let mut names = HashSet::default();
    for alarm in alarms {
        if let AlarmRef::Inline(definition) = &alarm.value {
            if !names.insert(definition.name.as_str()) {
                continue;
            }
            ids.push(Sourced {
                value: naming::alarm_logical_id(name, &definition.name),
                path: format!("{}.name", alarm.path),
            });
        }
    }
    // Two entries named alike are reported as `duplicate-canary-alarm`: their ID only once.
    let mut bases = HashSet::default();
    for alarm in canary_alarms {
        if !bases.insert(alarm.value.base.as_str()) {
            continue;
        }
        ids.push(Sourced {
            value: naming::canary_alarm_logical_id(&function_id, &alarm.value.base),
            path: alarm.path.clone(),
        });
    }
    // The baseline's alarms are named like inline ones: `BaselineErrorRate` written as an
    // alarm name would make the same resource.
    if let Some(baseline) = baseline {
        let comparisons = [
            (baseline.value.error_rate, baseline_alarms::ERROR_RATE_ALARM),
            (baseline.value.p99_ratio, baseline_alarms::P99_ALARM),
        ];
        for (_, alarm) in comparisons.iter().filter(|(set, _)| set.is_some()) {
            ids.push(Sourced {
                value: naming::alarm_logical_id(name, alarm),
                path: baseline.path.clone(),
            });
        }
    }
    ids
}
