//! Which invocations an AWS/Lambda alarm counts, and the names that make an alarm one: read
//! with the alarm's settings, judged against what Lambda publishes, and generated into it.

/// The namespace Lambda publishes its metrics in, the default for alarm definitions.
pub(crate) const LAMBDA_NAMESPACE: &str = "AWS/Lambda";

/// `metric: ErrorRate`: errors per invocation in percent, computed with metric math.
pub(crate) const ERROR_RATE: &str = "ErrorRate";

/// Which invocations an AWS/Lambda alarm counts, from the fewest to the most: the order of
/// the variants is what `narrower_than` compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Scope {
    /// Only the new version, through the alias: the old version's errors never roll it back.
    Canary,
    /// Everything through the alias, old and new version.
    Alias,
    /// Every invocation of the function, any version or alias.
    Function,
}

impl Scope {
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            Scope::Canary => "canary",
            Scope::Alias => "alias",
            Scope::Function => "function",
        }
    }

    /// Counts fewer invocations than `other`.
    pub(crate) fn narrower_than(self, other: Scope) -> bool {
        self < other
    }
}
