//! The stacks as CloudFormation will read them after serverless-plugin-split-stacks has moved
//! resources into nested stacks: the root and each nested template stays under the per-template
//! quotas, and none has a dependency cycle. In the root, each nested stack is one resource, so
//! a cycle between nested stacks (one waiting for another through an output, a parameter or a
//! `DependsOn`, both ways) is a cycle of the root's graph.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::diagnostics::{self as diag, Diagnostics};
use crate::limits::{self, Limit};
use crate::report::Report;
use crate::source::{self, SourceText};
use crate::template::tree::Node;
use crate::template::{graph, quotas};

/// The name the diagnostics give the root stack.
pub const ROOT: &str = "the root stack";
/// Where problems of the split point: its settings.
const SPLIT_STACKS_PATH: &str = "custom.splitStacks";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StacksInput<'a> {
    /// The root template, as split-stacks left it.
    #[serde(borrow)]
    pub(crate) root: Node<'a>,
    /// Each nested stack's template, by its logical ID in the root (`<Name>NestedStack`).
    #[serde(default, borrow)]
    pub(crate) nested: Node<'a>,
    /// The service's `functions`, so that a cycle points at a function's settings.
    #[serde(default)]
    pub functions: Map<String, Value>,
    #[serde(default)]
    pub source: Option<SourceText>,
    /// `--minify-template`: the root is uploaded without indentation.
    #[serde(default)]
    pub minify_template: bool,
}

pub fn check(input: &StacksInput) -> Report {
    let mut diagnostics = Diagnostics::default();
    let paths = graph::FunctionPaths::new(&input.functions);
    let stacks = std::iter::once((ROOT, &input.root, input.minify_template)).chain(
        input
            .nested
            .as_object()
            .into_iter()
            .flatten()
            .map(|(id, template)| (id, template, false)),
    );
    for (stack, template, minified) in stacks {
        check_quotas(stack, template, minified, &mut diagnostics);
        let resources = template["Resources"].as_object().into_iter().flatten();
        let at = |id: &str| paths.of(id).or_else(|| Some(SPLIT_STACKS_PATH.to_owned()));
        graph::check(resources, Some(stack), &at, &mut diagnostics);
    }
    let mut diagnostics = diagnostics.into_vec();
    if let Some(source) = &input.source {
        source::locate(&mut diagnostics, &source.file, &source.text);
    }
    Report::new(diagnostics)
}

fn check_quotas(stack: &str, template: &Node, minified: bool, diagnostics: &mut Diagnostics) {
    let count = |section: &str| {
        template[section]
            .as_object()
            .map_or(0, |section| section.len())
    };
    let sections = [
        ("Resources", &limits::RESOURCES_PER_STACK),
        ("Parameters", &limits::PARAMETERS_PER_STACK),
        ("Outputs", &limits::OUTPUTS_PER_STACK),
    ];
    for (section, limit) in sections {
        exceeds(stack, count(section), limit, diagnostics);
    }
    let written = quotas::serialized_size(template, minified, usize::MAX).unwrap_or(0);
    exceeds(stack, written, &limits::TEMPLATE_BODY_BYTES, diagnostics);
}

fn exceeds(stack: &str, count: usize, limit: &Limit, diagnostics: &mut Diagnostics) {
    if count as u64 > limit.value {
        diagnostics.push(diag::stack_quota_exceeded(stack, count, limit));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn section(prefix: &str, count: usize) -> Map<String, Value> {
        (0..count)
            .map(|i| (format!("{prefix}{i}"), json!({"Type": "AWS::SNS::Topic"})))
            .collect()
    }

    /// A split service with no functions to point at: `nested` by logical ID in the root.
    fn stacks(root: Value, nested: Vec<(&str, Value)>) -> StacksInput<'static> {
        let nested: Map<String, Value> = nested
            .into_iter()
            .map(|(id, template)| (id.to_owned(), template))
            .collect();
        StacksInput {
            root: Node::from(root),
            nested: Node::from(Value::Object(nested)),
            functions: Map::new(),
            source: None,
            minify_template: false,
        }
    }

    fn codes(report: &Report) -> Vec<(String, &str)> {
        report
            .diagnostics
            .iter()
            .map(|d| (d.path.clone(), d.code.as_str()))
            .collect()
    }

    #[test]
    fn each_stack_is_held_to_each_quota_at_one_past_it() {
        let input = stacks(
            json!({"Resources": section("R", 500), "Outputs": section("O", 200)}),
            vec![
                (
                    "ANestedStack",
                    json!({"Resources": section("R", 501), "Parameters": section("P", 200)}),
                ),
                (
                    "BNestedStack",
                    json!({"Resources": section("R", 1), "Parameters": section("P", 201), "Outputs": section("O", 201)}),
                ),
            ],
        );
        let report = check(&input);
        assert_eq!(
            codes(&report),
            [
                ("custom.splitStacks".to_owned(), "stack-quota-exceeded"),
                ("custom.splitStacks".to_owned(), "stack-quota-exceeded"),
                ("custom.splitStacks".to_owned(), "stack-quota-exceeded"),
            ]
        );
        let messages: Vec<&str> = report
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert!(messages[0].contains("nested stack `ANestedStack` would hold 501 resources"));
        assert!(messages[1].contains("`BNestedStack` would hold 201 parameters"));
        assert!(messages[2].contains("`BNestedStack` would hold 201 outputs"));
    }

    #[test]
    fn nested_stacks_waiting_for_each_other_are_a_cycle_of_the_root() {
        let stack =
            |depends: &str| json!({"Type": "AWS::CloudFormation::Stack", "DependsOn": [depends]});
        let input = stacks(
            json!({"Resources": {
                "HelloLambdaFunction": {"Type": "AWS::Lambda::Function"},
                "ANestedStack": stack("BNestedStack"),
                "BNestedStack": {"Type": "AWS::CloudFormation::Stack", "Properties": {"Parameters": {"X": {"Fn::GetAtt": ["ANestedStack", "Outputs.X"]}}}}
            }}),
            Vec::new(),
        );
        let report = check(&input);
        assert_eq!(
            codes(&report),
            [("custom.splitStacks".to_owned(), "dependency-cycle")]
        );
        assert!(
            report.diagnostics[0].message.starts_with(
                "in the root stack, `ANestedStack` -> `BNestedStack` -> `ANestedStack`"
            ),
            "{}",
            report.diagnostics[0].message
        );
    }
}
