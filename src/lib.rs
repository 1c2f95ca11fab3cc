//! serverless-canary's core: reads `deploymentSettings`, validates them, and generates the
//! CodeDeploy resources. The napi exports below are the only Node-facing code.

pub mod aws;
pub mod deploy_function;
pub mod diagnostics;
pub mod limits;
pub mod naming;
pub mod operate;
pub mod plan;
pub mod plan_answer;
pub mod preflight;
pub mod settings;
pub mod source;
pub mod status_view;
#[cfg(test)]
mod status_view_tests;
mod suggest;
mod summary;
pub mod template;
pub mod traffic;
pub mod validate;

/// Parses a JSON input, calls `operation` and serialises its result: the shape of every napi
/// export, kept here so each export stays a one-line conversion.
fn call_json<I: serde::de::DeserializeOwned, O: serde::Serialize>(
    input: &str,
    operation: impl FnOnce(&I) -> O,
) -> Result<String, serde_json::Error> {
    panic_probe(input);
    serde_json::to_string(&operation(&serde_json::from_str(input)?))
}

/// Tests only (`--features panic-probe`): an input with the key `__panicProbe` panics inside
/// the core, to prove that a panic reaches JavaScript as an Error and never ends the process.
#[cfg(feature = "panic-probe")]
fn panic_probe(input: &str) {
    if input.contains("\"__panicProbe\"") {
        panic!("panic probe: a deliberate panic inside the core");
    }
}

#[cfg(not(feature = "panic-probe"))]
fn panic_probe(_input: &str) {}

pub fn plan_json(input: &str) -> Result<String, serde_json::Error> {
    panic_probe(input);
    let input: plan::PlanInput = serde_json::from_str(input)?;
    let plan = plan::plan(&input);
    let answer = serde_json::to_string(&plan_answer::PlanAnswer::new(&input, &plan));
    // Freeing the template's value trees takes a sixth of the call: let another core do it
    // while the Framework goes on.
    std::thread::spawn(move || drop((input, plan)));
    answer
}

/// The alias `sls deploy function` would bypass, as JSON (`"Live"` or `null`).
pub fn bypassed_alias_json(input: &str) -> Result<String, serde_json::Error> {
    call_json(input, deploy_function::bypassed_alias)
}

/// The standalone check of a serverless.yml text, as JSON (see [`validate::Report`]).
pub fn validate_source_json(input: &str) -> Result<String, serde_json::Error> {
    call_json(input, validate::validate)
}

/// The online checks (`--aws`) for a request built by `plan` or `validate`, as JSON.
pub async fn preflight_json(input: &str) -> Result<String, serde_json::Error> {
    panic_probe(input);
    let input = serde_json::from_str(input)?;
    serde_json::to_string(&preflight::run(&input).await)
}

/// `sls canary:alarm`: sets the canary's attached alarms to a state, as JSON.
pub async fn set_alarm_state_json(input: &str) -> Result<String, serde_json::Error> {
    panic_probe(input);
    let input = serde_json::from_str(input)?;
    serde_json::to_string(&operate::set_alarm_state(&input).await)
}

/// `sls canary:rollback`: stops the deployments in progress, as JSON.
pub async fn roll_back_json(input: &str) -> Result<String, serde_json::Error> {
    panic_probe(input);
    let input = serde_json::from_str(input)?;
    serde_json::to_string(&operate::roll_back(&input).await)
}

/// `sls canary:status`: each canaried function's current or last deployment, as JSON.
pub async fn deployment_status_json(input: &str) -> Result<String, serde_json::Error> {
    panic_probe(input);
    let input = serde_json::from_str(input)?;
    serde_json::to_string(&operate::deployment_status(&input).await)
}

#[cfg(feature = "napi")]
mod binding {
    use napi_derive::napi;

    /// `plan(inputJson) -> planJson`. JSON strings cross the boundary: one copy each way is
    /// cheaper than converting a large template object by object.
    #[napi(catch_unwind)]
    pub fn plan(input: String) -> napi::Result<String> {
        crate::plan_json(&input).map_err(invalid_input)
    }

    /// `bypassedAlias(inputJson) -> aliasJson`: the canary alias `sls deploy function` would
    /// bypass for the named function, or `null`.
    #[napi(catch_unwind)]
    pub fn bypassed_alias(input: String) -> napi::Result<String> {
        crate::bypassed_alias_json(&input).map_err(invalid_input)
    }

    /// `validateSource(inputJson) -> reportJson`: the standalone check of a serverless.yml.
    #[napi(catch_unwind)]
    pub fn validate_source(input: String) -> napi::Result<String> {
        crate::validate_source_json(&input).map_err(invalid_input)
    }

    /// `preflight(requestJson) -> Promise<reportJson>`: asks AWS about the alarms, configs and
    /// deployment groups the request names. Never rejects for AWS's answers: they are in the
    /// report.
    #[napi]
    pub async fn preflight(input: String) -> napi::Result<String> {
        guarded(crate::preflight_json(&input)).await
    }

    /// `setAlarmState(inputJson) -> Promise<reportJson>`: `sls canary:alarm`, which alarms
    /// were set and the problems.
    #[napi]
    pub async fn set_alarm_state(input: String) -> napi::Result<String> {
        guarded(crate::set_alarm_state_json(&input)).await
    }

    /// `rollBack(inputJson) -> Promise<reportJson>`: `sls canary:rollback`, the deployments
    /// stopped and the problems.
    #[napi]
    pub async fn roll_back(input: String) -> napi::Result<String> {
        guarded(crate::roll_back_json(&input)).await
    }

    /// `deploymentStatus(inputJson) -> Promise<reportJson>`: `sls canary:status` and the
    /// deploy's progress, each canaried function's deployment and the problems.
    #[napi]
    pub async fn deployment_status(input: String) -> napi::Result<String> {
        guarded(crate::deployment_status_json(&input)).await
    }

    /// An async export's work, with a panic turned into a rejected promise: napi's
    /// `catch_unwind` covers only synchronous exports.
    async fn guarded(
        work: impl std::future::Future<Output = Result<String, serde_json::Error>>,
    ) -> napi::Result<String> {
        use futures_util::FutureExt;
        match std::panic::AssertUnwindSafe(work).catch_unwind().await {
            Ok(answer) => answer.map_err(invalid_input),
            Err(payload) => Err(internal_error(payload.as_ref())),
        }
    }

    fn internal_error(payload: &(dyn std::any::Any + Send)) -> napi::Error {
        let message = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("unknown panic");
        napi::Error::new(
            napi::Status::GenericFailure,
            format!(
                "serverless-canary: internal error, please report it with the command that \
                 caused it: {message}"
            ),
        )
    }

    fn invalid_input(error: serde_json::Error) -> napi::Error {
        napi::Error::new(
            napi::Status::InvalidArg,
            format!("serverless-canary: invalid input: {error}"),
        )
    }
}
