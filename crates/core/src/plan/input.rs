//! What the plugin hands the planner: the resolved service, its compiled template and how
//! this run was asked for.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::companions::Companions;
use crate::diagnostics::Diagnostics;
use crate::release::AccountFacts;
use crate::settings::{read_settings_as_written, ServiceSettings};
use crate::source::SourceText;
use crate::template::bypass::Switches;
use crate::template::placement::SplitStacks;
use crate::template::tree::{Node, Object};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanInput<'a> {
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
    /// The compiled CloudFormation template: here, or sent apart ([`PlanInput::read`],
    /// [`PlanInput::read_template`]).
    #[serde(borrow, default)]
    pub(crate) template: Node<'a>,
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
    /// `canary:validate --aws`: what to ask AWS about (`Plan::preflight`). Packaging does not
    /// ask, so its answer does not carry the request.
    #[serde(default)]
    pub preflight: bool,
    /// `canary:plan --aws`: what the account said, which the release says unless the plan has
    /// an error (as packaging stops there, nothing of AWS's is shown).
    #[serde(default)]
    pub account_facts: Option<AccountFacts>,
}

impl<'a> PlanInput<'a> {
    /// The input, and the template when the plugin sends its JSON apart (joining the two in
    /// JavaScript would copy the template once more, into memory the Framework collects); a
    /// template sent apart replaces one inside. Without either, it is an error.
    pub fn read(input: &'a str, template: Option<&'a str>) -> Result<Self, String> {
        let mut read = Self::read_service(input)?;
        match template {
            Some(template) => read.read_template(template)?,
            None if matches!(read.template, Node::Null) => {
                return Err("missing field `template`".to_owned());
            }
            None => {}
        }
        Ok(read)
    }

    /// The input alone: its settings can be read ([`PlanInput::read_settings`]) before its
    /// template comes ([`PlanInput::read_template`]).
    pub fn read_service(input: &'a str) -> Result<Self, String> {
        serde_json::from_str(input).map_err(|error| error.to_string())
    }

    /// The template, sent as JSON of its own: it replaces one inside the input.
    pub fn read_template(&mut self, template: &'a str) -> Result<(), String> {
        self.template =
            serde_json::from_str(template).map_err(|error| format!("the template: {error}"))?;
        Ok(())
    }

    /// The `deploymentSettings` of the service, read and checked, dates as written. They need
    /// nothing of the template: the addon reads them while the plugin still writes its JSON.
    pub fn read_settings(&self) -> ReadSettings {
        let mut diagnostics = Diagnostics::default();
        let source = self.source.as_ref().map(|source| source.text.as_str());
        let service = (self.custom.as_ref(), &self.functions);
        let settings = read_settings_as_written(service, source, &mut diagnostics);
        ReadSettings {
            settings,
            diagnostics,
        }
    }

    /// The compiled template's resources.
    pub(super) fn resources(&self) -> Option<&Object<'a>> {
        self.template["Resources"].as_object()
    }
}

/// The service's settings as [`PlanInput::read_settings`] read them, and what was wrong.
#[derive(Debug)]
pub struct ReadSettings {
    pub(super) settings: ServiceSettings,
    pub(super) diagnostics: Diagnostics,
}
