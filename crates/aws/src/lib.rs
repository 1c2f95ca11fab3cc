//! Operations against the live AWS account, through the official AWS SDK for Rust: the
//! `--aws` checks and the commands on a deployed stage. They run on the caller's tokio runtime
//! and never panic: whatever AWS answers becomes the core's diagnostics.

mod alarm_state;
mod alarms;
mod bounded;
mod codedeploy;
mod deployment_configs;
mod deployment_facts;
mod deployments;
mod failure;
mod operate;
mod poll_memory;
mod preflight;
mod release_facts;
mod releases;
mod request;
mod rollback;
mod sdk_config;
mod stack;
mod status;
mod status_view;
#[cfg(test)]
mod test_support;
mod version_metrics;

pub use alarm_state::AlarmStateReport;
pub use operate::{
    deployment_status, roll_back, set_alarm_state, AlarmInput, DeployedInput, StatusInput,
};
pub use preflight::{preflight_report, PreflightInput};
pub use release_facts::{release_facts, ReleaseFactsInput};
pub use rollback::RollbackReport;
pub use status_view::StatusReport;
