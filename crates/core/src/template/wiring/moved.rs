//! An invoker now calling the alias: what routing learns about it, and what the permissions
//! that must follow it are matched against.

use serde_json::Value;

/// The principal of a public function URL's permissions, standing for its "service".
pub(crate) const PUBLIC: &str = "*";

/// An invoker now calling the alias.
pub(crate) struct Moved<'t> {
    pub id: &'t str,
    /// The service its permission grants, or `None` when it needs no resource policy.
    pub service: Option<&'static str>,
    /// Values its permission's `SourceArn` may contain to name it (API, topic, bucket...).
    pub identity: Vec<&'t Value>,
    /// Its `DependsOn`: a permission listed there is one it needs to be created (an ALB
    /// registers its target only with a permission that exists before the target group).
    pub depends_on: Vec<&'t str>,
}
