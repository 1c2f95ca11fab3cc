//! The Lambda hooks CodeDeploy calls around a function's traffic shift: a function of the
//! service, or one the plugin generates for the stack.

use crate::naming;
use crate::settings::FunctionSettings;
use crate::template::bypass::Bypass;

/// The two lifecycle events of a Lambda deployment that run a hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LifecycleEvent {
    /// The new version is published; no traffic has moved yet.
    BeforeAllowTraffic,
    /// All traffic has moved.
    AfterAllowTraffic,
}

impl LifecycleEvent {
    /// As `canary:plan` names it, which is also the generated hook's handler.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::BeforeAllowTraffic => "beforeAllowTraffic",
            Self::AfterAllowTraffic => "afterAllowTraffic",
        }
    }
}

/// A hook function the plugin writes once for the whole stack, for every function using it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GeneratedHook {
    /// `smokeTest`: invokes the new version before any traffic moves.
    SmokeTest,
    /// `minTraffic`: counts the new version's invocations once all traffic has moved.
    TrafficGuard,
}

impl GeneratedHook {
    pub(crate) const ALL: [GeneratedHook; 2] = [Self::SmokeTest, Self::TrafficGuard];

    pub(crate) fn logical_id(self) -> &'static str {
        match self {
            Self::SmokeTest => naming::SMOKE_TEST_HOOK_LOGICAL_ID,
            Self::TrafficGuard => naming::TRAFFIC_GUARD_HOOK_LOGICAL_ID,
        }
    }

    /// Its `FunctionName` in the stack `stack_name`.
    pub(crate) fn function_name(self, stack_name: &str) -> String {
        let suffix = match self {
            Self::SmokeTest => "smoke-test",
            Self::TrafficGuard => "traffic-guard",
        };
        naming::verification_hook_name(stack_name, suffix)
    }

    pub(crate) fn event(self) -> LifecycleEvent {
        match self {
            Self::SmokeTest => LifecycleEvent::BeforeAllowTraffic,
            Self::TrafficGuard => LifecycleEvent::AfterAllowTraffic,
        }
    }

    /// Whether `function`'s settings ask for it.
    pub(crate) fn used_by(self, function: &FunctionSettings) -> bool {
        match self {
            Self::SmokeTest => !function.smoke_tests.is_empty(),
            Self::TrafficGuard => function.min_traffic.is_some(),
        }
    }
}

/// What runs at one lifecycle event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HookRunner<'a> {
    /// A function of the service, by its key under `functions:`.
    Function(&'a str),
    Generated(GeneratedHook),
}

impl HookRunner<'_> {
    /// The logical ID of the hook function in the stack.
    pub(crate) fn logical_id(self) -> String {
        match self {
            Self::Function(name) => naming::function_logical_id(name),
            Self::Generated(hook) => hook.logical_id().to_owned(),
        }
    }
}

/// One hook of a function's deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TrafficHook<'a> {
    pub event: LifecycleEvent,
    pub runner: HookRunner<'a>,
    /// Whether CodeDeploy calls it in this deploy: `--canary-bypass` may leave it out.
    pub runs: bool,
}

/// `function`'s hooks, before traffic moves and then after: at most one per event, since a
/// second one is `hook-conflict`. `bypass` is this deploy's `--canary-bypass`, if any; `None`
/// gives every hook the settings name, as a gradual deploy runs them.
pub(crate) fn traffic_hooks<'f>(
    function: &'f FunctionSettings,
    bypass: Option<Bypass>,
) -> impl Iterator<Item = TrafficHook<'f>> {
    let user_hooks_run = !bypass.is_some_and(|b| b.skip_hooks);
    let user_hook = |event, name: &'f Option<String>| {
        name.as_deref().map(|name| TrafficHook {
            event,
            runner: HookRunner::Function(name),
            runs: user_hooks_run,
        })
    };
    let generated = |hook: GeneratedHook, runs| {
        hook.used_by(function).then_some(TrafficHook {
            event: hook.event(),
            runner: HookRunner::Generated(hook),
            runs,
        })
    };
    let before = user_hook(
        LifecycleEvent::BeforeAllowTraffic,
        &function.pre_traffic_hook,
    )
    .or_else(|| generated(GeneratedHook::SmokeTest, user_hooks_run));
    // The guard counts the canary's traffic: a bypass, all at once, has none to count.
    let after = user_hook(
        LifecycleEvent::AfterAllowTraffic,
        &function.post_traffic_hook,
    )
    .or_else(|| generated(GeneratedHook::TrafficGuard, bypass.is_none()));
    before.into_iter().chain(after)
}

/// The service's functions that `function`'s deployment calls as hooks, whether or not this
/// deploy runs them: its roles and policies stay the same across a bypass.
pub(crate) fn hook_functions(function: &FunctionSettings) -> impl Iterator<Item = &str> {
    traffic_hooks(function, None).filter_map(|hook| match hook.runner {
        HookRunner::Function(name) => Some(name),
        HookRunner::Generated(_) => None,
    })
}
