//! CloudFormation generation, one file per concern. [`Changes`] is the only way resources reach
//! the output, so no generator can overwrite a logical ID the plugin does not own.

pub(crate) mod alarms;
pub(crate) mod alias;
pub(crate) mod baseline_alarms;
pub(crate) mod bypass;
pub(crate) mod canary_alarms;
pub(crate) mod codedeploy;
pub(crate) mod composites;
pub(crate) mod concurrency;
pub(crate) mod given_role;
pub(crate) mod graph;
pub(crate) mod hooks;
pub(crate) mod iam_policy;
pub(crate) mod index;
pub(crate) mod json_size;
pub(crate) mod patch;
pub(crate) mod placement;
pub(crate) mod quotas;
pub(crate) mod references;
pub(crate) mod role;
pub(crate) mod tree;
pub(crate) mod verification_hooks;
pub(crate) mod wiring;

use rustc_hash::FxHashSet as HashSet;
use tree::{Node, Object};

use crate::diagnostics::{self as diag, Diagnostics};
use crate::limits;
use index::TemplateIndex;

/// The resources to write back: new ones the plugin creates, existing invokers it rewired, and
/// the Framework resources it replaces.
pub(crate) struct Changes<'i, 't> {
    index: &'i TemplateIndex<'t>,
    resources: Object<'t>,
    removed: Vec<String>,
}

impl<'i, 't> Changes<'i, 't> {
    pub(crate) fn new(index: &'i TemplateIndex<'t>) -> Self {
        Self {
            index,
            resources: Object::new(),
            removed: Vec::new(),
        }
    }

    /// Adds a resource the plugin creates; a logical ID already in the template, or one that
    /// CloudFormation would refuse as too long, is an error. `origin` is the config path whose
    /// value the logical ID carries, where that error points.
    pub(crate) fn create(
        &mut self,
        logical_id: String,
        origin: &str,
        resource: impl Into<Node<'t>>,
        diagnostics: &mut Diagnostics,
    ) {
        if !limits::check_logical_id(&logical_id, origin, diagnostics) {
            return;
        }
        if let Some(existing) = self.index.get(&logical_id) {
            let found_type = index::type_of(existing).unwrap_or("resource");
            diagnostics.push(diag::logical_id_taken(
                &format!("resources.Resources.{logical_id}"),
                &logical_id,
                found_type,
            ));
            return;
        }
        // Two resources of the plugin's with one logical ID: the settings check names the
        // settings that would collide (`settings::refuse_unusable_ids`); this refuses any it
        // does not model rather than let the second replace the first.
        if self.resources.contains_key(&logical_id) {
            let path = format!("resources.Resources.{logical_id}");
            diagnostics.push(diag::generated_id_repeated(&path, &logical_id, ""));
            return;
        }
        self.resources.insert(logical_id, resource.into());
    }

    /// Replaces an existing resource with its rewired copy.
    pub(crate) fn rewire(&mut self, logical_id: &str, resource: Node<'t>) {
        self.resources.insert(logical_id.to_owned(), resource);
    }

    /// A resource already rewired, to edit further in place.
    pub(crate) fn rewired_mut(&mut self, logical_id: &str) -> Option<&mut Node<'t>> {
        self.resources.get_mut(logical_id)
    }

    /// The latest version of a resource: rewired if it already was, as in the template otherwise.
    pub(crate) fn current(&self, logical_id: &str) -> Option<&Node<'t>> {
        self.resources
            .get(logical_id)
            .or_else(|| self.index.get(logical_id))
    }

    /// Removes a Framework resource the plugin replaces (the Framework's own alias).
    pub(crate) fn remove(&mut self, logical_id: &str) {
        self.resources.shift_remove(logical_id);
        self.removed.push(logical_id.to_owned());
    }

    /// The template as it would be written back now.
    pub(crate) fn final_template<'s>(&'s self, template: &'s Node<'s>) -> FinalTemplate<'s> {
        FinalTemplate::new(template, &self.resources, &self.removed)
    }

    /// (resources to set, logical IDs to delete)
    pub(crate) fn into_parts(self) -> (Object<'t>, Vec<String>) {
        (self.resources, self.removed)
    }
}

/// The template as the plugin will write it back: `removed` deleted first, then `changed` set.
pub(crate) struct FinalTemplate<'a> {
    pub template: &'a Node<'a>,
    /// New and rewired resources by logical ID.
    pub changed: &'a Object<'a>,
    removed: HashSet<&'a str>,
}

impl<'a> FinalTemplate<'a> {
    pub(crate) fn new(
        template: &'a Node<'a>,
        changed: &'a Object<'a>,
        removed: &'a [String],
    ) -> Self {
        Self {
            template,
            changed,
            removed: removed.iter().map(String::as_str).collect(),
        }
    }

    /// Every resource as written back, in the order the plugin writes them: the template's own
    /// (rewired where the plan changed them), then the new ones.
    pub(crate) fn resources(&self) -> impl Iterator<Item = (&'a str, &'a Node<'a>)> + '_ {
        let original = self.template["Resources"].as_object();
        let kept = original
            .into_iter()
            .flatten()
            .filter(|(id, _)| !self.removed.contains(id))
            .map(|(id, resource)| (id, self.changed.get(id).unwrap_or(resource)));
        let is_new = move |id: &str| {
            self.removed.contains(id)
                || original.is_none_or(|resources| resources.get(id).is_none())
        };
        let created = self.changed.iter().filter(move |(id, _)| is_new(id));
        kept.chain(created)
    }

    /// The template's resource `id` as it stands before the plan, unless the plan removes it.
    pub(crate) fn kept(&self, id: &str) -> Option<&'a Node<'a>> {
        self.template["Resources"]
            .get(id)
            .filter(|_| !self.removed.contains(id))
    }
}
