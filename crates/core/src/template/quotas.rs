//! What the whole stack must stay under once the plugin's resources are in it: CloudFormation's
//! quota of resources per stack, and the size of the template it reads from S3. Both are
//! warnings: a plugin that runs later (one that moves resources into nested stacks) may still
//! bring the stack under them.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Map;
use std::io;

use crate::diagnostics::{self as diag, Diagnostics};
use crate::limits;

use super::FinalTemplate;

/// Warns when the stack passes a quota. `minified`: the Framework writes the template without
/// indentation (`--minify-template`), else with two spaces, and uploads what it wrote.
pub(crate) fn check(stack: &FinalTemplate, minified: bool, diagnostics: &mut Diagnostics) {
    let empty = Map::new();
    let original = stack.template["Resources"].as_object().unwrap_or(&empty);
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
    if serialized_size(stack, minified, limit).is_none() {
        diagnostics.push(diag::template_too_large(limit, minified));
    }
}

/// Bytes of a template as JSON, counted as it is written without holding the text, or `None`
/// past `limit`: counting stops there, so a large template costs no more than one at the limit.
pub(crate) fn serialized_size(
    template: &impl Serialize,
    minified: bool,
    limit: usize,
) -> Option<usize> {
    let mut counter = ByteCounter { written: 0, limit };
    let written = if minified {
        serde_json::to_writer(&mut counter, template)
    } else {
        serde_json::to_writer_pretty(&mut counter, template)
    };
    // A Value always serialises: the only error is the counter's own, past the limit.
    written.ok().map(|()| counter.written)
}

struct ByteCounter {
    written: usize,
    limit: usize,
}

impl io::Write for ByteCounter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.written += bytes.len();
        if self.written > self.limit {
            return Err(io::Error::other("past the limit"));
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Serialize for FinalTemplate<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Some(sections) = self.template.as_object() else {
            return self.template.serialize(serializer);
        };
        let mut map = serializer.serialize_map(Some(sections.len()))?;
        for (key, section) in sections {
            match (key.as_str(), section.is_object()) {
                ("Resources", true) => map.serialize_entry(key, &FinalResources { stack: self })?,
                _ => map.serialize_entry(key, section)?,
            }
        }
        map.end()
    }
}

struct FinalResources<'a> {
    stack: &'a FinalTemplate<'a>,
}

impl Serialize for FinalResources<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (id, resource) in self.stack.resources() {
            map.serialize_entry(id, resource)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn resources(count: usize, padding: usize) -> Map<String, Value> {
        (0..count)
            .map(|i| {
                let resource = json!({"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "t".repeat(padding)}});
                (format!("Topic{i}"), resource)
            })
            .collect()
    }

    fn run(
        template: &Value,
        changed: &Map<String, Value>,
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
            json!({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources(3, 5)});
        let mut changed = resources(1, 7);
        changed.insert("New".into(), json!({"Type": "AWS::SNS::Topic"}));
        let removed = vec!["Topic2".to_owned()];
        let stack = FinalTemplate::new(&template, &changed, &removed);
        let mut expected = template.clone();
        let written = expected["Resources"].as_object_mut().unwrap();
        written.remove("Topic2");
        written.extend(changed.clone());
        let pretty = serde_json::to_string_pretty(&expected).unwrap().len();
        assert_eq!(serialized_size(&stack, false, usize::MAX), Some(pretty));
        assert_eq!(serialized_size(&stack, false, pretty), Some(pretty));
        assert_eq!(serialized_size(&stack, false, pretty - 1), None);
        assert_eq!(
            serialized_size(&stack, true, usize::MAX),
            Some(serde_json::to_string(&expected).unwrap().len())
        );
    }

    #[test]
    fn more_than_500_resources_is_a_warning_naming_the_counts() {
        let template = json!({"Resources": resources(450, 1)});
        let added: Map<String, Value> = (0..50)
            .map(|i| (format!("Added{i}"), json!({"Type": "AWS::SNS::Topic"})))
            .collect();
        assert!(run(&template, &added, &[]).is_empty(), "500 is allowed");
        let mut one_more = added.clone();
        one_more.insert("Added50".into(), json!({"Type": "AWS::SNS::Topic"}));
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
        let template = json!({"Resources": resources(2, 500_000)});
        assert!(run(&template, &Map::new(), &[]).is_empty());
        let added = resources(1, 50_000)
            .into_iter()
            .map(|(_, resource)| ("Added".to_owned(), resource))
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
