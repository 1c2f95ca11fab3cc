//! `canary:plan --aws`: what the account says about the next release, asked before the
//! packaging so that the plan says it: which functions deploy for the first time, which alarms
//! fire now, and what the `--aws` checks of `canary:validate` find.

use serde::Deserialize;
use serverless_canary_core::preflight_request::{release_request, PreflightRequest, SettingsInput};
use serverless_canary_core::release::AccountFacts;

use super::preflight::{preflight_report, PreflightInput};

/// The settings of the stage, with the region and profile JavaScript chose.
#[derive(Debug, Deserialize)]
pub struct ReleaseFactsInput {
    #[serde(flatten)]
    settings: SettingsInput,
    #[serde(default)]
    region: Option<String>,
    #[serde(default)]
    profile: Option<String>,
}

/// `None`, and nothing asked, when the settings have an error or nothing is canaried.
pub async fn release_facts(input: ReleaseFactsInput) -> Option<AccountFacts> {
    let request = PreflightRequest {
        region: input.region,
        profile: input.profile,
        ..release_request(&input.settings)?
    };
    let asked = PreflightInput {
        request,
        source: input.settings.source,
    };
    let report = preflight_report(&asked).await;
    Some(AccountFacts::new(
        report.facts.unwrap_or_default(),
        &report.diagnostics,
    ))
}
