//! One alarm listed twice in a function's `alarms`: the same logical ID or `{name}` twice, or
//! a logical ID naming the alarm an inline definition beside it creates. CodeDeploy refuses
//! it: "Each alarm name can be used only once in a list of alarms" (CodeDeploy API, Alarm:
//! https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_Alarm.html). Two inline
//! definitions alike are `duplicate-alarm-name` and `generated-id-repeated`, not this.

use rustc_hash::FxHashMap as HashMap;
use serde_json::Value;

use super::{AlarmRef, Sourced};
use crate::diagnostics::{self as diag, Diagnostics};
use crate::naming;

#[derive(PartialEq, Eq, Hash)]
enum Attached {
    LogicalId(String),
    /// An alarm name, or the intrinsic that gives it, as JSON text.
    Name(String),
}

pub(super) fn check_duplicates(
    function: &str,
    alarms: &[Sourced<AlarmRef>],
    diagnostics: &mut Diagnostics,
) {
    // What each entry attaches -> the first entry attaching it, and whether it is inline.
    let mut seen: HashMap<Attached, (&str, bool)> = HashMap::default();
    for alarm in alarms {
        let (attached, inline) = match &alarm.value {
            AlarmRef::LogicalId(id) => (Attached::LogicalId(id.clone()), false),
            AlarmRef::Inline(definition) => (
                Attached::LogicalId(naming::alarm_logical_id(function, &definition.name)),
                true,
            ),
            AlarmRef::Name(name) => (Attached::Name(shown(name)), false),
        };
        match seen.get(&attached) {
            Some(&(first, first_inline)) if !(inline && first_inline) => {
                let (Attached::LogicalId(shown) | Attached::Name(shown)) = &attached;
                diagnostics.push(diag::duplicate_alarm(&alarm.path, shown, first));
            }
            Some(_) => {}
            None => {
                seen.insert(attached, (&alarm.path, inline));
            }
        }
    }
}

fn shown(name: &Value) -> String {
    match name {
        Value::String(name) => name.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::settings::alarm::read_definition;

    fn at(i: usize, value: AlarmRef) -> Sourced<AlarmRef> {
        Sourced {
            value,
            path: format!("alarms[{i}]"),
        }
    }

    fn problems(alarms: &[Sourced<AlarmRef>]) -> Vec<String> {
        let mut diagnostics = Diagnostics::default();
        check_duplicates("hello", alarms, &mut diagnostics);
        diagnostics.iter().map(ToString::to_string).collect()
    }

    fn inline(name: &str) -> AlarmRef {
        let definition = json!({"name": name, "metric": "Errors", "threshold": 1});
        let definition = read_definition(
            definition.as_object().unwrap(),
            "a",
            &mut Diagnostics::default(),
        );
        AlarmRef::Inline(Box::new(definition.unwrap()))
    }

    #[test]
    fn each_alarm_is_attached_once_and_both_places_are_named() {
        let id = |id: &str| AlarmRef::LogicalId(id.into());
        let name = |name: Value| AlarmRef::Name(name);
        assert_eq!(
            problems(&[
                at(0, id("HelloErrorsAlarm")),
                at(1, name(json!("team-alarm"))),
                at(2, inline("Check")),
                at(3, id("HelloErrorsAlarm")),
                at(4, name(json!("team-alarm"))),
                at(5, id("HelloCheckAlarm")),
                at(6, name(json!({"Fn::ImportValue": "alarm"}))),
                at(7, name(json!({"Fn::ImportValue": "alarm"}))),
            ]),
            [
                "error[duplicate-alarm] alarms[3]: CodeDeploy takes each alarm once in a deployment group's alarms, and `HelloErrorsAlarm` is attached already by `alarms[0]` (remove one of the two)",
                "error[duplicate-alarm] alarms[4]: CodeDeploy takes each alarm once in a deployment group's alarms, and `team-alarm` is attached already by `alarms[1]` (remove one of the two)",
                "error[duplicate-alarm] alarms[5]: CodeDeploy takes each alarm once in a deployment group's alarms, and `HelloCheckAlarm` is attached already by `alarms[2]` (remove one of the two)",
                "error[duplicate-alarm] alarms[7]: CodeDeploy takes each alarm once in a deployment group's alarms, and `{\"Fn::ImportValue\":\"alarm\"}` is attached already by `alarms[6]` (remove one of the two)",
            ]
        );
    }

    #[test]
    fn a_name_and_a_logical_id_alike_are_different_alarms_and_two_inline_ones_are_reported_elsewhere(
    ) {
        assert!(problems(&[
            at(0, AlarmRef::LogicalId("Shared".into())),
            at(1, AlarmRef::Name(json!("Shared"))),
            at(2, inline("Check")),
            at(3, inline("Check")),
        ])
        .is_empty());
    }
}
