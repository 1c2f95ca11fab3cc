//! The hook functions `smokeTest` and `minTraffic` become: one function per lifecycle event
//! for the whole stack, with its code inline and each group's checks in it, and one role that
//! may only read and report on this stack's deployments, invoke the functions with smoke tests
//! and read metrics.

use serde_json::{json, Map, Value};

use crate::deployment::GeneratedHook;
use crate::diagnostics::{self as diag, Diagnostics};
use crate::limits;
use crate::naming;
use crate::settings::FunctionSettings;

/// The code both hooks run; `exports.config` is appended for the stack.
const HOOK_CODE: &str = include_str!("verify_hook.js");
/// Lambda's current Node.js runtime, which includes the AWS SDK for JavaScript v3.
const RUNTIME: &str = "nodejs24.x";
/// A smoke test waits for the version it invokes, which may take up to Lambda's 15 minutes.
const TIMEOUT_SECONDS: u64 = 900;

const ROLE_ID: &str = naming::VERIFICATION_ROLE_LOGICAL_ID;

/// A canaried function with checks, and the name of its deployment group.
pub(crate) struct Checked<'a> {
    pub settings: &'a FunctionSettings,
    pub function_id: &'a str,
    /// The function's `FunctionName`, when the template spells it out (the Framework does).
    pub deployed_name: Option<&'a str>,
    pub group_name: &'a str,
}

/// The settings of each group `hook` runs for, keyed by the group's name: what the hook reads
/// when CodeDeploy calls it. Each hook is given only its own groups and settings.
fn config(hook: GeneratedHook, checked: &[Checked]) -> Value {
    let mut groups = Map::new();
    for function in checked.iter().filter(|f| hook.used_by(f.settings)) {
        let settings = function.settings;
        let group = match hook {
            GeneratedHook::SmokeTest => {
                let smoke_tests: Vec<Value> = settings
                    .smoke_tests
                    .iter()
                    .map(|test| {
                        let mut entry = json!({ "name": test.name, "event": test.event });
                        if let Some(status) = test.status_code {
                            entry["statusCode"] = json!(status);
                        }
                        entry
                    })
                    .collect();
                json!({ "smokeTest": smoke_tests })
            }
            GeneratedHook::TrafficGuard => json!({ "minTraffic": settings.min_traffic }),
        };
        groups.insert(function.group_name.to_owned(), group);
    }
    Value::Object(groups)
}

/// The hook function for one lifecycle event (the handler of the shared code named after it).
pub(crate) fn hook_function(stack_name: &str, hook: GeneratedHook, checked: &[Checked]) -> Value {
    // Parsed at run time, not written as an object literal: in a literal a key `__proto__`
    // sets the prototype instead of making a key, so the event sent would lose it.
    let code = format!(
        "{}\nexports.config = JSON.parse('{}');\n",
        compact(HOOK_CODE),
        js_string_body(&config(hook, checked).to_string())
    );
    json!({
        "Type": "AWS::Lambda::Function",
        "Properties": {
            // CodeDeploy's managed policies may invoke only `CodeDeployHook_*` functions, so a
            // `codeDeployRole` built on them can run these hooks too.
            "FunctionName": hook.function_name(stack_name),
            "Runtime": RUNTIME,
            "Handler": format!("index.{}", hook.event().name()),
            "Timeout": TIMEOUT_SECONDS,
            "MemorySize": 256,
            "Role": { "Fn::GetAtt": [ROLE_ID, "Arn"] },
            "Code": { "ZipFile": code }
        }
    })
}

/// `text` as the inside of a single-quoted JavaScript string. JSON text has no raw line feed
/// or carriage return, and needs no escape for its many double quotes this way.
fn js_string_body(text: &str) -> String {
    let mut body = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => body.push_str("\\\\"),
            '\'' => body.push_str("\\'"),
            '\n' => body.push_str("\\n"),
            '\r' => body.push_str("\\r"),
            '\u{2028}' => body.push_str("\\u2028"),
            '\u{2029}' => body.push_str("\\u2029"),
            c => body.push(c),
        }
    }
    body
}

/// Bytes `text` takes in the template once it is in the hook's code: escaped for the
/// JavaScript string, then for the template's JSON string.
fn bytes_in_template(text: &str) -> usize {
    let quoted = serde_json::to_string(&js_string_body(text)).unwrap_or_default();
    quoted.len().saturating_sub(2)
}

/// The smoke-test hook (`hook`) must fit in one template: its code holds every event, and no
/// plugin can move part of one resource into another stack. When it does not, the event that
/// takes the most of it is named, with what it takes in every group it is in.
pub(crate) fn check_smoke_test_hook_size(
    hook: &Value,
    checked: &[Checked],
    diagnostics: &mut Diagnostics,
) {
    let code = &hook["Properties"]["Code"]["ZipFile"];
    let code_bytes = serde_json::to_string(code).map_or(0, |text| text.len());
    let limit = limits::SMOKE_TEST_HOOK_CODE_BYTES.value;
    if code_bytes as u64 <= limit {
        return;
    }
    let mut by_path: Vec<(&str, usize)> = Vec::new();
    for test in checked.iter().flat_map(|f| &f.settings.smoke_tests) {
        let bytes = bytes_in_template(&test.event.to_string());
        match by_path.iter_mut().find(|(path, _)| *path == test.path) {
            Some((_, total)) => *total += bytes,
            None => by_path.push((&test.path, bytes)),
        }
    }
    // The first of the largest: the order the settings are written in.
    let largest = by_path
        .iter()
        .rev()
        .max_by_key(|(_, bytes)| *bytes)
        .copied();
    if let Some((path, bytes)) = largest {
        let at = format!("{path}.event");
        diagnostics.push(diag::smoke_test_hook_too_large(
            &at, bytes, code_bytes, limit,
        ));
    }
}

/// The code without its comments and indentation: it counts against the template's size, once
/// per hook. Safe for this code, which has no multi-line strings.
fn compact(code: &str) -> String {
    code.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The longest partition and Region an ARN can carry, and an account ID: what an ARN resolves
/// to at most, for the size IAM counts.
const ARN_PREFIX_BOUND: usize = "arn:aws-us-gov:lambda:ap-southeast-5:123456789012:function:".len();
const LAMBDA_NAME_BOUND: usize = 64;

/// How many characters IAM counts for the role's inline policy once CloudFormation has
/// resolved it (whitespace not counted): each `${Function.Arn}:*` at its deployed name's
/// length (`names` by logical ID), or Lambda's longest name when unknown; an ARN built from
/// the name, at that name's length.
pub(crate) fn resolved_policy_characters(
    role: &Value,
    names: &dyn Fn(&str) -> Option<usize>,
) -> usize {
    let policy = &role["Properties"]["Policies"][0];
    let text = serde_json::to_string(policy).unwrap_or_default();
    let invoked = policy["PolicyDocument"]["Statement"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|statement| statement["Action"][0] == "lambda:InvokeFunction")
        .flat_map(|statement| statement["Resource"].as_array().into_iter().flatten());
    let mut characters = text.len();
    for resource in invoked {
        let Some(sub) = resource["Fn::Sub"].as_str() else {
            continue;
        };
        let by_id = sub
            .strip_prefix("${")
            .and_then(|sub| sub.split_once(".Arn}"))
            .map(|(id, _)| names(id).unwrap_or(LAMBDA_NAME_BOUND));
        let by_name = sub
            .split_once(":function:")
            .and_then(|(_, name)| name.strip_suffix(":*"))
            .map(str::len);
        let Some(name) = by_id.or(by_name) else {
            continue;
        };
        let written = serde_json::to_string(resource).unwrap_or_default().len();
        // `"arn:...:function:<name>:*"` in place of `{"Fn::Sub":"${Id.Arn}:*"}`
        characters = characters - written + ARN_PREFIX_BOUND + name + 4;
    }
    characters
}

/// May read and report on this stack's deployments, invoke the versions of the functions
/// with smoke tests, and read their metrics; and write its own logs.
pub(crate) fn role(application_id: &str, checked: &[Checked]) -> Value {
    let mut statements = vec![
        json!({
            "Effect": "Allow",
            "Action": [
                "codedeploy:GetDeployment",
                "codedeploy:PutLifecycleEventHookExecutionStatus"
            ],
            "Resource": { "Fn::Sub": format!(
                "arn:${{AWS::Partition}}:codedeploy:${{AWS::Region}}:${{AWS::AccountId}}:deploymentgroup:${{{application_id}}}/*"
            ) }
        }),
        // The Service Authorization Reference lists no resource type for these two reads
        // ("Actions, resources, and condition keys for AWS CodeDeploy"): they take only "*".
        json!({
            "Effect": "Allow",
            "Action": [
                "codedeploy:ListDeploymentTargets",
                "codedeploy:BatchGetDeploymentTargets"
            ],
            "Resource": "*"
        }),
    ];
    let invoked: Vec<Value> = checked
        .iter()
        .filter(|function| GeneratedHook::SmokeTest.used_by(function.settings))
        .map(|function| match function.deployed_name {
            Some(name) => json!({ "Fn::Sub": naming::function_arn_sub(name, ":*") }),
            None => json!({ "Fn::Sub": format!("${{{}.Arn}}:*", function.function_id) }),
        })
        .collect();
    if !invoked.is_empty() {
        statements.push(
            json!({ "Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": invoked }),
        );
    }
    if checked
        .iter()
        .any(|function| GeneratedHook::TrafficGuard.used_by(function.settings))
    {
        // GetMetricData has no resource-level permissions.
        statements.push(
            json!({ "Effect": "Allow", "Action": ["cloudwatch:GetMetricData"], "Resource": "*" }),
        );
    }
    json!({
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": { "Service": ["lambda.amazonaws.com"] },
                    "Action": ["sts:AssumeRole"]
                }]
            },
            "ManagedPolicyArns": [
                { "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" }
            ],
            "Policies": [{
                "PolicyName": "serverless-canary-verification",
                "PolicyDocument": { "Version": "2012-10-17", "Statement": statements }
            }]
        }
    })
}

#[cfg(test)]
#[path = "verification_hooks_tests.rs"]
mod tests;
