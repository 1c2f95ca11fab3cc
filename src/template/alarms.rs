//! Alarm references: checked against the template, then attached to the deployment group.

use serde_json::{json, Value};

use super::index::TemplateIndex;
use crate::diagnostics::{self as diag, Diagnostic};
use crate::settings::{AlarmRef, Sourced};

const ALARM_TYPE: &str = "AWS::CloudWatch::Alarm";

/// Reports references to alarms the template lacks, or to resources that are not alarms.
pub fn check(
    alarms: &[Sourced<AlarmRef>],
    index: &TemplateIndex,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for alarm in alarms {
        let AlarmRef::LogicalId(id) = &alarm.value else {
            continue;
        };
        match index.type_of(id) {
            Some(ALARM_TYPE) => {}
            Some(other) => diagnostics.push(diag::not_an_alarm(&alarm.path, id, other)),
            None => diagnostics.push(diag::unknown_alarm(
                &alarm.path,
                id,
                &index.ids_of_type(ALARM_TYPE),
            )),
        }
    }
}

/// `AlarmConfiguration` for a group. With no alarms it is explicitly disabled: omitting it
/// would leave alarms from an earlier deploy attached to the group.
pub fn configuration(alarms: &[Sourced<AlarmRef>]) -> Value {
    if alarms.is_empty() {
        return json!({ "Enabled": false });
    }
    let names: Vec<Value> = alarms
        .iter()
        .map(|alarm| match &alarm.value {
            AlarmRef::LogicalId(id) => json!({ "Name": { "Ref": id } }),
            AlarmRef::Name(name) => json!({ "Name": name }),
        })
        .collect();
    json!({ "Enabled": true, "Alarms": names })
}
