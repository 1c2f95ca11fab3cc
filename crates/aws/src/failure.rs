//! Why an AWS call could not be made or answered, reduced to what a user can act on. The same
//! failure of many calls (ten alarms, no credentials) becomes one diagnostic, never an SDK dump.

use std::collections::{BTreeMap, BTreeSet};
use std::error::Error;

use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_cloudwatch::config::http::HttpResponse;
use aws_sdk_cloudwatch::error::{ProvideErrorMetadata, SdkError};

use super::sdk_config::OPERATION_TIMEOUT;
use serverless_canary_core::diagnostics::{self as diag, Diagnostic};

/// One API call, named as a user meets it: the service, and the IAM action that allows it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Call {
    pub service: &'static str,
    pub action: &'static str,
}

/// Error codes AWS answers with once its request rate limit is hit.
const THROTTLING: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
];
const ACCESS_DENIED: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
];
/// Credentials that were found but that AWS does not accept.
const CREDENTIALS_REJECTED: &[&str] = &[
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "SignatureDoesNotMatch",
    "InvalidSignatureException",
    "IncompleteSignature",
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidAccessKeyId",
    "AuthFailure",
    "RequestExpired",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    NoCredentials,
    CredentialsRejected,
    Unreachable,
    Throttled,
    AccessDenied,
    Other,
}

/// A call that failed: what kind of failure, what it concerns (a service, an IAM action), and
/// a one-line detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    kind: Kind,
    subject: &'static str,
    detail: String,
}

impl Failure {
    pub(crate) fn of<E>(call: Call, error: &SdkError<E, HttpResponse>) -> Self
    where
        E: ProvideErrorMetadata + Error + 'static,
    {
        let failure = |kind, subject, detail| Failure {
            kind,
            subject,
            detail,
        };
        if let Some(credentials) = find_in_chain::<CredentialsError>(error) {
            // "Not loaded" lists every provider of the chain over several lines; where it
            // looked is said better in the diagnostic.
            let cause = match credentials {
                CredentialsError::CredentialsNotLoaded(_) => String::new(),
                _ => innermost(credentials),
            };
            return failure(Kind::NoCredentials, call.service, cause);
        }
        match error {
            SdkError::ServiceError(_) => {
                let code = error.code().unwrap_or_default();
                if THROTTLING.contains(&code) {
                    failure(Kind::Throttled, call.service, String::new())
                } else if ACCESS_DENIED.contains(&code) {
                    failure(Kind::AccessDenied, call.action, String::new())
                } else if CREDENTIALS_REJECTED.contains(&code) {
                    failure(Kind::CredentialsRejected, call.service, code.to_owned())
                } else {
                    failure(Kind::Other, call.action, answer_summary(error))
                }
            }
            SdkError::TimeoutError(_) => failure(
                Kind::Unreachable,
                call.service,
                format!("no answer within {} seconds", OPERATION_TIMEOUT.as_secs()),
            ),
            SdkError::DispatchFailure(dispatch) if dispatch.is_io() || dispatch.is_timeout() => {
                failure(Kind::Unreachable, call.service, innermost(error))
            }
            SdkError::ResponseError(_) => failure(
                Kind::Other,
                call.action,
                format!("unreadable answer ({})", answer_summary(error)),
            ),
            _ => failure(Kind::Other, call.action, innermost(error)),
        }
    }
}

/// Every failure of one run of checks, rendered as one diagnostic per kind.
#[derive(Debug, Default)]
pub(crate) struct Failures {
    by_kind: BTreeMap<Kind, (BTreeSet<&'static str>, BTreeSet<String>)>,
}

impl Failures {
    pub(crate) fn is_empty(&self) -> bool {
        self.by_kind.is_empty()
    }

    /// The answer, or an empty one with the failure recorded: an outage never stops the other
    /// lookups.
    pub(crate) fn record<T: Default>(&mut self, answer: Result<T, Failure>) -> T {
        answer.unwrap_or_else(|failure| {
            self.add(failure);
            T::default()
        })
    }

    pub(crate) fn add(&mut self, failure: Failure) {
        let (subjects, details) = self.by_kind.entry(failure.kind).or_default();
        subjects.insert(failure.subject);
        if !failure.detail.is_empty() {
            details.insert(failure.detail);
        }
    }

    /// `region` and `profile` as the SDK used them, so messages say where it looked.
    pub(crate) fn into_diagnostics(self, region: &str, profile: Option<&str>) -> Vec<Diagnostic> {
        let list = |set: &BTreeSet<&str>| set.iter().copied().collect::<Vec<_>>().join(", ");
        let details = |set: &BTreeSet<String>| {
            set.iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join("; ")
        };
        self.by_kind
            .into_iter()
            .map(|(kind, (subjects, found))| match kind {
                Kind::NoCredentials => diag::aws_no_credentials(profile, &details(&found)),
                Kind::CredentialsRejected => diag::aws_credentials_rejected(&details(&found)),
                Kind::Unreachable => {
                    diag::aws_unreachable(&list(&subjects), region, &details(&found))
                }
                Kind::Throttled => diag::aws_throttled(&list(&subjects)),
                Kind::AccessDenied => diag::aws_access_denied(&list(&subjects)),
                Kind::Other => diag::aws_call_failed(&list(&subjects), &details(&found)),
            })
            .collect()
    }
}

/// "Code: message" of an error answer, or its HTTP status when it has no code.
fn answer_summary<E>(error: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + Error + 'static,
{
    let status = error.raw_response().map(|r| r.status().as_u16());
    match (error.code(), error.message(), status) {
        (Some(code), Some(message), _) => one_line(&format!("{code}: {message}")),
        (Some(code), None, _) => one_line(code),
        (None, _, Some(status)) => format!("HTTP status {status}"),
        (None, _, None) => innermost(error),
    }
}

fn find_in_chain<'a, T: Error + 'static>(error: &'a (dyn Error + 'static)) -> Option<&'a T> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(found) = error.downcast_ref::<T>() {
            return Some(found);
        }
        current = error.source();
    }
    None
}

/// The last error of the source chain, on one line: the SDK's outer layers only say
/// "dispatch failure" or "service error"; the cause ("Connection refused", "failed to load
/// the cached SSO token") is at the bottom.
fn innermost(error: &(dyn Error + 'static)) -> String {
    let mut current = error;
    while let Some(source) = current.source() {
        current = source;
    }
    one_line(&current.to_string())
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Splits the answers of calls sent together into what came back and what failed.
pub(crate) fn partition<T>(
    answers: impl IntoIterator<Item = Result<T, Failure>>,
) -> (Vec<T>, Vec<Failure>) {
    let mut answered = Vec::new();
    let mut failures = Vec::new();
    for answer in answers {
        match answer {
            Ok(value) => answered.push(value),
            Err(failure) => failures.push(failure),
        }
    }
    (answered, failures)
}
