//! The one diagnostic type, its codes, the one way it is printed, and one constructor per
//! message, by the phase that finds it: every message the product prints is in this folder.

use serde::ser::{Serialize, SerializeStruct, Serializer};
use std::fmt;

mod aws;
mod code;
mod collect;
mod hints;
mod settings;
mod template;

pub use aws::*;
pub use code::{Code, Phase};
pub use collect::Diagnostics;
pub(crate) use settings::*;
pub(crate) use template::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    /// Where in the service configuration, e.g. `functions.hello.deploymentSettings.type`.
    pub path: String,
    pub message: String,
    pub hint: Option<String>,
    /// Where `path` was written in the service file, when the config came from YAML text.
    pub location: Option<Location>,
    /// The other setting a collision involves (the first of two alike). Its message ends with
    /// that setting's path, and the printed line adds where it is written.
    pub related: Option<Related>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub path: String,
    pub location: Option<Location>,
}

/// `serverless.yml:14:13`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

impl Diagnostic {
    /// Its severity is the code's.
    pub(crate) fn new(code: Code, path: &str, message: String, hint: Option<String>) -> Self {
        Diagnostic {
            severity: code.severity(),
            code,
            path: path.to_owned(),
            message,
            hint,
            location: None,
            related: None,
        }
    }

    /// Names `path`, the other setting involved, which the message ends with.
    pub(crate) fn related_to(mut self, path: &str) -> Self {
        self.related = Some(Related {
            path: path.to_owned(),
            location: None,
        });
        self
    }
}

/// The one way a diagnostic is printed, by the plugin, `canary:validate`, the standalone
/// validator and `--json` (`rendered`):
/// `serverless.yml:14:13: error[unknown-deployment-type] functions.hello.deploymentSettings.type: message (hint)`,
/// without the position when the path is not written in the file.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = &self.location {
            write!(f, "{location}: ")?;
        }
        let code = self.code.as_str();
        write!(
            f,
            "{}[{code}] {}: {}",
            self.severity, self.path, self.message
        )?;
        if let Some(location) = self.related.as_ref().and_then(|r| r.location.as_ref()) {
            write!(f, " at {location}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

/// Every error in one message, which ends packaging; `None` when there is none.
pub(crate) fn error_report(diagnostics: &[Diagnostic]) -> Option<String> {
    let errors: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(ToString::to_string)
        .collect();
    let count = match errors.len() {
        0 => return None,
        1 => "1 problem".to_owned(),
        n => format!("{n} problems"),
    };
    Some(format!(
        "serverless-canary found {count} in deploymentSettings:\n  {}",
        errors.join("\n  ")
    ))
}

/// As data, plus the rendered line, so the JavaScript side prints it without formatting rules
/// of its own.
impl Serialize for Diagnostic {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let location = self.location.as_ref();
        let mut out = serializer.serialize_struct("Diagnostic", 10)?;
        out.serialize_field("severity", &self.severity)?;
        out.serialize_field("code", &self.code)?;
        out.serialize_field("path", &self.path)?;
        out.serialize_field("message", &self.message)?;
        out.serialize_field("hint", &self.hint)?;
        out.serialize_field("file", &location.map(|l| &l.file))?;
        out.serialize_field("line", &location.map(|l| l.line))?;
        out.serialize_field("column", &location.map(|l| l.column))?;
        out.serialize_field("related", &self.related.as_ref().map(|r| &r.path))?;
        out.serialize_field("rendered", &self.to_string())?;
        out.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_path_message_and_hint() {
        let d = unknown_deployment_type(
            "functions.hello.deploymentSettings.type",
            "Canary10Percent5Minute",
            &["Canary10Percent5Minutes", "AllAtOnce"],
        );
        assert_eq!(
            d.to_string(),
            "error[unknown-deployment-type] functions.hello.deploymentSettings.type: unknown deployment type `Canary10Percent5Minute` (did you mean `Canary10Percent5Minutes`?)"
        );
    }

    #[test]
    fn far_values_list_the_accepted_set() {
        let d = unknown_key("p", "zzzzzz", &["type", "alias"]);
        assert_eq!(d.hint.as_deref(), Some("accepted values: type, alias"));
    }
}
