//! serverless-canary's core: reads `deploymentSettings`, validates them, and generates the
//! CodeDeploy resources. Pure: no I/O, no AWS SDK, no Node; the AWS crate and the addon
//! build on it.

pub mod companions;
pub mod deploy_function;
mod deployment;
pub mod diagnostics;
pub mod fuzz_checks;
pub mod limits;
pub mod naming;
pub mod nested_stacks;
mod numbers;
pub mod plan;
pub mod preflight_request;
pub mod release;
pub mod report;
pub mod settings;
pub mod source;
mod suggest;
mod summary;
mod template;
mod traffic;
pub mod validate;

pub use template::bypass::{deploy_bypass, DeployBypass, DeployInput};
pub use traffic::{predefined_config_routing, Routing};

/// A file of the repository, for tests that read the docs and fixtures they keep in step.
#[cfg(test)]
pub(crate) fn repo_path(relative: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}
