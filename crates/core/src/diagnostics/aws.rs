//! Problems only the live account shows (`--aws`), and those of the commands on a deployed
//! stage.

use super::hints::closed_set_hint;
use super::{Code, Diagnostic};

pub fn alarm_not_found(path: &str, name: &str, region: &str) -> Diagnostic {
    Diagnostic::new(
        Code::AlarmNotFound,
        path,
        format!("alarm `{name}` does not exist in {region}"),
        Some("create it first or fix the name; an alarm defined in this service's resources is referenced by its logical ID, not `{name: ...}`".into()),
    )
}

pub fn alarm_not_deployed(path: &str, logical_id: &str, stack: &str) -> Diagnostic {
    Diagnostic::new(
        Code::AlarmNotDeployed,
        path,
        format!(
            "alarm `{logical_id}` is not in the deployed stack `{stack}` yet, so it cannot be set"
        ),
        Some("deploy the service first (`sls deploy`)".into()),
    )
}

pub fn no_deployment_in_progress(stack: &str) -> Diagnostic {
    Diagnostic::new(
        Code::NoDeploymentInProgress,
        "functions",
        format!("no canaried function of `{stack}` has a deployment in progress: there is nothing to roll back"),
        None,
    )
}

pub fn stack_not_deployed(stack: &str, region: &str) -> Diagnostic {
    Diagnostic::new(
        Code::StackNotDeployed,
        "service",
        format!("stack `{stack}` has no CodeDeploy application in {region}: it is not deployed there with canaries"),
        Some("check the stage and region (`--stage`, `--region`), or deploy first".into()),
    )
}

pub fn not_canaried(function: &str) -> Diagnostic {
    Diagnostic::new(
        Code::NotCanaried,
        "--function",
        format!("`{function}` has no deploymentSettings, or they have errors"),
        Some("name a canaried function, or leave --function out for all of them".into()),
    )
}

/// `alias` is empty when the function's settings are too broken to name one. With `forced`
/// (`--force`) it is a warning whose hint says the update goes on, not how to avoid it.
pub(crate) fn deploy_function_bypass(function: &str, alias: &str, forced: bool) -> Diagnostic {
    let through = match alias {
        "" => "its canary alias".to_owned(),
        alias => format!("its alias `{alias}`"),
    };
    let (code, hint) = if forced {
        (
            Code::DeployFunctionForced,
            "--force: $LATEST is updated anyway",
        )
    } else {
        (
            Code::DeployFunctionBypass,
            "run `serverless deploy` to release it gradually, or add --force to update $LATEST anyway",
        )
    };
    Diagnostic::new(
        code,
        &format!("functions.{function}"),
        format!("`deploy function` updates only $LATEST of `{function}`: traffic through {through} keeps the current version, and no CodeDeploy deployment runs (no gradual shift, no alarms, no rollback)"),
        Some(hint.into()),
    )
}

pub fn unknown_alarm_state(given: &str) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownAlarmState,
        "--state",
        format!("`{given}` is not a state an alarm can be set to here"),
        Some(closed_set_hint(given, &["ALARM", "OK"])),
    )
}

pub fn alarm_in_alarm(path: &str, name: &str) -> Diagnostic {
    Diagnostic::new(
        Code::AlarmInAlarm,
        path,
        format!("alarm `{name}` is in state ALARM now, so CodeDeploy would roll the deployment back as soon as it starts"),
        Some(format!("deploy once it is back to OK; `aws cloudwatch describe-alarms --alarm-names {name}` shows why it fired")),
    )
}

pub fn deployment_config_not_found(path: &str, name: &str, region: &str) -> Diagnostic {
    Diagnostic::new(
        Code::DeploymentConfigNotFound,
        path,
        format!("deployment config `{name}` does not exist in {region}"),
        Some("create it first or fix the name, or use a predefined type such as `Canary10Percent5Minutes`".into()),
    )
}

pub fn deployment_in_progress(path: &str, group: &str, deployment_ids: &[&str]) -> Diagnostic {
    let plural = if deployment_ids.len() > 1 { "s" } else { "" };
    let first = deployment_ids.first().copied().unwrap_or_default();
    Diagnostic::new(
        Code::DeploymentInProgress,
        path,
        format!(
            "deployment{plural} `{}` of deployment group `{group}` has not finished, so this deploy would fail with \"a conflicting deployment is in progress\"",
            deployment_ids.join("`, `")
        ),
        Some(format!("wait for it to finish, or stop it: `aws deploy stop-deployment --deployment-id {first}`")),
    )
}

/// Where a problem with AWS itself (not with one setting) is reported.
const AWS_PATH: &str = "provider";

pub fn aws_no_region() -> Diagnostic {
    Diagnostic::new(
        Code::AwsUnavailable,
        "provider.region",
        "cannot check against AWS: no region is set".into(),
        Some("set `provider.region`, AWS_REGION, or `region` in your AWS profile".into()),
    )
}

pub fn aws_invalid_region(region: &str) -> Diagnostic {
    Diagnostic::new(
        Code::AwsUnavailable,
        "provider.region",
        format!("cannot check against AWS: `{region}` is not a region name"),
        Some("use a region such as `us-east-1` or `eu-west-1`".into()),
    )
}

/// `cause` is empty when no credential source was configured at all.
pub fn aws_no_credentials(profile: Option<&str>, cause: &str) -> Diagnostic {
    let source = match profile {
        Some(profile) => format!("profile `{profile}`"),
        None => "the environment, ~/.aws or instance metadata".to_owned(),
    };
    let message = if cause.is_empty() {
        format!("cannot check against AWS: no credentials found in {source}")
    } else {
        format!("cannot check against AWS: no credentials from {source}: {cause}")
    };
    Diagnostic::new(
        Code::AwsUnavailable,
        AWS_PATH,
        message,
        Some("set `provider.profile` or AWS_PROFILE to a profile in ~/.aws/config, run `aws configure` or `aws sso login`, or check without --aws".into()),
    )
}

pub fn aws_credentials_rejected(codes: &str) -> Diagnostic {
    Diagnostic::new(
        Code::AwsUnavailable,
        AWS_PATH,
        format!("cannot check against AWS: it rejected the credentials ({codes})"),
        Some("refresh them (`aws sso login`, new keys); check that the machine's clock is right and that the region is enabled for the account".into()),
    )
}

pub fn aws_unreachable(services: &str, region: &str, cause: &str) -> Diagnostic {
    Diagnostic::new(
        Code::AwsUnavailable,
        AWS_PATH,
        format!("cannot reach AWS ({services}) in {region}: {cause}"),
        Some("check the network and `provider.region`; AWS_ENDPOINT_URL, if set, must point at a running endpoint".into()),
    )
}

pub fn aws_throttled(services: &str) -> Diagnostic {
    Diagnostic::new(
        Code::AwsUnavailable,
        AWS_PATH,
        format!("AWS kept throttling the checks ({services}) after retries"),
        Some("run the check again in a minute".into()),
    )
}

pub fn aws_access_denied(actions: &str) -> Diagnostic {
    Diagnostic::new(
        Code::AwsUnavailable,
        AWS_PATH,
        format!("your AWS identity may not call {actions}, so those checks were skipped"),
        Some(
            "allow these read-only actions for the deploying identity, or check without --aws"
                .into(),
        ),
    )
}

pub fn aws_call_failed(actions: &str, detail: &str) -> Diagnostic {
    Diagnostic::new(
        Code::AwsUnavailable,
        AWS_PATH,
        format!("AWS could not answer {actions}: {detail}"),
        Some("run the check again; if it keeps failing, check without --aws".into()),
    )
}
