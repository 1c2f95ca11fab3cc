//! Reading `deploymentSettings` from any JSON the Framework could resolve: `{"custom": ...,
//! "functions": {...}}`. Whatever the values, reading never panics and every problem is a
//! diagnostic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use serverless_canary_core::diagnostics::Diagnostics;
use serverless_canary_core::settings::read_settings;

fuzz_target!(|data: &[u8]| {
    let Ok(Value::Object(service)) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let functions = match service.get("functions") {
        Some(Value::Object(functions)) => functions.clone(),
        _ => return,
    };
    let mut diagnostics = Diagnostics::default();
    read_settings(service.get("custom"), &functions, &mut diagnostics);
});
