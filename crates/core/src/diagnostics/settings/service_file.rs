//! The service file itself, read by the standalone check: one it cannot open or parse, and a
//! value it cannot resolve.

use crate::diagnostics::{Code, Diagnostic};

pub(crate) fn unreadable_service(message: &str) -> Diagnostic {
    Diagnostic::new(
        Code::UnreadableService,
        "service",
        message.to_owned(),
        Some("fix the file at this position, then check again".into()),
    )
}

/// The standalone check could not open the service file.
pub(crate) fn service_file_unreadable(file: &str, error: &str) -> Diagnostic {
    Diagnostic::new(
        Code::UnreadableService,
        "service",
        format!("cannot read `{file}`: {error}"),
        Some("name the service file: `serverless-canary validate path/to/serverless.yml`".into()),
    )
}

/// `serverless.js` or `.ts`: a program that makes the config, which only the Framework runs.
pub(crate) fn service_file_is_code(file: &str) -> Diagnostic {
    Diagnostic::new(
        Code::UnreadableService,
        "service",
        format!("`{file}` is a program that makes the config, which this standalone check does not run (it reads YAML and JSON)"),
        Some("run `serverless canary:validate`, which checks the config the Framework makes of it".into()),
    )
}

pub(crate) fn not_checked(path: &str, expression: &str) -> Diagnostic {
    Diagnostic::new(
        Code::NotChecked,
        path,
        format!("not checked: this standalone check cannot resolve `{expression}`"),
        Some(
            "run `serverless canary:validate`, which checks the value the Framework resolves"
                .into(),
        ),
    )
}
