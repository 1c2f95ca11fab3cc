//! Where serverless-plugin-split-stacks (1.15.0) will move the resources of each function: in
//! its `perFunction` and `perGroupFunction` modes, a resource goes to the nested stack of the
//! function whose normalized name (`Hello` for `hello`) is the longest that begins its logical
//! ID (lib/migration-strategy/per-function.js). The plugin says which stack each function's is;
//! the chains of `maxConcurrentDeployments` are ordered by it, so that no `DependsOn` they add
//! makes two nested stacks wait for each other.

use rustc_hash::FxHashMap as HashMap;
use serde::Deserialize;

use crate::naming;

/// What the plugin knows of the split to come.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SplitStacks {
    /// Function key -> the logical ID, in the root, of the nested stack its resources go to;
    /// empty when the mode leaves functions in the root (`perType`).
    #[serde(default)]
    pub function_stacks: HashMap<String, String>,
}

pub(crate) struct Placement<'a> {
    /// Normalized function name -> its nested stack.
    stack_by_prefix: HashMap<String, &'a str>,
    /// The lengths of those names, longest first: a logical ID is looked up at each.
    lengths: Vec<usize>,
}

impl<'a> Placement<'a> {
    pub(crate) fn new(split: &'a SplitStacks) -> Self {
        let stack_by_prefix: HashMap<String, &str> = split
            .function_stacks
            .iter()
            .map(|(function, stack)| (naming::normalized_function_name(function), stack.as_str()))
            .collect();
        let mut lengths: Vec<usize> = stack_by_prefix.keys().map(String::len).collect();
        lengths.sort_unstable_by(|a, b| b.cmp(a));
        lengths.dedup();
        Self {
            stack_by_prefix,
            lengths,
        }
    }

    /// The nested stack `logical_id` moves to, or `None` for one that stays in the root.
    pub(crate) fn stack_of(&self, logical_id: &str) -> Option<&'a str> {
        self.lengths.iter().find_map(|&length| {
            let prefix = logical_id.get(..length)?;
            self.stack_by_prefix.get(prefix).copied()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_function_name_that_begins_the_id_decides() {
        let split = SplitStacks {
            function_stacks: [("hello", "1NestedStack"), ("helloWorld", "2NestedStack")]
                .into_iter()
                .map(|(f, s)| (f.to_owned(), s.to_owned()))
                .collect(),
        };
        let placement = Placement::new(&split);
        assert_eq!(
            placement.stack_of("HelloWorldLambdaFunctionAliasLive"),
            Some("2NestedStack")
        );
        assert_eq!(
            placement.stack_of("HelloLambdaFunctionDeploymentGroup"),
            Some("1NestedStack")
        );
        assert_eq!(
            placement.stack_of("HelloCanaryCheckAlarm"),
            Some("1NestedStack")
        );
        assert_eq!(placement.stack_of("ApiGatewayRestApi"), None);
        assert_eq!(placement.stack_of("Hell"), None);
    }
}
