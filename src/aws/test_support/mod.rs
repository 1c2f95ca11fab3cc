//! Loopback stand-ins for AWS, and SDK settings that point at them, for the preflight tests.

mod moto;
mod scripted_codedeploy;

pub(crate) use moto::Moto;
pub(crate) use scripted_codedeploy::ScriptedCodeDeploy;

use aws_config::{BehaviorVersion, ConfigLoader, SdkConfig};
use aws_types::os_shim_internal::Env;

use super::sdk_config;

pub(crate) const REGION: &str = "us-east-1";

/// The SDK reads this environment instead of the process's: nothing is inherited from the
/// machine (no profile files, no instance metadata), and tests can run in parallel because no
/// process variable is set. Production reads the process environment through the same code.
pub(crate) fn loader(vars: &[(&str, &str)]) -> ConfigLoader {
    let mut env = vec![
        ("AWS_CONFIG_FILE", "/dev/null"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ];
    env.extend_from_slice(vars);
    aws_config::defaults(BehaviorVersion::latest()).env(Env::from_slice(&env))
}

/// Dummy keys and every service at `endpoint`, through AWS_ENDPOINT_URL.
pub(crate) fn loader_for(endpoint: &str) -> ConfigLoader {
    loader(&[
        ("AWS_ENDPOINT_URL", endpoint),
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
    ])
}

/// Settings for the tests' own setup calls (creating alarms, stacks, deployments).
pub(crate) async fn setup_config(endpoint: &str) -> SdkConfig {
    sdk_config::load(loader_for(endpoint), Some(REGION), None).await
}

/// A loopback port nothing listens on.
pub(crate) fn closed_port_endpoint() -> String {
    format!("http://127.0.0.1:{}", free_port())
}

pub(crate) fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    listener.local_addr().expect("local address").port()
}
