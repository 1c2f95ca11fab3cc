//! What the standalone check and the `--aws` checks answer: the diagnostics, counted.

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Severity};
use crate::preflight_request::PreflightRequest;
use crate::release::ReleaseFacts;

#[derive(Debug, Serialize)]
pub struct Report {
    /// Why the text is not a readable service, when it is not; nothing else is checked.
    pub unreadable: Option<Diagnostic>,
    pub errors: usize,
    pub warnings: usize,
    /// Each with its `rendered` line, for editors and CI.
    pub diagnostics: Vec<Diagnostic>,
    /// What `--aws` looks up; none when the file is unreadable or the stage is not canaried.
    pub preflight: Option<PreflightRequest>,
    /// `--aws`: what `canary:plan` says per function (first releases, alarms firing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facts: Option<ReleaseFacts>,
}

impl Report {
    pub fn new(diagnostics: Vec<Diagnostic>) -> Self {
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        Report {
            unreadable: None,
            errors,
            warnings: diagnostics.len() - errors,
            diagnostics,
            preflight: None,
            facts: None,
        }
    }

    pub(crate) fn unreadable(diagnostic: Diagnostic) -> Self {
        Report {
            unreadable: Some(diagnostic),
            ..Report::new(Vec::new())
        }
    }
}
