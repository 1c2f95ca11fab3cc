//! What a canaried function's CodeDeploy deployment runs and watches. Each question has one
//! answer here; the template, `canary:plan`, the bypass warning, the summary and the `--aws`
//! checks all read it, so none of them can describe a deployment the template does not make.

mod attached_alarms;
mod traffic_hooks;

pub(crate) use attached_alarms::{attached_alarms, AttachedAlarm, Comparison};
pub(crate) use traffic_hooks::{
    hook_functions, traffic_hooks, GeneratedHook, HookRunner, LifecycleEvent,
};

#[cfg(test)]
mod tests;
