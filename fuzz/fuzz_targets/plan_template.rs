//! Generation over any template and settings: the plan input as the plugin sends it (stage,
//! stack name, settings, compiled template). Never a panic, and the answer always serialises.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serverless_canary_core::plan::{plan, PlanInput};
use serverless_canary_core::plan_answer::PlanAnswer;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = serde_json::from_slice::<PlanInput>(data) else {
        return;
    };
    let plan = plan(&input);
    serde_json::to_string(&PlanAnswer::new(&input, &plan)).expect("the answer serialises");
});
