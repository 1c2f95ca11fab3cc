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

/// Every file under `dir` whose name ends in `.extension`, in any subfolder.
#[cfg(test)]
pub(crate) fn files_under(dir: &std::path::Path, extension: &str) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == extension) {
                found.push(path);
            }
        }
    }
    found
}
