//! What the plugin hands the planner: the resolved service, its compiled template and how
//! this run was asked for.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::companions::Companions;
use crate::diagnostics::Diagnostics;
use crate::settings::{read_settings, yaml_dates, ServiceSettings};
use crate::source::{self, SourceText};
use crate::template::bypass::Switches;
use crate::template::placement::SplitStacks;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanInput {
    /// The service's name (`service:`), which the `canaryAlarms` alarm names carry.
    #[serde(default)]
    pub service: String,
    pub stage: String,
    /// The Framework's `naming.getStackName()`: `<service>-<stage>` unless `provider.stackName`.
    pub stack_name: String,
    /// `custom.deploymentSettings`, as resolved.
    #[serde(default)]
    pub custom: Option<Value>,
    /// The service's `functions`, as resolved.
    #[serde(default)]
    pub functions: Map<String, Value>,
    /// The compiled CloudFormation template.
    pub template: Value,
    /// The service file, when it is YAML, so each problem is printed with its `file:line:col`.
    #[serde(default)]
    pub source: Option<SourceText>,
    /// `--minify-template`: the Framework uploads the template without indentation.
    #[serde(default)]
    pub minify_template: bool,
    /// `--canary-bypass` and `--canary-skip-hooks`.
    #[serde(default)]
    pub switches: Switches,
    /// serverless-plugin-split-stacks runs after the plan and moves resources into nested
    /// stacks: the stacks' quotas are checked once it has (`nested_stacks::check`), not here,
    /// and the chains follow where it will put each function.
    #[serde(default)]
    pub split_stacks: Option<SplitStacks>,
    /// What the companion plugins that invoke functions or delete versions will do.
    #[serde(default)]
    pub companions: Companions,
    /// `canary:plan`: describe the release as well.
    #[serde(default)]
    pub describe_release: bool,
}

impl PlanInput {
    /// The `deploymentSettings` of the service, read and checked. The Framework hands plugins
    /// its config through JSON, so a date arrives as ISO text: the source says which values
    /// were dates, and each is read as its text as written, and reported. Only a service with
    /// dates pays for the copy.
    pub(super) fn settings(&self, diagnostics: &mut Diagnostics) -> ServiceSettings {
        let written = self
            .source
            .as_ref()
            .map(|source| source::written_dates(&source.text))
            .unwrap_or_default();
        if written.is_empty() {
            return read_settings(self.custom.as_ref(), &self.functions, diagnostics);
        }
        let (mut custom, mut functions) = (self.custom.clone(), self.functions.clone());
        yaml_dates::read_as_written(&written, (&mut custom, &mut functions), diagnostics);
        read_settings(custom.as_ref(), &functions, diagnostics)
    }

    /// The compiled template's resources.
    pub(super) fn resources(&self) -> Option<&Map<String, Value>> {
        self.template["Resources"].as_object()
    }
}
