//! The standalone check of a serverless.yml text: YAML events with positions, variables,
//! settings, and every diagnostic located in the text. Any bytes, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serverless_canary_core::validate::{validate, ValidateInput};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    validate(&ValidateInput {
        file: "serverless.yml".into(),
        text: text.into(),
        options: [("stage".to_owned(), "prod".to_owned())].into(),
        env: [("THRESHOLD".to_owned(), "3".to_owned())].into(),
    });
});
