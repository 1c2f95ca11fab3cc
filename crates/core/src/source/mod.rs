//! Reads a serverless.yml text without the Serverless Framework: the service config, where each
//! path was written, and which values hold variables this reader cannot resolve.

mod framework_shape;
mod span;
mod variable_syntax;
pub(crate) mod variables;
pub(crate) mod yaml;
mod yaml_schema;
mod yaml_timestamp;

pub(crate) use span::{Span, Spans};
pub(crate) use variables::{Options, Unresolved};
pub(crate) use yaml_schema::{non_finite_number, NON_FINITE_KEY};

use std::fmt;

use rustc_hash::FxHashSet;
use serde_json::Value;

use crate::diagnostics::{Diagnostic, Location};
use crate::settings::yaml_dates::WrittenDates;
use variables::Resolution;
use yaml::Document;

/// A serverless.yml as the Framework would hand it to the plugin, as far as that is known
/// without booting it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Service {
    /// Key order as written; variables resolved where they could be.
    pub config: Value,
    /// Where each config path was written; paths are those of the config as written.
    pub spans: Spans,
    /// Values left as written: their paths are "not checked".
    pub unresolved: Vec<Unresolved>,
    /// Plain scalars the Framework's loader reads as dates, by path, as written.
    pub dates: WrittenDates,
}

/// Parses the text and resolves the variables that need neither AWS nor the Framework.
pub(crate) fn read_service(text: &str, options: &Options) -> Result<Service, SourceError> {
    let Document {
        config,
        spans,
        dates,
    } = read_document(text)?;
    if !config.is_object() {
        let at = spans.value("").unwrap_or(Span {
            offset: 0,
            line: 1,
            column: 1,
        });
        return Err(SourceError::new(
            at,
            "serverless.yml must be a mapping of service settings (service, provider, functions, ...)",
        ));
    }
    let Resolution { config, unresolved } = variables::resolve(config, options);
    Ok(Service {
        config,
        spans,
        unresolved,
        dates,
    })
}

/// The text parsed, in the shape the Framework gives plugins (see [`framework_shape`]).
fn read_document(text: &str) -> Result<Document, SourceError> {
    let mut document = yaml::parse(text)?;
    framework_shape::apply(&mut document);
    Ok(document)
}

/// [`read_document`]'s spans of the `wanted` paths, without the config. For a few paths, the
/// read stops once it has every one the text can hold. Otherwise it goes to the end: when one
/// may sit under a list of functions (the Framework's merge of that list lets a later entry's
/// span replace an earlier one's), and when there are many, since each costs a scan of the
/// text to tell whether it can be there.
fn read_spans(text: &str, wanted: &FxHashSet<&str>) -> Result<Spans, SourceError> {
    let renamed = wanted.iter().any(|path| framework_shape::renamed_to(path));
    let mut spans = if renamed || wanted.len() > STOP_EARLY_FOR_AT_MOST {
        let keep =
            |path: &str| wanted.contains(path) || (renamed && framework_shape::renames(path));
        yaml::spans_of(text, &keep, None)?
    } else {
        let findable: FxHashSet<&str> = wanted
            .iter()
            .copied()
            .filter(|path| keys_spelled_in(text, path))
            .collect();
        yaml::spans_of(text, &|path| findable.contains(path), Some(findable.len()))?
    };
    framework_shape::apply_to_spans(&mut spans);
    Ok(spans)
}

/// The most paths [`read_spans`] looks for in the text before it reads: a warning or two and
/// their ancestors.
const STOP_EARLY_FOR_AT_MOST: usize = 16;

/// The bytes a plain YAML scalar can follow: a line start or space, a flow collection's `[`,
/// `{` or `,`, and `:` (a flow mapping's value after a quoted key). Anything else puts the
/// text inside a scalar that began earlier.
const SCALAR_STARTS_AFTER: &[u8] = b" \t\r\n[{,:";

/// The plain scalars of a YAML text the Framework's loader reads as dates, by path as the
/// Framework hands the config to plugins; none when the text is not YAML this reader can read.
pub(crate) fn written_dates(text: &str) -> WrittenDates {
    // Every package asks: a text that cannot hold one is not parsed again.
    if !may_hold_dates(text) {
        return WrittenDates::new();
    }
    read_document(text)
        .map(|document| document.dates)
        .unwrap_or_default()
}

/// Whether a plain scalar of `text` may start with `dddd-d`, `.nan` or `.inf`. Only where a
/// scalar can start counts, so a stream ARN's `/2024-01-01T...` or a handler's `.info` does
/// not make the text parsed again.
fn may_hold_dates(text: &str) -> bool {
    let bytes = text.as_bytes();
    let starts_scalar = |at: usize| at == 0 || SCALAR_STARTS_AFTER.contains(&bytes[at - 1]);
    let date = bytes.windows(6).enumerate().any(|(at, w)| {
        w[..4].iter().all(u8::is_ascii_digit)
            && w[4] == b'-'
            && w[5].is_ascii_digit()
            && starts_scalar(at)
    });
    date || bytes.windows(4).enumerate().any(|(at, w)| {
        w[0] == b'.'
            && (w[1..].eq_ignore_ascii_case(b"nan") || w[1..].eq_ignore_ascii_case(b"inf"))
            && (starts_scalar(at)
                || (at > 0 && matches!(bytes[at - 1], b'+' | b'-') && starts_scalar(at - 1)))
    })
}

/// Why a text could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourceError {
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

/// Points each diagnostic at where its path was written in `text`. Text this parser cannot
/// read (the Framework read it with its own loader) leaves them without a location.
pub fn locate(diagnostics: &mut [Diagnostic], file: &str, text: &str) {
    // Nothing to point at: a clean package does not parse the file again.
    if diagnostics.is_empty() {
        return;
    }
    let spans = read_spans(text, &named_paths(diagnostics));
    if let Ok(spans) = spans {
        locate_in(diagnostics, file, &spans);
    }
}

/// The paths the diagnostics name and their ancestors, where [`Spans::locate`] falls back.
fn named_paths(diagnostics: &[Diagnostic]) -> FxHashSet<&str> {
    let mut named = FxHashSet::default();
    let paths = diagnostics.iter().flat_map(|diagnostic| {
        let related = diagnostic
            .related
            .as_ref()
            .map(|related| related.path.as_str());
        std::iter::once(diagnostic.path.as_str()).chain(related)
    });
    for path in paths {
        let mut at = Some(path);
        while let Some(path) = at.filter(|path| named.insert(*path)) {
            at = span::parent(path);
        }
    }
    named
}

/// Whether each key of `path` is spelled somewhere in `text`, as a key the reader records
/// must be. One that is not (`custom.deploymentSettings` in a file without `custom:`) cannot be
/// found, and waiting for it would read the whole file; its diagnostic points at the nearest
/// ancestor that is written. A key spelled only through escapes (`"\x63ustom":`) is missed
/// the same way when the read stops early.
fn keys_spelled_in(text: &str, path: &str) -> bool {
    path.split('.')
        .map(|segment| segment.split_once('[').map_or(segment, |(key, _)| key))
        .all(|key| text.contains(key))
}

/// [`locate`] with spans already read.
pub(crate) fn locate_in(diagnostics: &mut [Diagnostic], file: &str, spans: &Spans) {
    let located = |path: &str| {
        spans.locate(path).map(|span| Location {
            file: file.to_owned(),
            line: span.line,
            column: span.column,
        })
    };
    for diagnostic in diagnostics {
        diagnostic.location = located(&diagnostic.path);
        if let Some(related) = &mut diagnostic.related {
            related.location = located(&related.path);
        }
    }
}

/// The service file as written, when it is YAML, so each problem is printed with its
/// `file:line:col`.
#[derive(Debug, serde::Deserialize)]
pub struct SourceText {
    /// As the user names it (`serverless.yml`).
    pub file: String,
    pub text: String,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::diagnostics::Code;

    #[test]
    fn only_a_scalar_that_starts_like_a_date_or_non_finite_number_costs_a_parse() {
        let inside_other_scalars = "\
functions:
  reader:
    handler: handler.info
    events:
      - stream: arn:aws:dynamodb:us-east-1:1:table/t/stream/2026-01-01T00:00:00.000
      - sqs: arn:aws:sqs:us-east-1:1:queue-2026-01
";
        assert!(!may_hold_dates(inside_other_scalars));
        for text in [
            "2024-01-01: x",
            "alias: 2024-01-01",
            "aliases:\n  - 2024-1-1 10:00",
            "aliases: [a,2024-01-01]",
            "aliases: {\"a\":2024-01-01}",
            "threshold: .inf",
            "threshold: -.INF",
            "threshold: [+.inf]",
            "threshold: .NaN",
        ] {
            assert!(may_hold_dates(text), "{text}");
        }
    }

    #[test]
    fn reads_a_service_with_spans_and_unresolved_paths() {
        let text = "\
service: orders
provider:
  name: aws
  stage: ${opt:stage, 'dev'}
functions:
  hello:
    deploymentSettings:
      type: ${self:custom.types.${sls:stage}}
      alias: ${ssm:/orders/alias}
custom:
  types:
    prod: Canary10Percent5Minutes
";
        let options = Options {
            cli: [("stage".to_owned(), "prod".to_owned())].into(),
            ..Options::default()
        };
        let Ok(service) = read_service(text, &options) else {
            panic!("did not read");
        };
        let settings = &service.config["functions"]["hello"]["deploymentSettings"];
        assert_eq!(
            settings,
            &json!({"type": "Canary10Percent5Minutes", "alias": "${ssm:/orders/alias}"})
        );
        let alias = "functions.hello.deploymentSettings.alias";
        assert_eq!(
            service.unresolved,
            [Unresolved {
                path: alias.to_owned(),
                expression: "${ssm:/orders/alias}".to_owned(),
            }]
        );
        assert_eq!(
            service.spans.locate(alias).map(|s| s.to_string()),
            Some("9:14".to_owned())
        );
    }

    #[test]
    fn a_warning_is_placed_from_the_top_of_the_file_without_reading_the_rest() {
        let placed = |path: &str, text: &str| {
            let mut diagnostics = [Diagnostic::new(
                Code::ManyConcurrentDeployments,
                path,
                String::new(),
                None,
            )];
            locate(&mut diagnostics, "serverless.yml", text);
            let location = diagnostics[0].location.take();
            location.map(|at| (at.line, at.column))
        };
        // The rest cannot be parsed: a read of the whole file would place nothing.
        let unreadable_rest = "functions: [unclosed\n";
        let with_custom =
            format!("custom:\n  deploymentSettings:\n    stages: [dev]\n{unreadable_rest}");
        assert_eq!(
            placed("custom.deploymentSettings", &with_custom),
            Some((2, 3))
        );
        // No `custom` key anywhere: the root, found at the first line read.
        let without_custom = format!("# the service\nservice: orders\n{unreadable_rest}");
        assert_eq!(
            placed("custom.deploymentSettings", &without_custom),
            Some((2, 1))
        );
        // Spelled, but not as a key: the file is read on, and the rest fails as before.
        let spelled_in_a_value = format!("service: custom\n{unreadable_rest}");
        assert_eq!(
            placed("custom.deploymentSettings", &spelled_in_a_value),
            None
        );
    }

    #[test]
    fn errors_print_as_line_col_message() {
        let error = read_service("service: [orders\n", &Options::default()).err();
        assert_eq!(
            error.map(|e| e.to_string()),
            Some("2:1: while parsing a flow sequence, expected ',' or ']'".to_owned())
        );
        let error = read_service("- just a list\n", &Options::default()).err();
        assert_eq!(error.map(|e| (e.span.line, e.span.column)), Some((1, 1)));
        assert!(read_service("", &Options::default()).is_err());
    }
}
