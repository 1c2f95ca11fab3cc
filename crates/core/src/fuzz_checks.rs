//! What each fuzz target checks, over one input: the cargo-fuzz targets in `fuzz/` call these,
//! and `tests/fuzz_corpus.rs` replays the stored corpus through them in `cargo test`, so an
//! input that once found a bug fails CI if the bug comes back.

use serde_json::Value;

use crate::diagnostics::Diagnostics;
use crate::plan::{answer_json, PlanInput};
use crate::settings::read_settings;
use crate::validate::{validate, ValidateInput};

/// `plan_template`: any plan input the plugin could send, its template inside it (the addon
/// reads a template sent apart with the same reader). Never a panic, and the answer always
/// serialises.
pub fn plan_template(data: &[u8]) {
    let text = std::str::from_utf8(data).ok();
    let Some(input) = text.and_then(|text| PlanInput::read(text, None).ok()) else {
        return;
    };
    answer_json(&input).expect("the answer serialises");
}

/// `settings_json`: `{"custom": ..., "functions": {...}}` as the Framework could resolve it.
/// Whatever the values, reading never panics and every problem is a diagnostic.
pub fn settings_json(data: &[u8]) {
    let Ok(Value::Object(service)) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let functions = match service.get("functions") {
        Some(Value::Object(functions)) => functions.clone(),
        _ => return,
    };
    let mut diagnostics = Diagnostics::default();
    read_settings(service.get("custom"), &functions, &mut diagnostics);
}

/// `yaml_source`: the standalone check of any serverless.yml text, with variables resolved from
/// a stage option and an environment variable. Any bytes, never a panic.
pub fn yaml_source(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    validate(&ValidateInput {
        file: "serverless.yml".into(),
        text: text.into(),
        options: [("stage".to_owned(), "prod".to_owned())].into(),
        env: [("THRESHOLD".to_owned(), "3".to_owned())].into(),
        read_error: None,
    });
}
