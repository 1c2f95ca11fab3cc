//! Which moved invokers a permission's `SourceArn` may name, looked up by the names in it, so
//! a function with many events matches each permission against its own invoker, not all of
//! them. A candidate is then checked in full; the lookup only has to miss nothing.

use rustc_hash::FxHashMap as HashMap;

use super::moved::Moved;
use crate::template::index::resources_named;
use crate::template::tree::Node;

pub(crate) struct Candidates<'m> {
    /// A logical ID or literal name -> the invokers it may name.
    by_key: HashMap<&'m str, Vec<usize>>,
    /// Invokers named by a literal, for a `prefix*` source that may cover it.
    named_literally: Vec<usize>,
    /// Invokers with an identity that names no resource and no literal: always checked.
    unkeyed: Vec<usize>,
}

impl<'m> Candidates<'m> {
    pub(super) fn new(moved: &'m [Moved]) -> Self {
        let mut candidates = Candidates {
            by_key: HashMap::default(),
            named_literally: Vec::new(),
            unkeyed: Vec::new(),
        };
        for (i, invoker) in moved.iter().enumerate() {
            candidates.by_key.entry(invoker.id).or_default().push(i);
            for value in &invoker.identity {
                if let Some(name) = value.as_str() {
                    candidates.by_key.entry(name).or_default().push(i);
                    candidates.named_literally.push(i);
                    continue;
                }
                let ids = resources_named(value);
                if ids.is_empty() {
                    candidates.unkeyed.push(i);
                }
                for id in ids {
                    candidates.by_key.entry(id).or_default().push(i);
                }
            }
        }
        candidates
    }

    /// The invokers `source` may name, each once, in order.
    pub(super) fn of(&self, source: &Node) -> Vec<usize> {
        let mut found = self.unkeyed.clone();
        let mut look_up = |key: &str| {
            if let Some(invokers) = self.by_key.get(key) {
                found.extend(invokers);
            }
        };
        for id in resources_named(source) {
            look_up(id);
        }
        let mut wildcard = false;
        each_string(source, &mut |text| {
            // The whole string, and each tail after a `:` or `/`: where an ARN ends in a name.
            look_up(text);
            for (at, _) in text.match_indices([':', '/']) {
                look_up(&text[at + 1..]);
            }
            wildcard |= text.ends_with('*');
        });
        if wildcard {
            found.extend(&self.named_literally);
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// Every string in `value`, `Fn::Sub` texts included.
fn each_string<'v>(value: &'v Node<'v>, visit: &mut impl FnMut(&'v str)) {
    match value {
        Node::String(text) => visit(text),
        Node::Array(items) => items.iter().for_each(|item| each_string(item, visit)),
        Node::Object(map) => map.values().for_each(|item| each_string(item, visit)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::tree::node;

    #[test]
    fn finds_invokers_by_logical_id_reference_name_and_wildcard() {
        let topic = node!({"Ref": "Topic"});
        let bucket = node!("uploads");
        let log_group = node!("/aws/lambda/worker");
        let moved = [
            ("Rule", vec![]),
            ("Subscription", vec![&topic]),
            ("Bucket", vec![&bucket]),
            ("Filter", vec![&log_group]),
        ]
        .map(|(id, identity)| Moved {
            id,
            service: Some("x"),
            identity,
            depends_on: Vec::new(),
        });
        let candidates = Candidates::new(&moved);
        let of = |source: Node| candidates.of(&source);
        assert_eq!(of(node!({"Fn::GetAtt": ["Rule", "Arn"]})), [0]);
        assert_eq!(of(node!({"Fn::Sub": "${Topic}"})), [1]);
        assert_eq!(
            of(node!({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::uploads"]]})),
            [2]
        );
        assert_eq!(
            of(node!({"Fn::Join": [":", ["arn", "log-group", "/aws/lambda/worker", "*"]]})),
            [2, 3]
        );
        assert_eq!(
            of(node!({"Fn::Sub": "arn:${AWS::Partition}:logs:x:log-group:/aws/*"})),
            [2, 3]
        );
        assert!(of(node!("arn:aws:s3:::other")).is_empty());
    }
}
