//! Generation over any template and settings: the plan input as the plugin sends it (stage,
//! stack name, settings, compiled template). Never a panic, and the answer always serialises.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serverless_canary::plan::{plan, PlanInput};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = serde_json::from_slice::<PlanInput>(data) else {
        return;
    };
    serde_json::to_string(&plan(&input)).expect("a plan serialises");
});
