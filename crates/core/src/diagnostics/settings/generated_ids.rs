//! The logical IDs the settings make: two settings that make the same one, or one too long for
//! CloudFormation.

use crate::diagnostics::{Code, Diagnostic};

/// Two settings make the same logical ID. `first` is the setting that made it first; a
/// repeat found only in the template (`first` empty) is named by the resource.
pub(crate) fn generated_id_repeated(path: &str, logical_id: &str, first: &str) -> Diagnostic {
    let hint = Some(
        "rename one of them: an alarm's logical ID keeps only the letters and digits of its name, a function's spells `-` and `_` as `Dash` and `Underscore`"
            .into(),
    );
    if first.is_empty() {
        return Diagnostic::new(
            Code::GeneratedIdRepeated,
            path,
            format!("two settings would both create `{logical_id}`"),
            hint,
        );
    }
    Diagnostic::new(
        Code::GeneratedIdRepeated,
        path,
        format!("this would create `{logical_id}` a second time; the first is `{first}`"),
        hint,
    )
    .related_to(first)
}

/// CloudFormation refuses the template. `origin` is the config path whose value the ID carries.
pub(crate) fn logical_id_too_long(
    origin: &str,
    logical_id: &str,
    length: usize,
    limit: usize,
) -> Diagnostic {
    // The start and the end of a long ID, cut between characters, never inside one.
    let chars: Vec<char> = logical_id.chars().collect();
    let shown = if chars.len() > 70 {
        let start: String = chars[..60].iter().collect();
        let end: String = chars[chars.len() - 10..].iter().collect();
        format!("{start}...{end}")
    } else {
        logical_id.to_owned()
    };
    let spelled_out = if logical_id.contains("Dash") || logical_id.contains("Underscore") {
        ": shorten this value, and mind that logical IDs spell each `-` as `Dash` and each `_` as `Underscore`"
    } else {
        ": shorten this value"
    };
    Diagnostic::new(
        Code::LogicalIdTooLong,
        origin,
        format!("this value makes the logical ID `{shown}`, {length} characters long; CloudFormation allows at most {limit}"),
        Some(format!("the logical ID must lose {} characters{spelled_out}", length - limit)),
    )
}
