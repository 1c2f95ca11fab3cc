//! The collector every check reports into: a list that also counts its errors, so "did this
//! setting add an error?" is a comparison of two counts and can never count a warning.

use super::{Code, Diagnostic, Severity};

#[derive(Debug, Default)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
    errors: usize,
}

/// How many diagnostics, and how many errors, had been reported when it was taken. A mark
/// taken before a `retain` or `dedup` means nothing after it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    reported: usize,
    errors: usize,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        if diagnostic.severity == Severity::Error {
            self.errors += 1;
        }
        self.list.push(diagnostic);
    }

    /// A mark to ask [`Diagnostics::errors_since`] and [`Diagnostics::since`] about later.
    pub(crate) fn mark(&self) -> Mark {
        Mark {
            reported: self.list.len(),
            errors: self.errors,
        }
    }

    /// Whether an error was reported after `mark` was taken: a warning never makes a setting
    /// unusable.
    pub(crate) fn errors_since(&self, mark: Mark) -> bool {
        self.errors > mark.errors
    }

    /// What was reported after `mark` was taken: only the new ones are read, so checking each
    /// setting stays linear.
    pub(crate) fn since(&self, mark: Mark) -> &[Diagnostic] {
        self.list.get(mark.reported..).unwrap_or_default()
    }

    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }

    /// Whether a problem with `code` was reported: one check may stand in for another.
    pub(crate) fn has(&self, code: Code) -> bool {
        self.list.iter().any(|d| d.code == code)
    }

    pub fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.list.retain(keep);
        self.errors = errors_in(&self.list);
    }

    /// The same problem found twice (a custom-level default read for every function) is
    /// reported once.
    pub(crate) fn dedup(&mut self) {
        let mut seen = std::collections::HashSet::new();
        self.retain(|d| seen.insert((d.code, d.path.clone(), d.message.clone())));
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.list
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, diagnostics: I) {
        for diagnostic in diagnostics {
            self.push(diagnostic);
        }
    }
}

/// What tests look at; the product only pushes, asks about errors and hands the list on.
#[cfg(test)]
impl Diagnostics {
    pub(crate) fn len(&self) -> usize {
        self.list.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub(crate) fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.list.iter()
    }
}

fn errors_in(list: &[Diagnostic]) -> usize {
    list.iter()
        .filter(|d| d.severity == Severity::Error)
        .count()
}
