//! Operations against the live AWS account, through the official AWS SDK for Rust. They run
//! on the caller's tokio runtime and never panic: whatever AWS answers becomes diagnostics.

mod alarm_state;
mod alarms;
mod codedeploy;
mod deployments;
mod failure;
mod preflight;
mod request;
mod rollback;
mod sdk_config;
mod stack;
mod status;

pub use alarm_state::{set_alarm_state, AlarmStateReport, AlarmStateRequest};
pub use deployments::Routing;
pub use preflight::preflight;
pub use request::{AlarmCheck, Named, PreflightRequest};
pub use rollback::{roll_back, RollbackReport};
pub use status::{
    deployment_status, AlarmStatus, CanaryTarget, Deployment, DeploymentError, FirstRelease,
    FunctionFacts, Hook, Rollback, StatusFacts, StatusRequest, Traffic,
};

#[cfg(test)]
mod alarm_state_tests;
#[cfg(test)]
mod preflight_tests;
#[cfg(test)]
mod rollback_tests;
#[cfg(test)]
mod status_tests;
#[cfg(test)]
mod test_support;
