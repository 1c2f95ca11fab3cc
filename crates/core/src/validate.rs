//! The standalone check, `npx serverless-canary validate`: a serverless.yml read without the
//! Framework, held to every rule that needs no compiled template. What it cannot resolve it
//! reports as not checked instead of guessing.

use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

use crate::diagnostics::{self as diag, Code, Diagnostic, Diagnostics, Location};
use crate::preflight_request::{preflight_targets, PreflightRequest};
use crate::report::Report;
use crate::settings::yaml_dates::read_as_written;
use crate::settings::{read_settings, refuse_unusable_ids, ServiceSettings};
use crate::source::{self, Unresolved};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidateInput {
    /// As the user named it, for `file:line:col`.
    pub file: String,
    pub text: String,
    /// Command-line options by long name (`stage`, `region`), for `${opt:...}`.
    #[serde(default)]
    pub options: BTreeMap<String, String>,
    /// For `${env:...}`.
    #[serde(default)]
    pub env: HashMap<String, String>,
    /// Why the file could not be read (`ENOENT`), when it could not: `text` is then empty.
    #[serde(default)]
    pub read_error: Option<String>,
}

/// Service files the Framework loads by running them: their config exists only once it has.
const CODE_EXTENSIONS: [&str; 4] = ["js", "mjs", "cjs", "ts"];

/// Why the file is no text this check can read, before looking inside it.
fn unreadable_file(input: &ValidateInput) -> Option<Diagnostic> {
    let mut problem = if let Some(error) = &input.read_error {
        diag::service_file_unreadable(&input.file, error)
    } else {
        let extension = std::path::Path::new(&input.file).extension()?;
        if !CODE_EXTENSIONS.iter().any(|code| extension == *code) {
            return None;
        }
        diag::service_file_is_code(&input.file)
    };
    problem.location = Some(Location {
        file: input.file.clone(),
        line: 1,
        column: 1,
    });
    Some(problem)
}

pub fn validate(input: &ValidateInput) -> Report {
    let options = source::Options {
        cli: input.options.clone(),
        env: input.env.clone(),
    };
    if let Some(problem) = unreadable_file(input) {
        return Report::unreadable(problem);
    }
    let service = match source::read_service(&input.text, &options) {
        Ok(service) => service,
        Err(error) => {
            let mut unreadable = diag::unreadable_service(&error.message);
            unreadable.location = Some(Location {
                file: input.file.clone(),
                line: error.span.line,
                column: error.span.column,
            });
            return Report::unreadable(unreadable);
        }
    };
    let unresolved: Vec<&Unresolved> = service
        .unresolved
        .iter()
        .filter(|u| read_by_settings(&u.path))
        .collect();
    // A settings block this check cannot read is left out: its function is checked as if not
    // canaried, and unknown defaults may supply any key, so none is reported missing.
    let mut config = service.config.clone();
    for u in &unresolved {
        forget_settings_block(&mut config, &u.path);
    }
    let defaults_unknown = unresolved
        .iter()
        .any(|u| matches!(u.path.as_str(), "custom" | "custom.deploymentSettings"));
    let mut diagnostics = Diagnostics::default();
    // Taken out of the copy: only `provider` and `service` are read from it below.
    let mut custom = config
        .get_mut("custom")
        .and_then(|custom| custom.get_mut("deploymentSettings"))
        .map(Value::take);
    let mut functions = config
        .get_mut("functions")
        .and_then(Value::as_object_mut)
        .map(std::mem::take)
        .unwrap_or_default();
    read_as_written(
        &service.dates,
        (&mut custom, &mut functions),
        &mut diagnostics,
    );
    let mut settings = read_settings(custom.as_ref(), &functions, &mut diagnostics);
    let stage = input
        .options
        .get("stage")
        .map(String::as_str)
        .or_else(|| config["provider"]["stage"].as_str())
        .unwrap_or("dev");
    let enabled = settings.enabled_for(stage);
    if enabled {
        refuse_unusable_ids(&mut settings, &mut diagnostics);
    }
    // A value left as `${ssm:...}` would fail every rule: say it was not checked instead.
    let unknowable = |d: &Diagnostic| {
        unresolved.iter().any(|u| within(&d.path, &u.path))
            || (defaults_unknown && d.code == Code::MissingKey)
    };
    diagnostics.retain(|d| !unknowable(d));
    diagnostics.extend(
        unresolved
            .iter()
            .map(|u| diag::not_checked(&u.path, &u.expression)),
    );
    diagnostics.dedup();
    let mut diagnostics = diagnostics.into_vec();
    source::locate_in(&mut diagnostics, &input.file, &service.spans);
    let mut report = Report::new(diagnostics);
    if enabled {
        let mut targets = preflight(&settings, &config, stage, &input.options);
        // Never ask AWS about the text of a variable.
        let known = |path: &str| {
            !unresolved
                .iter()
                .any(|u| within(path, &u.path) || within(&u.path, path))
        };
        targets.alarms.retain(|alarm| known(&alarm.path));
        targets
            .deployment_configs
            .retain(|config| known(&config.path));
        report.preflight = Some(targets);
    }
    report
}

/// Removes the `deploymentSettings` block at `path`, when that is what `path` is.
fn forget_settings_block(config: &mut Value, path: &str) {
    let Some(parent) = path.strip_suffix(".deploymentSettings") else {
        return;
    };
    let owner = match parent.split_once('.') {
        Some(("functions", function)) if !function.contains(['.', '[']) => {
            &mut config["functions"][function]
        }
        None if parent == "custom" => &mut config["custom"],
        _ => return,
    };
    if let Some(owner) = owner.as_object_mut() {
        owner.remove("deploymentSettings");
    }
}

/// What `--aws` looks up, with the stack, region and profile the Framework would use.
fn preflight(
    settings: &ServiceSettings,
    config: &Value,
    stage: &str,
    options: &BTreeMap<String, String>,
) -> PreflightRequest {
    let provider = &config["provider"];
    let stack_name = provider["stackName"].as_str().map_or_else(
        || format!("{}-{stage}", config["service"].as_str().unwrap_or_default()),
        str::to_owned,
    );
    let option_or = |option: &str, key: &str| {
        options
            .get(option)
            .map(String::as_str)
            .or_else(|| provider[key].as_str())
            .map(str::to_owned)
    };
    PreflightRequest {
        // As the Framework's `getRegion()`: the option, the provider's, else us-east-1.
        region: option_or("region", "region").or_else(|| Some("us-east-1".to_owned())),
        profile: option_or("aws-profile", "profile"),
        ..preflight_targets(settings, &stack_name)
    }
}

/// Config the settings are read from: a function (its `deploymentSettings` and whether it
/// exists), the service's defaults, or a whole section holding them.
fn read_by_settings(path: &str) -> bool {
    let function = path
        .strip_prefix("functions.")
        .is_some_and(|rest| !rest.contains(['.', '[']) || rest.contains(".deploymentSettings"));
    matches!(path, "functions" | "custom")
        || function
        || path.starts_with("custom.deploymentSettings")
}

/// `path` is `ancestor` or lies under it.
fn within(path: &str, ancestor: &str) -> bool {
    path.strip_prefix(ancestor)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "validate_corpus_tests.rs"]
mod corpus_tests;

#[cfg(test)]
#[path = "validate_properties.rs"]
mod properties;
