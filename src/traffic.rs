//! Deployment types: how CodeDeploy moves traffic from the old version to the new one.

/// The predefined Lambda configurations, by the short name users write in `type`.
/// The full CodeDeploy name is `CodeDeployDefault.Lambda<short name>`.
pub const PREDEFINED_TYPES: [&str; 9] = [
    "AllAtOnce",
    "Canary10Percent5Minutes",
    "Canary10Percent10Minutes",
    "Canary10Percent15Minutes",
    "Canary10Percent30Minutes",
    "Linear10PercentEvery1Minute",
    "Linear10PercentEvery2Minutes",
    "Linear10PercentEvery3Minutes",
    "Linear10PercentEvery10Minutes",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeploymentType {
    /// Index into [`PREDEFINED_TYPES`].
    predefined: usize,
}

impl DeploymentType {
    pub fn parse(name: &str) -> Option<Self> {
        PREDEFINED_TYPES
            .iter()
            .position(|known| *known == name)
            .map(|predefined| Self { predefined })
    }

    pub fn short_name(&self) -> &'static str {
        PREDEFINED_TYPES[self.predefined]
    }

    /// The name a deployment group's `DeploymentConfigName` takes.
    pub fn config_name(&self) -> String {
        format!("CodeDeployDefault.Lambda{}", self.short_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_predefined_type_maps_to_its_codedeploy_name() {
        for name in PREDEFINED_TYPES {
            let parsed = DeploymentType::parse(name).expect(name);
            assert_eq!(
                parsed.config_name(),
                format!("CodeDeployDefault.Lambda{name}")
            );
        }
        assert_eq!(
            DeploymentType::parse("Linear10PercentEvery1Minute")
                .unwrap()
                .config_name(),
            "CodeDeployDefault.LambdaLinear10PercentEvery1Minute"
        );
    }

    #[test]
    fn unknown_and_near_names_are_rejected() {
        assert!(DeploymentType::parse("Canary10Percent5Minute").is_none());
        assert!(DeploymentType::parse("canary10percent5minutes").is_none());
        assert!(DeploymentType::parse("").is_none());
    }
}
