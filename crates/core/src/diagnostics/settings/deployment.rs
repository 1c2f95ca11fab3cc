//! The deployment group's own settings: its `type`, its `alias`, and the IAM roles and
//! policies it is given.

use crate::diagnostics::hints::suggestion_or;
use crate::diagnostics::{Code, Diagnostic};

pub(crate) fn unknown_deployment_type(path: &str, given: &str, accepted: &[&str]) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownDeploymentType,
        path,
        format!("unknown deployment type `{given}`"),
        Some(suggestion_or(given, accepted, || {
            format!(
                "use {}, a custom `Canary<P>Percent<M>Minutes` / `Linear<P>PercentEvery<M>Minutes`, or `{{name: <config>}}`",
                accepted.join(", ")
            )
        })),
    )
}

pub(crate) fn not_lambda_config(path: &str, given: &str, accepted: &[&str]) -> Diagnostic {
    Diagnostic::new(
        Code::NotALambdaConfig,
        path,
        format!("`{given}` is not one of CodeDeploy's predefined Lambda configurations"),
        Some(format!(
            "use a short name ({}), a custom `Canary<P>Percent<M>Minutes` / `Linear<P>PercentEvery<M>Minutes`, or `{{name: <config>}}` for a config you created",
            accepted.join(", ")
        )),
    )
}

pub(crate) fn percent_out_of_range(path: &str, given: &str, percent: &str) -> Diagnostic {
    Diagnostic::new(
        Code::TypeOutOfRange,
        path,
        format!("`{given}` shifts {percent}%; CodeDeploy accepts 1 to 99 percent per step"),
        Some("use a percentage from 1 to 99".into()),
    )
}

pub(crate) fn interval_out_of_range(
    path: &str,
    given: &str,
    minutes: &str,
    limit: u32,
) -> Diagnostic {
    Diagnostic::new(
        Code::TypeOutOfRange,
        path,
        format!("`{given}` waits {minutes} minutes per step; CodeDeploy accepts 1 to {limit} (48 hours)"),
        Some(format!("use an interval from 1 to {limit} minutes")),
    )
}

pub(crate) fn linear_too_long(path: &str, given: &str, total: u32, limit: u32) -> Diagnostic {
    Diagnostic::new(
        Code::TypeOutOfRange,
        path,
        format!("`{given}` would shift traffic for {total} minutes; a Lambda deployment may shift for at most {limit} (48 hours)"),
        Some("use a larger percentage or a shorter interval".into()),
    )
}

pub(crate) fn invalid_config_name(path: &str, given: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidConfigName,
        path,
        format!("`{given}` is not a valid CodeDeploy deployment config name"),
        Some("use 1 to 100 letters, digits or `+=,.@_-`".into()),
    )
}

pub(crate) fn invalid_alias(path: &str, given: &str, reason: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidAlias,
        path,
        format!("alias `{given}` is not a valid Lambda alias name: {reason}"),
        Some("e.g. `Live` or `prod-v2`".into()),
    )
}

pub(crate) fn invalid_role_arn(path: &str, given: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidRoleArn,
        path,
        format!("`{given}` is not an IAM role ARN"),
        Some(
            "use `arn:aws:iam::<account>:role/<name>` or an intrinsic such as `Fn::GetAtt: [MyRole, Arn]`"
                .into(),
        ),
    )
}

pub(crate) fn invalid_policy_arn(path: &str, given: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidPolicyArn,
        path,
        format!("`{given}` is not an IAM policy ARN"),
        Some("use `arn:aws:iam::<account>:policy/<name>` or an intrinsic".into()),
    )
}
