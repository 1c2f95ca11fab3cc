//! Where an invoker calls: for each call-target value of a resource (a subscription's
//! endpoint, a rule's target), the functions it names. Worked out once per resource, on its
//! first visit, so a topic or bucket shared by many canaried functions is walked once and each
//! function then visits only its own call sites.

use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write;

use crate::template::index::TemplateIndex;

#[derive(Clone, Copy)]
enum Step<'t> {
    Key(&'t str),
    Index(usize),
}

pub struct CallSite<'t> {
    path: Vec<Step<'t>>,
}

impl CallSite<'_> {
    /// The value at this site in a copy of the resource being rewired.
    pub fn get_mut<'v>(&self, resource: &'v mut Value) -> Option<&'v mut Value> {
        self.path
            .iter()
            .try_fold(resource.get_mut("Properties")?, |value, step| match step {
                Step::Key(key) => value.get_mut(*key),
                Step::Index(i) => value.get_mut(*i),
            })
    }

    /// `Properties.Subscription[3].Endpoint`
    pub fn property(&self) -> String {
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
pub struct ResourceSites<'t> {
    sites: Vec<CallSite<'t>>,
    by_name: HashMap<&'t str, Vec<usize>>,
}

impl<'t> ResourceSites<'t> {
    pub fn naming<'s>(&'s self, name: &str) -> impl Iterator<Item = &'s CallSite<'t>> + 's {
        self.by_name
            .get(name)
            .into_iter()
            .flatten()
            .map(|&i| &self.sites[i])
    }
}

#[derive(Default)]
pub struct CallSites<'t> {
    by_resource: HashMap<&'t str, ResourceSites<'t>>,
}

impl<'t> CallSites<'t> {
    /// The call sites of resource `id` at `targets` (`*`: every item of a list or map).
    pub fn of(
        &mut self,
        id: &'t str,
        resource: &'t Value,
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
}

fn collect<'t>(
    value: &'t Value,
    path: &[&'static str],
    at: &mut Vec<Step<'t>>,
    index: &TemplateIndex<'t>,
    sites: &mut ResourceSites<'t>,
) {
    match path.split_first() {
        None => {
            let mut names = index.references_in(value);
            if names.is_empty() {
                return;
            }
            names.sort_unstable();
            names.dedup();
            let site = sites.sites.len();
            sites.sites.push(CallSite { path: at.clone() });
            for name in names {
                sites.by_name.entry(name).or_default().push(site);
            }
        }
        Some((&"*", rest)) => match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    at.push(Step::Index(i));
                    collect(item, rest, at, index, sites);
                    at.pop();
                }
            }
            Value::Object(map) => {
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
