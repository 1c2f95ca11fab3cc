//! Generation over any template and settings: the plan input as the plugin sends it (stage,
//! stack name, settings, compiled template). Never a panic, and the answer always serialises.
//! The check itself is `serverless_canary_core::fuzz_checks::plan_template`, which `cargo test` also
//! runs over the stored corpus.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| serverless_canary_core::fuzz_checks::plan_template(data));
