//! `plan`, the export packaging calls: parse the service, plan it, serialise the answer, and
//! free the input on another thread.

use serverless_canary_core::plan::PlanAnswer;
use serverless_canary_core::plan::{plan, PlanInput};

/// The service in, the resources to write back and every diagnostic out, as JSON.
pub(crate) fn plan_json(input: &str) -> Result<String, serde_json::Error> {
    let input: PlanInput = serde_json::from_str(input)?;
    let plan = plan(&input);
    let answer = serde_json::to_string(&PlanAnswer::new(&input, &plan));
    // Freeing the template's value trees takes a sixth of the call: let another core do it
    // while the Framework goes on.
    std::thread::spawn(move || drop((input, plan)));
    answer
}
