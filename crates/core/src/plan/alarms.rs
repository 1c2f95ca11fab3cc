//! Each function's deployment group and the alarms it watches: inline, `compareToBaseline`,
//! and the `canaryAlarms` joined in the stack's composite alarms.

use crate::deployment::{attached_alarms, AttachedAlarm};
use crate::diagnostics::Diagnostics;
use crate::naming;
use crate::settings::AlarmRef;
use crate::template::alarms::{self, Watched};
use crate::template::codedeploy::{self, GroupSpec};
use crate::template::composites::Composites;
use crate::template::{baseline_alarms, bypass, canary_alarms, given_role, Changes};

use super::checks::Canary;
use super::generate::Generator;

impl<'t> Generator<'_, 't> {
    /// The composite alarms the functions' `canaryAlarms` will join, one per stack.
    pub(super) fn composites(&self, canaries: &[Canary]) -> Composites {
        let with_canary_alarms = canaries.iter().filter_map(|c| {
            Some((
                c.settings.name(),
                c.function_id.as_str(),
                c.settings.canary_alarms.first()?.path.as_str(),
            ))
        });
        let names = (self.input.service.as_str(), self.input.stage.as_str());
        Composites::new(with_canary_alarms, self.placement.as_ref(), names)
    }

    /// The function's deployment group, watching its attached alarms, and the alarms the
    /// plugin generates for it. Returns its `canaryAlarms`' (logical ID, name), for its
    /// composite to join.
    pub(super) fn create_group_and_alarms(
        &self,
        canary: &Canary,
        composites: &Composites,
        changes: &mut Changes<'_, 't>,
        diagnostics: &mut Diagnostics,
    ) -> Vec<(String, String)> {
        let function = canary.settings;
        let attached = attached_alarms(function, composites.functions_sharing(function.name()));
        create_baseline_alarms(canary, &attached, changes, diagnostics);
        let mut group = codedeploy::deployment_group(GroupSpec {
            application_id: &self.application_id,
            group_name: &canary.group_name,
            settings: function,
            alarm_configuration: Some(alarms::configuration(
                function.name(),
                &attached,
                composites.logical_id_of(function.name()),
            )),
        });
        if let Some(bypass) = self.bypass {
            group = bypass::group(group, bypass);
            diagnostics.push(bypass::warning(function, &attached, bypass));
        }
        if let Some(role) = &function.code_deploy_role {
            given_role::check(function, role, self.index, diagnostics);
        }
        let function_path = format!("functions.{}", function.name());
        changes.create(canary.group_id.clone(), &function_path, group, diagnostics);
        create_inline_alarms(canary, changes, diagnostics);
        self.create_canary_alarms(canary, changes, diagnostics)
    }

    /// The function's `canaryAlarms` alarms; returns each one's (logical ID, name).
    fn create_canary_alarms(
        &self,
        canary: &Canary,
        changes: &mut Changes<'_, 't>,
        diagnostics: &mut Diagnostics,
    ) -> Vec<(String, String)> {
        let function = canary.settings;
        let watched = watched(canary);
        let mut created = Vec::new();
        for entry in &function.canary_alarms {
            let id = naming::canary_alarm_logical_id(&canary.function_id, &entry.value.base);
            let name = naming::canary_alarm_name(
                &self.input.service,
                &self.input.stage,
                function.name(),
                &entry.value.base,
                canary.version_id,
            );
            canary_alarms::check_name(&name, &entry.path, diagnostics);
            let alarm = canary_alarms::alarm(&entry.value, &watched, &name);
            changes.create(id.clone(), &entry.path, alarm, diagnostics);
            created.push((id, name));
        }
        created
    }

    /// The composite alarms, once every function has joined its own.
    pub(super) fn create_composites(
        &self,
        composites: Composites,
        changes: &mut Changes<'_, 't>,
        diagnostics: &mut Diagnostics,
    ) {
        for composite in composites.into_list() {
            let alarm = canary_alarms::composite(
                &composite.alarms,
                &composite.name,
                &composite.origin,
                diagnostics,
            );
            changes.create(composite.logical_id, &composite.origin, alarm, diagnostics);
        }
    }
}

/// What the function's generated alarms watch: the function, its alias and its new version.
fn watched<'c>(canary: &'c Canary) -> Watched<'c> {
    Watched {
        function_id: &canary.function_id,
        version_id: canary.version_id,
        alias: &canary.settings.alias,
    }
}

fn create_inline_alarms(canary: &Canary, changes: &mut Changes, diagnostics: &mut Diagnostics) {
    let function = canary.settings;
    let watched = watched(canary);
    for alarm in function.alarms() {
        if let AlarmRef::Inline(definition) = &alarm.value {
            changes.create(
                naming::alarm_logical_id(function.name(), &definition.name),
                &format!("{}.name", alarm.path),
                alarms::alarm(definition, &watched),
                diagnostics,
            );
        }
    }
}

/// The `compareToBaseline` alarms among the function's attached ones.
fn create_baseline_alarms(
    canary: &Canary,
    attached: &[AttachedAlarm],
    changes: &mut Changes,
    diagnostics: &mut Diagnostics,
) {
    let watched = watched(canary);
    for alarm in attached {
        if let AttachedAlarm::Baseline {
            comparison,
            threshold,
            setting,
        } = *alarm
        {
            changes.create(
                naming::alarm_logical_id(canary.settings.name(), comparison.alarm_name()),
                &setting.path,
                baseline_alarms::comparison_alarm(
                    (comparison, threshold),
                    &setting.value,
                    &watched,
                ),
                diagnostics,
            );
        }
    }
}
