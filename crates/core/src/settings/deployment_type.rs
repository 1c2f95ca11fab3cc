//! `type`: how CodeDeploy shifts the traffic, a predefined or custom canary or linear shift, or
//! `{name}` of a deployment config that exists outside the stack.

use serde_json::{Map, Value};

use super::fields::report_unknown_keys;
use super::json::plain_object;
use super::layers::Layers;
use super::strings::read_string;
use crate::diagnostics::{self as diag, Diagnostics};
use crate::naming;
use crate::traffic::{
    DeploymentType, TypeProblem, MAX_INTERVAL_MINUTES, MAX_SHIFTING_MINUTES, PREDEFINED_TYPES,
};

pub(super) fn read_type(layers: &Layers, diagnostics: &mut Diagnostics) -> Option<DeploymentType> {
    let Some((value, path)) = layers.get("type") else {
        diagnostics.push(diag::missing_setting(
            &layers.own_path,
            "type",
            "Canary10Percent5Minutes",
        ));
        return None;
    };
    if let Some(existing) = plain_object(value) {
        return read_existing_config(existing, &path, diagnostics);
    }
    let name = read_string(value, &path, diagnostics)?;
    let problem = match DeploymentType::parse(&name) {
        Ok(parsed) => return Some(parsed),
        Err(problem) => problem,
    };
    diagnostics.push(match problem {
        TypeProblem::Unknown => diag::unknown_deployment_type(&path, &name, &PREDEFINED_TYPES),
        TypeProblem::NotLambdaPredefined => {
            diag::not_lambda_config(&path, &name, &PREDEFINED_TYPES)
        }
        TypeProblem::PercentOutOfRange(percent) => {
            diag::percent_out_of_range(&path, &name, &percent)
        }
        TypeProblem::IntervalOutOfRange(minutes) => {
            diag::interval_out_of_range(&path, &name, &minutes, MAX_INTERVAL_MINUTES)
        }
        TypeProblem::LinearTooLong(total) => {
            diag::linear_too_long(&path, &name, total, MAX_SHIFTING_MINUTES)
        }
    });
    None
}

/// `type: {name: team-canary}`: a deployment config that exists outside the stack.
fn read_existing_config(
    existing: &Map<String, Value>,
    path: &str,
    diagnostics: &mut Diagnostics,
) -> Option<DeploymentType> {
    report_unknown_keys(existing, path, &["name"], diagnostics);
    let Some(name) = existing.get("name") else {
        diagnostics.push(diag::missing_setting(
            path,
            "name",
            "<deployment config name>",
        ));
        return None;
    };
    let name_path = format!("{path}.name");
    let name = read_string(name, &name_path, diagnostics)?;
    if name.len() > naming::CODEDEPLOY_NAME_LIMIT
        || !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+=,.@_-".contains(&b))
    {
        diagnostics.push(diag::invalid_config_name(&name_path, &name));
        return None;
    }
    // CodeDeploy's own configs, by their full name, are judged as the string form is: a
    // Lambda one is the predefined type, an EC2 or ECS one cannot deploy a function.
    if name.starts_with("CodeDeployDefault.") {
        return match DeploymentType::parse(&name) {
            Ok(predefined) => Some(predefined),
            Err(_) => {
                diagnostics.push(diag::not_lambda_config(
                    &name_path,
                    &name,
                    &PREDEFINED_TYPES,
                ));
                None
            }
        };
    }
    Some(DeploymentType::Existing(name))
}
