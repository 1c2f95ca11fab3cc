//! The standalone check of a serverless.yml text: YAML events with positions, variables,
//! settings, and every diagnostic located in the text. Any bytes, never a panic.
//! The check itself is `serverless_canary_core::fuzz_checks::yaml_source`, which `cargo test` also
//! runs over the stored corpus.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| serverless_canary_core::fuzz_checks::yaml_source(data));
