//! `alarms` and `canaryAlarms`: each entry read, and how many alarms the deployment group gets
//! with those the plugin attaches, against CodeDeploy's limit.

use serde_json::Value;
use std::collections::HashMap;

use super::alarm::{read_definition, DEFINITION_KEYS};
use super::canary_alarm::{read_canary_alarms, CanaryAlarm};
use super::fields::{report_unknown_keys, MAX_ALARMS};
use super::json::{is_intrinsic, mistyped, plain_object};
use super::layers::Layers;
use super::strings::read_string;
use super::verification::Baseline;
use super::{AlarmRef, Sourced};
use crate::diagnostics::{self as diag, Diagnostics};

pub(super) fn read_alarms(
    layers: &Layers,
    diagnostics: &mut Diagnostics,
) -> Vec<Sourced<AlarmRef>> {
    let Some((value, path)) = layers.get("alarms") else {
        return Vec::new();
    };
    let items = match value {
        Value::Array(items) => items,
        Value::Null => return Vec::new(),
        other => {
            diagnostics.push(mistyped(&path, "a list of alarms", other));
            return Vec::new();
        }
    };
    if items.len() > MAX_ALARMS {
        diagnostics.push(diag::too_many(&path, "alarms", items.len(), MAX_ALARMS));
    }
    let alarms: Vec<Sourced<AlarmRef>> = items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let path = format!("{path}[{i}]");
            read_alarm(item, &path, diagnostics).map(|value| Sourced { value, path })
        })
        .collect();
    let mut first_named: HashMap<&str, String> = HashMap::new();
    for alarm in &alarms {
        if let AlarmRef::Inline(definition) = &alarm.value {
            let name_path = format!("{}.name", alarm.path);
            match first_named.get(definition.name.as_str()) {
                Some(first) => diagnostics.push(diag::duplicate_alarm_name(
                    &name_path,
                    &definition.name,
                    first,
                )),
                None => {
                    first_named.insert(&definition.name, name_path);
                }
            }
        }
    }
    alarms
}

fn read_alarm(item: &Value, path: &str, diagnostics: &mut Diagnostics) -> Option<AlarmRef> {
    // An intrinsic, or YAML's `.nan`: an object, but not a map of alarm keys.
    if item.is_object() && plain_object(item).is_none() {
        diagnostics.push(mistyped(path, "an alarm", item));
        return None;
    }
    match item {
        Value::String(_) => read_string(item, path, diagnostics).map(AlarmRef::LogicalId),
        // Any key beside `name` makes it a definition; `{name}` alone names an existing alarm.
        Value::Object(map) if map.keys().any(|key| key != "name") => {
            report_unknown_keys(map, path, &DEFINITION_KEYS, diagnostics);
            read_definition(map, path, diagnostics)
                .map(|definition| AlarmRef::Inline(Box::new(definition)))
        }
        Value::Object(map) => match map.get("name") {
            Some(name) if is_intrinsic(name) => Some(AlarmRef::Name(name.clone())),
            Some(name) => read_string(name, &format!("{path}.name"), diagnostics)
                .map(|name| AlarmRef::Name(Value::String(name))),
            None => {
                diagnostics.push(diag::invalid_alarm_reference(path));
                None
            }
        },
        _ => {
            diagnostics.push(diag::invalid_alarm_reference(path));
            None
        }
    }
}

/// `canaryAlarms`.
pub(super) fn read_canary_alarm_list(
    layers: &Layers,
    diagnostics: &mut Diagnostics,
) -> Vec<Sourced<CanaryAlarm>> {
    let Some((value, path)) = layers.get("canaryAlarms") else {
        return Vec::new();
    };
    read_canary_alarms(value, &path, diagnostics)
}

/// The alarms a group gets beside `alarms`: the `compareToBaseline` ones and the composite of
/// `canaryAlarms`. Reported once, at the key that goes over CodeDeploy's 10, when `alarms`
/// alone does not already.
pub(super) fn check_attached_alarms(
    layers: &Layers,
    alarms: usize,
    canary_alarms: &[Sourced<CanaryAlarm>],
    baseline: Option<&Sourced<Baseline>>,
    diagnostics: &mut Diagnostics,
) {
    if alarms > MAX_ALARMS {
        return;
    }
    let mut attached = alarms;
    let baseline_count = baseline.map_or(0, |b| b.value.alarm_count());
    let added = [
        ("compareToBaseline", baseline_count),
        ("canaryAlarms", usize::from(!canary_alarms.is_empty())),
    ];
    for (key, count) in added {
        attached += count;
        if count > 0 && attached > MAX_ALARMS {
            let path = layers.get(key).map(|(_, path)| path).unwrap_or_default();
            diagnostics.push(diag::too_many(
                &path,
                "alarms (with those the plugin attaches for `compareToBaseline` and `canaryAlarms`)",
                attached,
                MAX_ALARMS,
            ));
            return;
        }
    }
}
