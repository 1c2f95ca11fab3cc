//! `canary:plan --aws`: the release plan the packaging made, with what the account says about
//! it: which functions deploy for the first time, which alarms fire now, and what the `--aws`
//! checks of `canary:validate` find.

use serde::{Deserialize, Serialize};
use serverless_canary_core::release::{self, ReleasePlan};

use super::preflight::{preflight_report, PreflightInput};

#[derive(Debug, Deserialize)]
pub struct ReleaseInput {
    plan: ReleasePlan,
    preflight: PreflightInput,
}

#[derive(Debug, Serialize)]
pub struct ReleaseAnswer {
    plan: ReleasePlan,
    lines: Vec<String>,
    /// Problems that would fail the deploy, among AWS's answers.
    errors: usize,
}

pub async fn release_plan(input: ReleaseInput) -> ReleaseAnswer {
    let report = preflight_report(&input.preflight).await;
    let mut plan = input.plan;
    plan.add_facts(&report.facts.unwrap_or_default(), &report.diagnostics);
    ReleaseAnswer {
        lines: release::render(&plan),
        plan,
        errors: report.errors,
    }
}
