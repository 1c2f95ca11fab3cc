//! A function's `deploymentSettings` over the custom-level defaults: where each key is read
//! from, so every problem names the setting as written.

use serde_json::{Map, Value};

use super::fields::get_key;

pub(super) const CUSTOM_PATH: &str = "custom.deploymentSettings";

/// A function's own settings over the custom-level defaults.
pub(super) struct Layers<'a> {
    pub own: Option<&'a Map<String, Value>>,
    pub own_path: String,
    pub custom: Option<&'a Map<String, Value>>,
}

impl<'a> Layers<'a> {
    /// The value for `key` and the path it came from.
    pub(super) fn get(&self, key: &str) -> Option<(&'a Value, String)> {
        if let Some((written, value)) = self.own.and_then(|own| get_key(own, key)) {
            return Some((value, format!("{}.{written}", self.own_path)));
        }
        self.custom
            .and_then(|custom| get_key(custom, key))
            .map(|(written, value)| (value, format!("{CUSTOM_PATH}.{written}")))
    }
}
