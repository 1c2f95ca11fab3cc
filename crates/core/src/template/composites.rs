//! Which composite alarm each function's `canaryAlarms` join. As the Flagsmith fork does, a
//! stack has one, `CanaryDeploymentCompositeAlarm`, that every such deployment group watches.
//! With serverless-plugin-split-stacks putting functions in nested stacks, that one alarm cannot
//! be anywhere: it waits for the canary alarms (each names its version) and every group waits
//! for it, so it would have to be in every function's stack at once, and any other place makes
//! two stacks wait for each other. There, each nested stack gets a composite of its own, whose
//! logical ID begins with its first function's, so that split-stacks puts it in that stack.

use rustc_hash::FxHashMap as HashMap;

use crate::naming;

use super::placement::Placement;

pub(crate) struct Composite {
    pub logical_id: String,
    pub name: String,
    /// The `canaryAlarms` list of its first function, where its problems point.
    pub origin: String,
    /// (logical ID, `AlarmName` text) of each canary alarm it joins.
    pub alarms: Vec<(String, String)>,
    /// The functions whose canary alarms it joins, in service order: each one's group watches
    /// it, so any of their alarms rolls every one of them back.
    pub functions: Vec<String>,
}

#[derive(Default)]
pub(crate) struct Composites {
    list: Vec<Composite>,
    /// Function name -> its composite in `list`.
    of_function: HashMap<String, usize>,
}

impl Composites {
    /// `functions`: (name, logical ID, `canaryAlarms` path) of each function with canary
    /// alarms, in service order.
    pub(crate) fn new<'f>(
        functions: impl Iterator<Item = (&'f str, &'f str, &'f str)>,
        placement: Option<&Placement>,
        (service, stage): (&str, &str),
    ) -> Self {
        let mut composites = Self::default();
        // Nested stack (or none: the stack's one) -> its composite in `list`.
        let mut of_stack: HashMap<Option<&str>, usize> = HashMap::default();
        for (function, function_id, path) in functions {
            let stack = placement.and_then(|p| p.stack_of(function_id));
            let at = *of_stack.entry(stack).or_insert_with(|| {
                let (logical_id, name) = match stack {
                    None => (
                        naming::COMPOSITE_ALARM_LOGICAL_ID.to_owned(),
                        naming::composite_alarm_name(service, stage),
                    ),
                    Some(_) => (
                        naming::nested_composite_alarm_logical_id(function_id),
                        naming::nested_composite_alarm_name(service, stage, function),
                    ),
                };
                let origin = path.rsplit_once('[').map_or(path, |(list, _)| list);
                composites.list.push(Composite {
                    logical_id,
                    name,
                    origin: origin.to_owned(),
                    alarms: Vec::new(),
                    functions: Vec::new(),
                });
                composites.list.len() - 1
            });
            composites.list[at].functions.push(function.to_owned());
            composites.of_function.insert(function.to_owned(), at);
        }
        composites
    }

    /// The logical ID of the composite `function`'s canary alarms join.
    pub(crate) fn logical_id_of(&self, function: &str) -> Option<&str> {
        let at = *self.of_function.get(function)?;
        Some(&self.list[at].logical_id)
    }

    /// The functions whose canary alarms join the same composite as `function`'s, itself
    /// included; none when it has no `canaryAlarms`.
    pub(crate) fn functions_sharing(&self, function: &str) -> &[String] {
        match self.of_function.get(function) {
            Some(&at) => &self.list[at].functions,
            None => &[],
        }
    }

    pub(crate) fn join(&mut self, function: &str, alarms: Vec<(String, String)>) {
        if let Some(&at) = self.of_function.get(function) {
            self.list[at].alarms.extend(alarms);
        }
    }

    pub(crate) fn into_list(self) -> Vec<Composite> {
        self.list
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::placement::SplitStacks;

    const FUNCTIONS: [(&str, &str, &str); 3] = [
        (
            "a",
            "ALambdaFunction",
            "functions.a.deploymentSettings.canaryAlarms[0]",
        ),
        (
            "b",
            "BLambdaFunction",
            "functions.b.deploymentSettings.canaryAlarms[0]",
        ),
        (
            "c",
            "CLambdaFunction",
            "functions.c.deploymentSettings.canaryAlarms[0]",
        ),
    ];

    fn ids(composites: &Composites) -> Vec<Option<&str>> {
        ["a", "b", "c"]
            .iter()
            .map(|f| composites.logical_id_of(f))
            .collect()
    }

    #[test]
    fn one_for_the_stack_or_one_per_nested_stack_named_to_land_in_it() {
        let one = Composites::new(FUNCTIONS.into_iter(), None, ("svc", "dev"));
        assert_eq!(ids(&one), [Some("CanaryDeploymentCompositeAlarm"); 3]);
        assert_eq!(one.functions_sharing("b"), ["a", "b", "c"]);

        let split = SplitStacks {
            function_stacks: [
                ("a", "1NestedStack"),
                ("b", "1NestedStack"),
                ("c", "2NestedStack"),
            ]
            .into_iter()
            .map(|(f, s)| (f.to_owned(), s.to_owned()))
            .collect(),
        };
        let placement = Placement::new(&split);
        let nested = Composites::new(FUNCTIONS.into_iter(), Some(&placement), ("svc", "dev"));
        assert_eq!(
            ids(&nested),
            [
                Some("ALambdaFunctionCanaryCompositeAlarm"),
                Some("ALambdaFunctionCanaryCompositeAlarm"),
                Some("CLambdaFunctionCanaryCompositeAlarm")
            ]
        );
        assert_eq!(nested.functions_sharing("b"), ["a", "b"]);
        assert_eq!(nested.functions_sharing("c"), ["c"]);
        assert!(nested.functions_sharing("d").is_empty());
        for composite in nested.into_list() {
            assert_eq!(
                placement.stack_of(&composite.logical_id),
                placement.stack_of(&composite.logical_id[..1]),
                "{} lands with its first function",
                composite.logical_id
            );
            assert!(composite.name.starts_with("svc-dev-"), "{}", composite.name);
            assert!(
                composite.origin.ends_with(".canaryAlarms"),
                "{}",
                composite.origin
            );
        }
    }
}
