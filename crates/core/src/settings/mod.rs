//! The `deploymentSettings` model: what each canaried function asked for, with custom-level
//! defaults merged under its own keys, and where every value came from.

pub(crate) mod alarm;
pub(crate) mod alarm_fields;
mod alarm_list;
mod alarm_semantics;
mod alias;
pub(crate) mod canary_alarm;
mod deployment_type;
mod duplicate_alarms;
pub(crate) mod fields;
mod generated_ids;
mod hooks;
mod json;
mod lambda_metrics;
mod layers;
mod read;
mod rollback;
pub(crate) mod scope;
mod service_keys;
pub(crate) mod statistic;
mod strings;
mod triggers;
pub(crate) mod verification;
pub(crate) mod yaml_dates;

pub(crate) use generated_ids::refuse_unusable_ids;
pub use read::read_settings;
pub(crate) use yaml_dates::read_settings_as_written;

use serde_json::Value;

use crate::deployment::GeneratedHook;
use crate::traffic::DeploymentType;

/// A value and the config path it was read from, so later checks can point at it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sourced<T> {
    pub value: T,
    pub path: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AlarmRef {
    /// An `AWS::CloudWatch::Alarm` in this stack's template.
    LogicalId(String),
    /// An alarm that exists outside the stack: its name, or an intrinsic that yields it.
    Name(Value),
    /// An alarm the plugin creates for this function.
    Inline(Box<alarm::AlarmDefinition>),
}

impl AlarmRef {
    /// The name a user knows the alarm by: its inline name, its logical ID, or its name (an
    /// intrinsic as written).
    pub(crate) fn label(&self) -> String {
        match self {
            AlarmRef::Inline(definition) => definition.name.clone(),
            AlarmRef::LogicalId(id) => id.clone(),
            AlarmRef::Name(name) => name
                .as_str()
                .map_or_else(|| name.to_string(), str::to_owned),
        }
    }
}

/// What the compiled template must hold for a canaried function. Checked even when the
/// function's other settings have errors, so every problem is reported in one run.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TemplateNeeds {
    /// The function's key under `functions:`.
    pub function: String,
    /// Alarms whose references could be read.
    pub alarms: Vec<Sourced<AlarmRef>>,
    /// Where `versionFunction(s): false` would have been set, for the "not versioned" error.
    pub versioning_path: String,
    /// The logical IDs its settings give the resources made for it (deployment group, alias,
    /// inline alarms), each with the setting whose words it carries.
    pub generated_ids: Vec<Sourced<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FunctionSettings {
    /// The function's name, alarms and versioning path: what the template must hold for it.
    pub(crate) needs: TemplateNeeds,
    pub(crate) deployment_type: DeploymentType,
    pub alias: String,
    /// Where `alias` was read from: the function's settings or the custom defaults.
    pub(crate) alias_path: String,
    pub(crate) pre_traffic_hook: Option<String>,
    pub(crate) post_traffic_hook: Option<String>,
    /// Passed to the deployment group as written, once validated.
    pub(crate) trigger_configurations: Option<Sourced<Value>>,
    /// An IAM role ARN or intrinsic; the generated service role when absent.
    pub(crate) code_deploy_role: Option<Sourced<Value>>,
    /// CodeDeploy auto-rollback events (`DEPLOYMENT_FAILURE`, ...); empty turns rollback off.
    pub rollback_events: Vec<&'static str>,
    /// The Flagsmith fork's alarms on the new version, joined in the stack's composite alarm.
    pub(crate) canary_alarms: Vec<Sourced<canary_alarm::CanaryAlarm>>,
    /// Events the new version must answer before traffic moves; empty: none.
    pub(crate) smoke_tests: Vec<verification::SmokeTest>,
    /// The new version against the old while traffic shifts.
    pub(crate) baseline: Option<Sourced<verification::Baseline>>,
    /// Invocations of the new version the release needs by the end of the shift.
    pub(crate) min_traffic: Option<u64>,
    /// The logical ID of its canary alias: the Framework's own alias when `frameworkAlias:
    /// reuse` and the function has provisioned concurrency or SnapStart, as the config says.
    pub(crate) alias_logical_id: String,
}

/// Which resource is the canary alias of a function the Framework gives an alias of its own
/// (provisioned concurrency, SnapStart): the line of the old plugin its stack comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FrameworkAlias {
    /// serverless-plugin-canary-deployments 0.8.0 and this plugin: a new
    /// `<Fn>LambdaFunctionAlias<alias>` replaces it, and it is removed.
    Replace,
    /// The Flagsmith fork: it becomes the canary alias, keeping its logical ID.
    Reuse,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceSettings {
    /// Stages that deploy gradually; empty means all.
    pub(crate) stages: Vec<String>,
    pub(crate) permissions_boundary: Option<Value>,
    /// `frameworkAlias`, when set; unset means `Replace`.
    pub(crate) framework_alias: Option<FrameworkAlias>,
    /// `maxConcurrentDeployments`: at most this many alias updates (deployments) at once.
    pub(crate) max_concurrent_deployments: Option<Sourced<u64>>,
    /// Functions whose settings are complete and valid, in service order.
    pub functions: Vec<FunctionSettings>,
    /// The same for canaried functions whose settings have errors.
    pub(crate) incomplete: Vec<TemplateNeeds>,
}

impl FunctionSettings {
    /// The function's key under `functions:`.
    pub fn name(&self) -> &str {
        &self.needs.function
    }

    /// Whether its deployment calls the generated smoke test (the AWS commands name the hook).
    pub fn has_smoke_test(&self) -> bool {
        GeneratedHook::SmokeTest.used_by(self)
    }

    /// Its smoke tests' names, as `canary:plan` and the summary list them.
    pub(crate) fn smoke_test_names(&self) -> String {
        let names: Vec<&str> = self.smoke_tests.iter().map(|t| t.name.as_str()).collect();
        names.join(", ")
    }

    /// Whether its deployment calls the generated traffic guard.
    pub fn has_traffic_guard(&self) -> bool {
        GeneratedHook::TrafficGuard.used_by(self)
    }

    /// The logical ID of its canary alias in the stack.
    pub fn canary_alias_logical_id(&self) -> &str {
        &self.alias_logical_id
    }

    pub(crate) fn alarms(&self) -> &[Sourced<AlarmRef>] {
        &self.needs.alarms
    }

    /// Its trigger configurations, as written.
    pub(crate) fn triggers(&self) -> impl Iterator<Item = &Value> {
        self.trigger_configurations
            .iter()
            .flat_map(|triggers| triggers.value.as_array())
            .flatten()
    }
}

impl ServiceSettings {
    pub fn enabled_for(&self, stage: &str) -> bool {
        self.stages.is_empty() || self.stages.iter().any(|s| s == stage)
    }

    /// Whether any canaried function has `canaryAlarms`: the service was written for the fork.
    pub(crate) fn uses_canary_alarms(&self) -> bool {
        self.functions.iter().any(|f| !f.canary_alarms.is_empty())
    }
}
