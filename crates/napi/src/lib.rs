//! The Node addon: one export per operation, each a JSON string in and out. JSON strings
//! cross the boundary because one copy each way is cheaper than converting a large template
//! object by object. A panic becomes a JavaScript error, never the end of the process.

mod boundary;
mod plan;

use std::future::Future;

use napi::bindgen_prelude::External;
use napi::JsString;
use napi_derive::napi;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use serverless_canary_aws as aws;
use serverless_canary_core as core;

/// Every allocation of the addon: the plan's in its arena, the rest from the system allocator.
#[global_allocator]
static ALLOCATOR: serverless_canary_arena::LeasedArena = serverless_canary_arena::LeasedArena;

/// `startPlan(inputJson) -> pendingPlan`: starts planning the service, whose settings are read
/// on the plan's own thread while JavaScript writes the compiled template's JSON.
#[napi(catch_unwind, ts_return_type = "ExternalObject<'PendingPlan'>")]
pub fn start_plan(input: JsString) -> napi::Result<External<plan::PendingPlan>> {
    plan::start(input).map(External::new)
}

/// `finishPlan(pendingPlan, templateJson) -> planJson`: the compiled template, and the answer:
/// the resources to write back and every diagnostic.
#[napi(
    catch_unwind,
    ts_args_type = "pending: ExternalObject<'PendingPlan'>, template: string"
)]
pub fn finish_plan(
    pending: &mut External<plan::PendingPlan>,
    template: JsString,
) -> napi::Result<String> {
    plan::finish(pending, template)
}

/// `cancelPlan(pendingPlan)`: gives up a plan whose template could not be written, so that
/// its thread ends and frees the core's memory now rather than when the plan is collected.
#[napi(catch_unwind, ts_args_type = "pending: ExternalObject<'PendingPlan'>")]
pub fn cancel_plan(pending: &mut External<plan::PendingPlan>) {
    plan::cancel(pending);
}

/// `preparePlan(functionCount)`: readies memory for a coming plan in the background, and the
/// thread it runs on, so that packaging's earlier steps pay for them, not the package hook. A
/// count, not JSON: nothing to read.
#[napi(catch_unwind)]
pub fn prepare_plan(functions: u32) {
    plan::prepare(functions);
}

/// `deployFunctionRefusal(inputJson) -> diagnosticJson`: why `sls deploy function` would
/// bypass the named function's canary (with `--force`, the warning), or `null`.
#[napi(catch_unwind)]
pub fn deploy_function_refusal(input: String) -> napi::Result<String> {
    call(&input, core::deploy_function::refusal)
}

/// `deployBypass(inputJson) -> answerJson`: what the template `sls deploy` uploads says about
/// `--canary-bypass`: the deploy's notice, or the diagnostic of why the switch cannot apply.
#[napi(catch_unwind)]
pub fn deploy_bypass(input: String) -> napi::Result<String> {
    call(&input, core::deploy_bypass)
}

/// `checkStacks(inputJson) -> reportJson`: after serverless-plugin-split-stacks, the root and
/// nested stacks against CloudFormation's quotas and for dependency cycles.
#[napi(catch_unwind)]
pub fn check_stacks(input: String) -> napi::Result<String> {
    call(&input, core::nested_stacks::check)
}

/// `validateSource(inputJson) -> reportJson`: the standalone check of a serverless.yml.
#[napi(catch_unwind)]
pub fn validate_source(input: String) -> napi::Result<String> {
    call(&input, core::validate::validate)
}

/// `preflight(requestJson) -> Promise<reportJson>`: asks AWS about the alarms, configs and
/// deployment groups the request names. Never rejects for AWS's answers: they are in the
/// report.
#[napi]
pub async fn preflight(input: String) -> napi::Result<String> {
    call_async(
        input,
        |input| async move { aws::preflight_report(&input).await },
    )
    .await
}

/// `releaseFacts(inputJson) -> Promise<factsJson>`: `sls canary:plan --aws`, what the account
/// says about the stage's settings (first releases, alarms firing now, the `--aws` checks'
/// problems), for the packaging's plan to say; `null`, nothing asked, when the settings have an
/// error or nothing is canaried.
#[napi]
pub async fn release_facts(input: String) -> napi::Result<String> {
    call_async(input, aws::release_facts).await
}

/// `setAlarmState(inputJson) -> Promise<reportJson>`: `sls canary:alarm`, which alarms were
/// set and the problems.
#[napi]
pub async fn set_alarm_state(input: String) -> napi::Result<String> {
    call_async(
        input,
        |input| async move { aws::set_alarm_state(&input).await },
    )
    .await
}

/// `rollBack(inputJson) -> Promise<reportJson>`: `sls canary:rollback`, the deployments
/// stopped and the problems.
#[napi]
pub async fn roll_back(input: String) -> napi::Result<String> {
    call_async(input, |input| async move { aws::roll_back(&input).await }).await
}

/// `deploymentStatus(inputJson) -> Promise<reportJson>`: `sls canary:status` and the deploy's
/// progress, each canaried function's deployment and the problems.
#[napi]
pub async fn deployment_status(input: String) -> napi::Result<String> {
    call_async(input, |input| async move {
        aws::deployment_status(&input).await
    })
    .await
}

/// Parses the input, runs `operation` and serialises its answer.
fn call<'de, I: Deserialize<'de>, O: Serialize>(
    input: &'de str,
    operation: impl FnOnce(&I) -> O,
) -> napi::Result<String> {
    answer(&operation(&parse(input)?))
}

/// An async export's `call`, with a panic anywhere turned into a rejected promise: napi's
/// `catch_unwind` covers only synchronous exports.
async fn call_async<I: DeserializeOwned, O: Serialize, F: Future<Output = O>>(
    input: String,
    operation: impl FnOnce(I) -> F,
) -> napi::Result<String> {
    use futures_util::FutureExt;
    let work = async move { answer(&operation(parse(&input)?).await) };
    match std::panic::AssertUnwindSafe(work).catch_unwind().await {
        Ok(answer) => answer,
        Err(payload) => Err(internal_error(payload.as_ref())),
    }
}

fn parse<'de, I: Deserialize<'de>>(input: &'de str) -> napi::Result<I> {
    panic_probe(input);
    serde_json::from_str(input).map_err(invalid_input)
}

fn answer(output: &impl Serialize) -> napi::Result<String> {
    serde_json::to_string(output).map_err(invalid_input)
}

/// Tests only (`--features panic-probe`): an input with the key `__panicProbe` panics as it
/// is read, to prove that a panic reaches JavaScript as an Error and never ends the process.
#[cfg(feature = "panic-probe")]
fn panic_probe(input: &str) {
    if input.contains("\"__panicProbe\"") {
        panic!("panic probe: a deliberate panic inside the addon");
    }
}

#[cfg(not(feature = "panic-probe"))]
fn panic_probe(_input: &str) {}

fn internal_error(payload: &(dyn std::any::Any + Send)) -> napi::Error {
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("unknown panic");
    napi::Error::new(
        napi::Status::GenericFailure,
        format!(
            "serverless-canary: internal error, please report it with the command that caused \
             it: {message}"
        ),
    )
}

fn invalid_input(error: impl std::fmt::Display) -> napi::Error {
    napi::Error::new(
        napi::Status::InvalidArg,
        format!("serverless-canary: invalid input: {error}"),
    )
}
