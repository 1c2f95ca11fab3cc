//! An invoker now calling the alias, and a resource still calling the bare function: what
//! routing learns about each, and what permissions are matched against.

use crate::template::tree::Node;

/// The principal of a public function URL's permissions, standing for its "service".
pub(crate) const PUBLIC: &str = "*";

/// An invoker now calling the alias.
pub(crate) struct Moved<'t> {
    pub id: &'t str,
    /// The service its permission grants, or `None` when it needs no resource policy.
    pub service: Option<&'static str>,
    /// Values its permission's `SourceArn` may contain to name it (API, topic, bucket...).
    pub identity: Vec<&'t Node<'t>>,
    /// Its `DependsOn`: a permission listed there is one it needs to be created (an ALB
    /// registers its target only with a permission that exists before the target group).
    pub depends_on: Vec<&'t str>,
}

/// A resource that still calls the bare function after routing. A permission that grants it
/// must stay on the function, so one moving to the alias with the routed invokers is an error.
pub(crate) struct BareCall<'t> {
    pub id: &'t str,
    pub resource_type: &'t str,
    /// Where it names the bare function (`Properties.Targets[1].Arn`).
    pub property: String,
    /// The service its permission grants, when the routing table knows its type; a type it
    /// does not know counts as granted only by a permission whose `SourceArn` names it.
    pub service: Option<&'static str>,
    /// Values its permission's `SourceArn` may contain to name it, as for [`Moved`].
    pub identity: Vec<&'t Node<'t>>,
}
