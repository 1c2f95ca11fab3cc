//! Where an invoker calls: for each call-target value of a resource (a subscription's
//! endpoint, a rule's target), the functions it names. Worked out once per resource, on its
//! first visit, so a topic or bucket shared by many canaried functions is walked once and each
//! function then visits only its own call sites.

use rustc_hash::FxHashMap as HashMap;
use std::fmt::Write;

use crate::template::index::TemplateIndex;
use crate::template::tree::Node;

#[derive(Clone, Copy)]
enum Step<'t> {
    Key(&'t str),
    Index(usize),
}

pub(crate) struct CallSite<'t> {
    path: Vec<Step<'t>>,
}

impl CallSite<'_> {
    /// The value at this site in `resource`.
    pub(crate) fn get<'v>(&self, resource: &'v Node<'v>) -> Option<&'v Node<'v>> {
        self.path
            .iter()
            .try_fold(resource.get("Properties")?, |value, step| match step {
                Step::Key(key) => value.get(key),
                Step::Index(i) => value.as_array()?.get(*i),
            })
    }

    /// The value at this site in a copy of the resource being rewired.
    pub(crate) fn get_mut<'v, 'a>(&self, resource: &'v mut Node<'a>) -> Option<&'v mut Node<'a>> {
        self.path
            .iter()
            .try_fold(resource.get_mut("Properties")?, |value, step| match step {
                Step::Key(key) => value.get_mut(key),
                Step::Index(i) => value.as_array_mut()?.get_mut(*i),
            })
    }

    /// `Properties.Subscription[3].Endpoint`
    pub(crate) fn property(&self) -> String {
        let mut text = String::from("Properties");
        for step in &self.path {
            // Writing to a String cannot fail.
            let _ = match step {
                Step::Key(key) => write!(text, ".{key}"),
                Step::Index(i) => write!(text, "[{i}]"),
            };
        }
        text
    }
}

/// The call sites of one resource, and which of them name each logical ID (a function, a
/// Framework alias).
#[derive(Default)]
pub(crate) struct ResourceSites<'t> {
    sites: Vec<CallSite<'t>>,
    by_name: HashMap<&'t str, Vec<usize>>,
}

impl<'t> ResourceSites<'t> {
    /// The sites naming any of `names`, each once, in template order.
    pub(crate) fn naming(&self, names: &[&str]) -> Vec<&CallSite<'t>> {
        let mut found: Vec<usize> = names
            .iter()
            .filter_map(|name| self.by_name.get(name))
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found.dedup();
        found.into_iter().map(|i| &self.sites[i]).collect()
    }

    fn add(&mut self, value: &'t Node<'t>, at: &[Step<'t>], index: &TemplateIndex<'t>) {
        let mut names = index.references_in(value);
        if names.is_empty() {
            return;
        }
        names.sort_unstable();
        names.dedup();
        let site = self.sites.len();
        self.sites.push(CallSite { path: at.to_vec() });
        for name in names {
            self.by_name.entry(name).or_default().push(site);
        }
    }
}

#[derive(Default)]
pub(crate) struct CallSites<'t> {
    /// Where each invoker calls.
    by_resource: HashMap<&'t str, ResourceSites<'t>>,
    /// Every reference in a resource, for what names a removed alias or calls unknowably.
    everywhere: HashMap<&'t str, ResourceSites<'t>>,
}

impl<'t> CallSites<'t> {
    /// The call sites of resource `id` at `targets` (`*`: every item of a list or map).
    pub(crate) fn of(
        &mut self,
        id: &'t str,
        resource: &'t Node<'t>,
        targets: &[&'static [&'static str]],
        index: &TemplateIndex<'t>,
    ) -> &ResourceSites<'t> {
        self.by_resource.entry(id).or_insert_with(|| {
            let mut sites = ResourceSites::default();
            for path in targets {
                collect(
                    &resource["Properties"],
                    path,
                    &mut Vec::new(),
                    index,
                    &mut sites,
                );
            }
            sites
        })
    }

    /// Every reference in resource `id`: each intrinsic function or string that names a
    /// resource is a site.
    pub(crate) fn everywhere(
        &mut self,
        id: &'t str,
        resource: &'t Node<'t>,
        index: &TemplateIndex<'t>,
    ) -> &ResourceSites<'t> {
        self.everywhere.entry(id).or_insert_with(|| {
            let mut sites = ResourceSites::default();
            collect_all(&resource["Properties"], &mut Vec::new(), index, &mut sites);
            sites
        })
    }
}

fn collect_all<'t>(
    value: &'t Node<'t>,
    at: &mut Vec<Step<'t>>,
    index: &TemplateIndex<'t>,
    sites: &mut ResourceSites<'t>,
) {
    match value {
        Node::Object(map) if !value.is_intrinsic() => {
            for (key, item) in map {
                at.push(Step::Key(key));
                collect_all(item, at, index, sites);
                at.pop();
            }
        }
        Node::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                at.push(Step::Index(i));
                collect_all(item, at, index, sites);
                at.pop();
            }
        }
        _ => sites.add(value, at, index),
    }
}

fn collect<'t>(
    value: &'t Node<'t>,
    path: &[&'static str],
    at: &mut Vec<Step<'t>>,
    index: &TemplateIndex<'t>,
    sites: &mut ResourceSites<'t>,
) {
    // A condition picks one of two values at deploy time; either may be the call target.
    if let (false, Some(Node::Array(branches))) = (path.is_empty(), value.get("Fn::If")) {
        for (i, branch) in branches.iter().enumerate().skip(1) {
            at.extend([Step::Key("Fn::If"), Step::Index(i)]);
            collect(branch, path, at, index, sites);
            at.truncate(at.len() - 2);
        }
        return;
    }
    match path.split_first() {
        None => sites.add(value, at, index),
        Some((&"*", rest)) => match value {
            Node::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    at.push(Step::Index(i));
                    collect(item, rest, at, index, sites);
                    at.pop();
                }
            }
            Node::Object(map) => {
                for (key, item) in map {
                    at.push(Step::Key(key));
                    collect(item, rest, at, index, sites);
                    at.pop();
                }
            }
            _ => {}
        },
        Some((key, rest)) => {
            if let Some(item) = value.get(*key) {
                at.push(Step::Key(key));
                collect(item, rest, at, index, sites);
                at.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::tree::node;

    #[test]
    fn finds_call_targets_in_lists_and_both_branches_of_a_condition() {
        let resources = node!({
            "A": {"Type": "AWS::Lambda::Function"},
            "B": {"Type": "AWS::Lambda::Function"},
            "Rule": {"Type": "AWS::Events::Rule", "Properties": {
                "EventPattern": {"detail": {"fn": [{"Ref": "A"}]}},
                "Targets": [
                    {"Arn": {"Fn::GetAtt": ["A", "Arn"]}},
                    {"Fn::If": ["Prod", {"Arn": {"Fn::GetAtt": ["B", "Arn"]}}, {"Ref": "AWS::NoValue"}]},
                    {"Arn": {"Fn::If": ["Prod", {"Fn::GetAtt": ["A", "Arn"]}, {"Fn::GetAtt": ["B", "Arn"]}]}}
                ]
            }}
        });
        let resources = resources.as_object().unwrap();
        let index = TemplateIndex::new(resources);
        let mut call_sites = CallSites::default();
        let sites = call_sites.of(
            "Rule",
            &resources["Rule"],
            &[&["Targets", "*", "Arn"]],
            &index,
        );
        let paths = |name| {
            sites
                .naming(&[name])
                .into_iter()
                .map(CallSite::property)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            paths("A"),
            ["Properties.Targets[0].Arn", "Properties.Targets[2].Arn"],
            "not the event pattern; a condition at the target is rewritten whole"
        );
        assert_eq!(
            paths("B"),
            [
                "Properties.Targets[1].Fn::If[1].Arn",
                "Properties.Targets[2].Arn"
            ]
        );
    }
}
