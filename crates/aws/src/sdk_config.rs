//! The AWS SDK settings of the preflight checks: the user's region and profile, a small retry
//! and timeout budget, and an HTTPS client on rustls with ring.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, ConfigLoader, Region, SdkConfig};
use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
use aws_smithy_http_client::{Builder, ConnectorBuilder};
use aws_types::sdk_config::SharedHttpClient;

use serverless_canary_core::diagnostics::{self as diag, Diagnostic};

/// A check that cannot reach AWS must say so in seconds, not hang a deploy: three attempts, a
/// short wait between them, and a cap on the whole call.
const MAX_ATTEMPTS: u32 = 3;
const MAX_BACKOFF: Duration = Duration::from_secs(1);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(4);
pub(crate) const OPERATION_TIMEOUT: Duration = Duration::from_secs(8);

/// Where the SDK reads its settings from: the process environment and `~/.aws`, as the AWS CLI
/// does (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>, ...).
pub(crate) fn default_loader() -> ConfigLoader {
    aws_config::defaults(BehaviorVersion::latest())
}

/// The SDK config and its region, or the one diagnostic saying why AWS cannot be asked.
pub(crate) async fn connect(
    loader: ConfigLoader,
    region: Option<&str>,
    profile: Option<&str>,
) -> Result<(SdkConfig, String), Diagnostic> {
    let config = load(loader, region, profile).await;
    let Some(region) = config.region().map(|region| region.to_string()) else {
        return Err(diag::aws_no_region());
    };
    if !is_region_name(&region) {
        return Err(diag::aws_invalid_region(&region));
    }
    Ok((config, region))
}

/// `eu-west-1`: checked before any call, because the SDK would put anything else into a host
/// name and fail somewhere less clear.
fn is_region_name(region: &str) -> bool {
    !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub(crate) async fn load(
    loader: ConfigLoader,
    region: Option<&str>,
    profile: Option<&str>,
) -> SdkConfig {
    let mut loader = loader
        .http_client(https_client())
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(MAX_ATTEMPTS)
                .with_max_backoff(MAX_BACKOFF),
        )
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(CONNECT_TIMEOUT)
                .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                .operation_timeout(OPERATION_TIMEOUT)
                .build(),
        );
    if let Some(profile) = profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = region {
        loader = loader.region(Region::new(region.to_owned()));
    }
    loader.load().await
}

/// The SDK's own default client (`aws_smithy_runtime::client::http::default_https_client`),
/// on ring instead of aws-lc. Like it, it honours HTTPS_PROXY and NO_PROXY; like it, it builds
/// through `build_with_connector_fn`, the one builder that can set a proxy, so each connector
/// setting gets one cached connection pool.
fn https_client() -> SharedHttpClient {
    Builder::new().build_with_connector_fn(|settings, components| {
        let mut connector =
            ConnectorBuilder::default().tls_provider(Provider::Rustls(CryptoMode::Ring));
        connector.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            connector.set_sleep_impl(components.sleep_impl());
        }
        connector.set_proxy_config(Some(ProxyConfig::from_env()));
        connector.build()
    })
}
