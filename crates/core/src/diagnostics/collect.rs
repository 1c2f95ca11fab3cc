//! The collector every check reports into: a list that also counts its errors, so "did this
//! setting add an error?" is a comparison of two counts and can never count a warning.

use super::{Diagnostic, Severity};

#[derive(Debug, Default)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
    errors: usize,
}

/// How many diagnostics, and how many errors, had been reported when it was taken.
#[derive(Debug, Clone, Copy)]
pub struct Mark {
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
    pub fn since(&self, mark: Mark) -> &[Diagnostic] {
        &self.list[mark.reported..]
    }

    pub fn has_errors(&self) -> bool {
        self.errors > 0
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

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.list.iter()
    }

    pub(crate) fn as_mut_slice(&mut self) -> &mut [Diagnostic] {
        &mut self.list
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

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(list: Vec<Diagnostic>) -> Self {
        Diagnostics {
            errors: errors_in(&list),
            list,
        }
    }
}

fn errors_in(list: &[Diagnostic]) -> usize {
    list.iter()
        .filter(|d| d.severity == Severity::Error)
        .count()
}
