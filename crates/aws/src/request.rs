//! The core's preflight request, and what answering it needs from the SDK: a connection for
//! its region and profile, and the CloudWatch name of each attached alarm.

use aws_config::{ConfigLoader, SdkConfig};

use serverless_canary_core::diagnostics::Diagnostic;
pub(crate) use serverless_canary_core::preflight_request::{AlarmCheck, Named, PreflightRequest};

use super::sdk_config;
use super::stack::PhysicalIds;

pub(crate) trait Connect {
    /// The SDK settings for this request's region and profile, and the region, or the one
    /// diagnostic saying why AWS cannot be asked.
    async fn connect(&self, loader: ConfigLoader) -> Result<(SdkConfig, String), Diagnostic>;
}

impl Connect for PreflightRequest {
    async fn connect(&self, loader: ConfigLoader) -> Result<(SdkConfig, String), Diagnostic> {
        sdk_config::connect(loader, self.region.as_deref(), self.profile.as_deref()).await
    }
}

pub(crate) trait PhysicalName {
    /// Its CloudWatch name: as written, or as CloudFormation named the stack's alarm.
    fn name_in(&self, physical: &PhysicalIds) -> Option<String>;
}

impl PhysicalName for AlarmCheck {
    fn name_in(&self, physical: &PhysicalIds) -> Option<String> {
        self.name
            .clone()
            .or_else(|| physical.get(self.logical_id.as_deref()?).cloned())
    }
}
