//! Reads a serverless.yml text without the Serverless Framework: the service config, where each
//! path was written, and which values hold variables this reader cannot resolve.

mod span;
pub mod yaml;
mod yaml_schema;

pub use span::{Span, Spans};

use std::fmt;

/// Why a text could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    pub span: Span,
    pub message: String,
}

impl SourceError {
    fn new(span: Span, message: impl Into<String>) -> Self {
        SourceError {
            span,
            message: message.into(),
        }
    }
}

impl fmt::Display for SourceError {
    /// `line:col: message`, so the caller prints `file:` before it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.span, self.message)
    }
}

impl std::error::Error for SourceError {}
