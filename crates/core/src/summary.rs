//! What packaging says about the canaries: a line per function, or for a large service one
//! line per distinct setup, with the per-function lines left for `--verbose`. Eight hundred
//! notices would bury the Framework's own output (and took 7 ms to print).

use rustc_hash::FxHashMap as HashMap;

use crate::deployment::{
    attached_alarms, hook_functions, traffic_hooks, AttachedAlarm, GeneratedHook, HookRunner,
};
use crate::settings::FunctionSettings;
use crate::template::bypass::Bypass;

/// Up to this many canaried functions, each gets its own line at the default log level.
const LINES_PER_FUNCTION_UP_TO: usize = 10;
/// Function names a grouped line lists before "and N more".
const NAMES_LISTED: usize = 5;

#[derive(Debug, Default)]
pub(crate) struct Summary {
    /// One line per canaried function (or why none is).
    pub lines: Vec<String>,
    /// The lines to print by default, when `lines` are too many: one per setup.
    pub grouped: Option<Vec<String>>,
}

/// A canaried function's setup, in the words both kinds of line use.
struct Setup {
    /// `Canary10Percent5Minutes through alias `Live``
    shift: String,
    /// `1 alarm, hooks: preHook`
    extras: String,
}

impl Setup {
    fn of(function: &FunctionSettings, bypassed: bool) -> Self {
        let (mut attached, mut canary, mut baseline) = (0, 0, false);
        // Its own `canaryAlarms`: which other functions share their composite is the plan's.
        for alarm in attached_alarms(function, &[]) {
            match alarm {
                // `canaryAlarms` reach the group through the stack's one composite alarm.
                AttachedAlarm::CanaryComposite { own, .. } => canary += own.len(),
                AttachedAlarm::Baseline { .. } => {
                    attached += 1;
                    baseline = true;
                }
                AttachedAlarm::Listed(_) => attached += 1,
            }
        }
        let alarms = counted(attached, "alarm");
        let mut extras = match (attached, canary) {
            (_, 0) => alarms,
            (0, canary) => format!(
                "{} in the stack's composite",
                counted(canary, "canary alarm")
            ),
            (_, canary) => format!(
                "{alarms}, {} in the stack's composite",
                counted(canary, "canary alarm")
            ),
        };
        if baseline {
            extras.push_str(" (comparing it with the old version)");
        }
        let hooks: Vec<&str> = hook_functions(function).collect();
        if !hooks.is_empty() {
            extras.push_str(&format!(", hooks: {}", hooks.join(", ")));
        }
        for hook in traffic_hooks(function, None) {
            match hook.runner {
                HookRunner::Generated(GeneratedHook::SmokeTest) => {
                    extras.push_str(&format!(", smoke test: {}", function.smoke_test_names()));
                }
                HookRunner::Generated(GeneratedHook::TrafficGuard) => {
                    let min = function.min_traffic.unwrap_or_default();
                    extras.push_str(&format!(", at least {min} invocations"));
                }
                HookRunner::Function(_) => {}
            }
        }
        let shift = match bypassed {
            true => format!(
                "AllAtOnce (--canary-bypass; {} without it)",
                function.deployment_type
            ),
            false => function.deployment_type.to_string(),
        };
        Self {
            shift: format!("{shift} through alias `{}`", function.alias),
            extras,
        }
    }
}

/// `no alarms`, `1 alarm`, `3 alarms`.
fn counted(count: usize, what: &str) -> String {
    match count {
        0 => format!("no {what}s"),
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    }
}

impl Summary {
    /// A stage that `custom.deploymentSettings.stages` leaves out.
    pub(crate) fn stage_off(stage: &str, stages: &[String]) -> Self {
        Self {
            lines: vec![format!(
                "canary deployments are off for stage `{stage}` (custom.deploymentSettings.stages: {}); functions deploy all at once",
                stages.join(", ")
            )],
            grouped: None,
        }
    }

    /// A line about the whole release, shown at the default level however the functions' are.
    pub(crate) fn push_release_line(&mut self, line: String) {
        if let Some(grouped) = &mut self.grouped {
            grouped.push(line.clone());
        }
        self.lines.push(line);
    }

    /// The lines of `canaries`, each with its group; `bypassed` when `--canary-bypass` makes
    /// them shift all at once.
    pub(crate) fn of_canaries<'a>(
        canaries: impl ExactSizeIterator<Item = (&'a FunctionSettings, &'a str)>,
        bypassed: bool,
    ) -> Self {
        let many = canaries.len() > LINES_PER_FUNCTION_UP_TO;
        let mut lines = Vec::with_capacity(canaries.len());
        // Setups in the order first met, each with its functions.
        let mut setups: Vec<(Setup, Vec<&str>)> = Vec::new();
        let mut setup_at: HashMap<(String, String), usize> = HashMap::default();
        for (function, group_id) in canaries {
            let setup = Setup::of(function, bypassed);
            lines.push(format!(
                "{}: {} ({group_id}, {})",
                function.name(),
                setup.shift,
                setup.extras
            ));
            if many {
                let key = (setup.shift.clone(), setup.extras.clone());
                let at = *setup_at.entry(key).or_insert_with(|| {
                    setups.push((setup, Vec::new()));
                    setups.len() - 1
                });
                setups[at].1.push(function.name());
            }
        }
        let grouped = many.then(|| setups.iter().map(grouped_line).collect());
        Self { lines, grouped }
    }
}

/// `800 functions: Canary10Percent5Minutes through alias `Live` (1 alarm): f0, f1, f2, f3, f4
/// and 795 more (--verbose lists each)`
fn grouped_line((setup, functions): &(Setup, Vec<&str>)) -> String {
    let listed = functions[..functions.len().min(NAMES_LISTED)].join(", ");
    let count = match functions.len() {
        1 => "1 function".to_owned(),
        n => format!("{n} functions"),
    };
    let more = match functions.len().saturating_sub(NAMES_LISTED) {
        0 => String::new(),
        n => format!(" and {n} more (--verbose lists each)"),
    };
    format!(
        "{count}: {} ({}): {listed}{more}",
        setup.shift, setup.extras
    )
}

/// `--canary-bypass`, for the whole release.
pub(crate) fn bypass_line(functions: usize, bypass: Bypass) -> String {
    let hooks = if bypass.skip_hooks {
        "hooks are skipped"
    } else {
        "hooks run"
    };
    let functions = match functions {
        1 => "1 canaried function shifts".to_owned(),
        n => format!("{n} canaried functions shift"),
    };
    format!("--canary-bypass: {functions} all at once in this deploy; no alarm is consulted; {hooks}. The next deploy without it is gradual again")
}

/// `maxConcurrentDeployments`, for the whole release: what its chains cost.
pub(crate) fn chains_line(
    limit: usize,
    (functions, chains): (usize, usize),
    (in_chains, all_at_once): (u32, u32),
) -> String {
    format!(
        "maxConcurrentDeployments {limit}: {functions} canaried functions deploy in {chains} chains, one deployment at a time in each; traffic shifts for up to {in_chains} minutes in all, instead of {all_at_once} with every deployment at once",
    )
}
