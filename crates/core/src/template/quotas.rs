//! What the whole stack must stay under once the plugin's resources are in it: CloudFormation's
//! quota of resources per stack, and the size of the template it reads from S3. Both are
//! warnings: a plugin that runs later (one that moves resources into nested stacks) may still
//! bring the stack under them.

use crate::diagnostics::{self as diag, Diagnostics};
use crate::limits;
use crate::template::tree::{Node, EMPTY_OBJECT};

use super::json_size::JsonSize;
use super::FinalTemplate;

/// Warns when the stack passes a quota. `minified`: the Framework writes the template without
/// indentation (`--minify-template`), else with two spaces, and uploads what it wrote.
pub(crate) fn check(stack: &FinalTemplate, minified: bool, diagnostics: &mut Diagnostics) {
    let original = stack.template["Resources"]
        .as_object()
        .unwrap_or(&EMPTY_OBJECT);
    let kept = original
        .keys()
        .filter(|id| stack.kept(id).is_some())
        .count();
    let created = stack
        .changed
        .keys()
        .filter(|id| stack.kept(id).is_none())
        .count();
    let resources = kept + created;
    let limit = limits::RESOURCES_PER_STACK.value as usize;
    if resources > limit {
        diagnostics.push(diag::too_many_resources(resources, original.len(), limit));
    }
    let limit = limits::TEMPLATE_BODY_BYTES.value as usize;
    if final_size(stack, minified, limit).is_none() {
        diagnostics.push(diag::template_too_large(limit, minified));
    }
}

/// Bytes of `value` as JSON, or `None` past `limit`: counting stops there, so a large template
/// costs no more than one at the limit.
pub(crate) fn serialized_size(value: &Node, minified: bool, limit: usize) -> Option<usize> {
    let mut size = JsonSize::new(minified, limit);
    size.value(value, 0).ok().map(|()| size.written())
}

/// [`serialized_size`] of the template as the plugin writes it back.
fn final_size(stack: &FinalTemplate, minified: bool, limit: usize) -> Option<usize> {
    let Some(sections) = stack.template.as_object() else {
        return serialized_size(stack.template, minified, limit);
    };
    let mut size = JsonSize::new(minified, limit);
    let sections = sections.iter();
    let counted = size.object(sections, 0, |size, key, section, depth| {
        match (key, section.is_object()) {
            ("Resources", true) => {
                let each =
                    |size: &mut JsonSize, _: &str, resource, depth| size.value(resource, depth);
                size.object(stack.resources(), depth, each)
            }
            _ => size.value(section, depth),
        }
    });
    counted.ok().map(|()| size.written())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::tree::{node, Object};

    fn resources(count: usize, padding: usize) -> Object<'static> {
        (0..count)
            .map(|i| {
                let resource = node!({"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "t".repeat(padding)}});
                (format!("Topic{i}"), resource)
            })
            .collect()
    }

    fn run(
        template: &Node,
        changed: &Object,
        removed: &[String],
    ) -> Vec<crate::diagnostics::Diagnostic> {
        let mut diagnostics = Diagnostics::default();
        check(
            &FinalTemplate::new(template, changed, removed),
            false,
            &mut diagnostics,
        );
        diagnostics.into_vec()
    }

    #[test]
    fn the_size_counted_is_the_size_the_framework_writes() {
        let template =
            node!({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources(3, 5)});
        let mut changed = resources(1, 7);
        changed.insert("New", node!({"Type": "AWS::SNS::Topic"}));
        let removed = vec!["Topic2".to_owned()];
        let stack = FinalTemplate::new(&template, &changed, &removed);
        let mut expected = template.clone();
        let written = expected["Resources"].as_object_mut().unwrap();
        written.shift_remove("Topic2");
        written.extend(
            changed
                .iter()
                .map(|(id, resource)| (id.to_owned(), resource.clone())),
        );
        let pretty = serde_json::to_string_pretty(&expected).unwrap().len();
        assert_eq!(final_size(&stack, false, usize::MAX), Some(pretty));
        assert_eq!(final_size(&stack, false, pretty), Some(pretty));
        assert_eq!(final_size(&stack, false, pretty - 1), None);
        assert_eq!(
            final_size(&stack, true, usize::MAX),
            Some(serde_json::to_string(&expected).unwrap().len())
        );
    }

    #[test]
    fn more_than_500_resources_is_a_warning_naming_the_counts() {
        let template = node!({"Resources": resources(450, 1)});
        let added: Object<'static> = (0..50)
            .map(|i| (format!("Added{i}"), node!({"Type": "AWS::SNS::Topic"})))
            .collect();
        assert!(run(&template, &added, &[]).is_empty(), "500 is allowed");
        let mut one_more = added.clone();
        one_more.insert("Added50", node!({"Type": "AWS::SNS::Topic"}));
        let diagnostics = run(&template, &one_more, &[]);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code.as_str(), "too-many-resources");
        assert!(
            diagnostics[0].message.contains("501 resources"),
            "{}",
            diagnostics[0].message
        );
        assert!(
            diagnostics[0].message.contains("adds 51"),
            "{}",
            diagnostics[0].message
        );
        // A Framework resource the plugin removes (the alias its own replaces) no longer counts.
        let removed = vec!["Topic0".to_owned()];
        assert!(run(&template, &one_more, &removed).is_empty());
    }

    #[test]
    fn a_template_over_1_mb_is_a_warning() {
        let template = node!({"Resources": resources(2, 500_000)});
        assert!(run(&template, &Object::new(), &[]).is_empty());
        let added = resources(1, 50_000)
            .iter()
            .map(|(_, resource)| ("Added".to_owned(), resource.clone()))
            .collect();
        let diagnostics = run(&template, &added, &[]);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code.as_str(), "template-too-large");
        assert!(
            diagnostics[0].message.contains("1,048,576"),
            "{}",
            diagnostics[0].message
        );
    }
}
