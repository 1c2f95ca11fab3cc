//! `plan`, the export packaging calls: parse the service, plan it, serialise the answer.

use serverless_canary_core::plan::PlanAnswer;
use serverless_canary_core::plan::{plan, PlanInput};

/// The service in, the resources to write back and every diagnostic out, as JSON.
pub(crate) fn plan_json(input: &str) -> Result<String, serde_json::Error> {
    let input: PlanInput = serde_json::from_str(input)?;
    let plan = plan(&input);
    serde_json::to_string(&PlanAnswer::new(&input, &plan))
}
