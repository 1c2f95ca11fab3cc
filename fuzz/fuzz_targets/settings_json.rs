//! Reading `deploymentSettings` from any JSON the Framework could resolve: `{"custom": ...,
//! "functions": {...}}`. Whatever the values, reading never panics and every problem is a
//! diagnostic.
//! The check itself is `serverless_canary_core::fuzz_checks::settings_json`, which `cargo test` also
//! runs over the stored corpus.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| serverless_canary_core::fuzz_checks::settings_json(data));
