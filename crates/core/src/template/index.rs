//! The one-pass index of the compiled template: every lookup generation needs, built by a
//! single walk so the work stays linear in the number of resources.

use rustc_hash::FxHashMap as HashMap;

use super::tree::{Node, Object};

pub(crate) struct TemplateIndex<'t> {
    resources: &'t Object<'t>,
    /// Function logical ID -> its `AWS::Lambda::Version` logical ID.
    versions: HashMap<&'t str, &'t str>,
    /// Logical ID -> resources that name it, in template order: by `Ref`, `Fn::GetAtt` or
    /// `${X}` in their properties, in `DependsOn`, or (for functions) by the function's literal
    /// name or ARN, which is how the Framework's custom resources and IAM statements name it.
    referrers: HashMap<&'t str, Vec<&'t str>>,
    /// Deployed function name -> the function's logical ID.
    function_names: HashMap<&'t str, &'t str>,
}

impl<'t> TemplateIndex<'t> {
    pub(crate) fn new(resources: &'t Object<'t>) -> Self {
        let function_names = literal_function_names(resources);
        let mut versions = HashMap::default();
        let mut referrers: HashMap<&str, Vec<&str>> = HashMap::default();
        for (id, resource) in resources {
            let properties = &resource["Properties"];
            if type_of(resource) == Some("AWS::Lambda::Version") {
                if let Some(function) = properties["FunctionName"]["Ref"].as_str() {
                    versions.insert(function, id);
                }
            }
            let mut targets = Vec::new();
            collect_references(properties, &function_names, &mut targets);
            targets.extend(depends_on(resource));
            targets.sort_unstable();
            targets.dedup();
            for target in targets.into_iter().filter(|target| *target != id) {
                referrers.entry(target).or_default().push(id);
            }
        }
        Self {
            resources,
            versions,
            referrers,
            function_names,
        }
    }

    pub(crate) fn get(&self, logical_id: &str) -> Option<&'t Node<'t>> {
        self.resources.get(logical_id)
    }

    pub(crate) fn type_of(&self, logical_id: &str) -> Option<&'t str> {
        self.get(logical_id).and_then(type_of)
    }

    pub(crate) fn version_of(&self, function_logical_id: &str) -> Option<&'t str> {
        self.versions.get(function_logical_id).copied()
    }

    /// The `FunctionName` of a function whose template spells it out (the Framework does).
    pub(crate) fn deployed_name(&self, function_logical_id: &str) -> Option<&'t str> {
        self.get(function_logical_id)?["Properties"]["FunctionName"].as_str()
    }

    /// Resources that reference `logical_id`, with their types.
    pub(crate) fn referrers_of(
        &self,
        logical_id: &str,
    ) -> impl Iterator<Item = (&'t str, &'t Node<'t>)> + '_ {
        self.referrers
            .get(logical_id)
            .into_iter()
            .flatten()
            .map(|id| (*id, &self.resources[*id]))
    }

    /// The logical IDs `value` names, as [`Self::referrers_of`] counts them (DependsOn aside).
    pub(crate) fn references_in(&self, value: &'t Node<'t>) -> Vec<&'t str> {
        let mut targets = Vec::new();
        collect_references(value, &self.function_names, &mut targets);
        targets
    }

    /// Logical IDs of resources of one type, in template order (used for suggestions only).
    pub(crate) fn ids_of_type(&self, resource_type: &str) -> Vec<&'t str> {
        self.resources
            .iter()
            .filter(|(_, resource)| type_of(resource) == Some(resource_type))
            .map(|(id, _)| id)
            .collect()
    }
}

pub(crate) fn type_of<'v>(resource: &'v Node) -> Option<&'v str> {
    resource.get("Type").and_then(Node::as_str)
}

/// The logical IDs in a resource's `DependsOn`, a string or a list.
pub(crate) fn depends_on<'v>(resource: &'v Node) -> impl Iterator<Item = &'v str> {
    one_or_many(&resource["DependsOn"]).filter_map(Node::as_str)
}

/// Edits `DependsOn` (a string or a list) as a list; an empty list removes it.
pub(crate) fn edit_depends_on<'a>(resource: &mut Node<'a>, edit: impl FnOnce(&mut Vec<Node<'a>>)) {
    let Some(object) = resource.as_object_mut() else {
        return;
    };
    let mut ids = match object.get_mut("DependsOn").map(Node::take) {
        Some(Node::Array(items)) => items,
        None | Some(Node::Null) => Vec::new(),
        Some(single) => vec![single],
    };
    edit(&mut ids);
    if ids.is_empty() {
        object.shift_remove("DependsOn");
    } else {
        object.insert("DependsOn", Node::Array(ids));
    }
}

/// A property CloudFormation takes as one value or a list of them (`DependsOn`, an IAM
/// statement's `Action` and `Resource`), as the list; absent is empty.
pub(crate) fn one_or_many<'v, 'a>(value: &'v Node<'a>) -> impl Iterator<Item = &'v Node<'a>> {
    match value {
        Node::Array(items) => items.iter(),
        Node::Null => [].iter(),
        single => std::slice::from_ref(single).iter(),
    }
}

/// `value` names the resource `logical_id` by `Ref`, `Fn::GetAtt` or `${...}`.
pub(crate) fn names_resource(value: &Node, logical_id: &str) -> bool {
    resources_named(value).contains(&logical_id)
}

/// The logical IDs `value` names by `Ref`, `Fn::GetAtt` or `${...}`.
pub(crate) fn resources_named<'v>(value: &'v Node) -> Vec<&'v str> {
    let mut targets = Vec::new();
    collect_references(value, &HashMap::default(), &mut targets);
    targets
}

/// Deployed function name -> the function's logical ID, for names the template spells out.
fn literal_function_names<'v>(resources: &'v Object) -> HashMap<&'v str, &'v str> {
    resources
        .iter()
        .filter(|(_, resource)| type_of(resource) == Some("AWS::Lambda::Function"))
        .filter_map(|(id, resource)| {
            let name = resource["Properties"]["FunctionName"].as_str()?;
            Some((name, id))
        })
        .collect()
}

/// `{Ref: X}`, `{Fn::GetAtt: [X, attr]}`, `{Fn::GetAtt: "X.attr"}` and `${X}` / `${X.attr}`
/// inside `Fn::Sub` strings, anywhere in `value`; and functions named by a literal string.
fn collect_references<'v>(
    value: &'v Node<'v>,
    function_names: &HashMap<&str, &'v str>,
    out: &mut Vec<&'v str>,
) {
    match value {
        Node::Object(map) => {
            // Intrinsic functions are objects of one key: read that key without hashing it,
            // as this walk meets every object of the template (twice, with the graph's).
            if let (1, Some((key, argument))) = (map.len(), map.iter().next()) {
                match key {
                    "Ref" => {
                        if let Some(target) = argument.as_str() {
                            out.push(target);
                            return;
                        }
                    }
                    "Fn::GetAtt" => {
                        if let Some(target) = get_att_target(argument) {
                            out.push(target);
                            return;
                        }
                    }
                    "Fn::Sub" => {
                        collect_sub_references(argument, function_names, out);
                        return;
                    }
                    _ => {}
                }
            }
            for item in map.values() {
                collect_references(item, function_names, out);
            }
        }
        Node::Array(items) => {
            for item in items {
                collect_references(item, function_names, out);
            }
        }
        Node::String(text) => collect_function_names(text, function_names, out),
        _ => {}
    }
}

/// The `${X}` placeholders of a `Fn::Sub` text, the functions it names, and the references in
/// its variables.
fn collect_sub_references<'v>(
    sub: &'v Node<'v>,
    function_names: &HashMap<&str, &'v str>,
    out: &mut Vec<&'v str>,
) {
    let (text, variables) = match sub {
        Node::Array(parts) => (parts.first(), parts.get(1)),
        text => (Some(text), None),
    };
    if let Some(text) = text.and_then(Node::as_str) {
        out.extend(sub_placeholders(text).map(|(name, _)| name.split('.').next().unwrap_or(name)));
        collect_function_names(text, function_names, out);
    }
    if let Some(variables) = variables {
        collect_references(variables, function_names, out);
    }
}

/// A string that is a function's name, or holds `function:<name>` (an ARN, qualified or not).
fn collect_function_names<'v>(
    text: &str,
    function_names: &HashMap<&str, &'v str>,
    out: &mut Vec<&'v str>,
) {
    if function_names.is_empty() {
        return;
    }
    if let Some(id) = function_names.get(text) {
        out.push(id);
    }
    for (name, _) in arn_function_names(text) {
        if let Some(id) = function_names.get(name) {
            out.push(id);
        }
    }
}

/// Characters of a Lambda function or alias name.
pub(crate) fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// Each function name after `function:` in `text` (a Lambda ARN, qualified or not), with the
/// text that follows it (`:Live...` when qualified).
pub(crate) fn arn_function_names(text: &str) -> impl Iterator<Item = (&str, &str)> {
    // Found from each colon (a memchr), not with a substring searcher: this runs on every
    // string of the template, and setting up a searcher cost more than most strings' walk.
    let after_function = |&(at, _): &(usize, &str)| text[..at].ends_with("function");
    text.match_indices(':')
        .filter(after_function)
        .map(move |(at, _)| {
            let rest = &text[at + 1..];
            let end = rest.find(|c| !is_name_char(c)).unwrap_or(rest.len());
            rest.split_at(end)
        })
}

/// The `X` or `X.attr` of every `${...}` in a `Fn::Sub` string, with the text after its `}`;
/// `${!literal}` is not one.
pub(crate) fn sub_placeholders(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.split("${")
        .skip(1)
        .filter_map(|rest| rest.split_once('}'))
        .filter(|(name, _)| !name.starts_with('!'))
}

pub(crate) fn get_att_target<'v>(get_att: &'v Node) -> Option<&'v str> {
    match get_att {
        Node::Array(parts) => parts.first().and_then(Node::as_str),
        Node::String(dotted) => dotted.split('.').next(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::tree::node;

    #[test]
    fn indexes_versions_and_referrers_in_one_pass() {
        let template = node!({
            "HelloLambdaFunction": {"Type": "AWS::Lambda::Function", "Properties": {"Role": {"Fn::GetAtt": ["Role", "Arn"]}}},
            "HelloLambdaVersionAbc": {"Type": "AWS::Lambda::Version", "Properties": {"FunctionName": {"Ref": "HelloLambdaFunction"}}},
            "Perm": {"Type": "AWS::Lambda::Permission", "Properties": {"FunctionName": {"Fn::GetAtt": "HelloLambdaFunction.Arn"}}},
            "Method": {"Type": "AWS::ApiGateway::Method", "Properties": {"Integration": {"Uri": {"Fn::Join": ["", [
                {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}, {"Fn::GetAtt": ["HelloLambdaFunction", "Arn"]}
            ]]}}}}
        });
        let index = TemplateIndex::new(template.as_object().unwrap());
        assert_eq!(
            index.version_of("HelloLambdaFunction"),
            Some("HelloLambdaVersionAbc")
        );
        let referrers: Vec<&str> = index
            .referrers_of("HelloLambdaFunction")
            .map(|(id, _)| id)
            .collect();
        assert_eq!(referrers, ["HelloLambdaVersionAbc", "Perm", "Method"]);
        assert_eq!(index.type_of("Perm"), Some("AWS::Lambda::Permission"));
        assert_eq!(index.referrers_of("Nothing").count(), 0);
    }

    #[test]
    fn finds_each_function_named_after_function_colon() {
        let names = |text| arn_function_names(text).collect::<Vec<_>>();
        assert_eq!(names("function:A"), [("A", "")]);
        assert_eq!(
            names("arn:aws:lambda:us-east-1:1:function:svc-dev-hello:Live"),
            [("svc-dev-hello", ":Live")]
        );
        assert_eq!(
            names("function:function:A"),
            [("function", ":A"), ("A", "")]
        );
        assert_eq!(names("xfunction:B"), [("B", "")]);
        assert_eq!(names("é:function:C/x"), [("C", "/x")]);
        assert_eq!(names("function::"), [("", ":")]);
        assert_eq!(names("a trailing function:"), [("", "")]);
        assert!(names("functions: none, function none").is_empty());
    }

    #[test]
    fn sees_references_inside_fn_sub() {
        let template = node!({
            "Legacy": {"Type": "AWS::ApiGateway::Method", "Properties": {"Integration": {"Uri": {"Fn::Sub":
                "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${HelloLambdaFunction.Arn}/invocations ${!Literal}"
            }}}},
            "WithVariables": {"Type": "X", "Properties": {"V": {"Fn::Sub": ["${Fn}", {"Fn": {"Ref": "OtherLambdaFunction"}}]}}}
        });
        let index = TemplateIndex::new(template.as_object().unwrap());
        assert_eq!(index.referrers_of("HelloLambdaFunction").count(), 1);
        assert_eq!(index.referrers_of("OtherLambdaFunction").count(), 1);
        assert_eq!(index.referrers_of("Literal").count(), 0);
    }
}
