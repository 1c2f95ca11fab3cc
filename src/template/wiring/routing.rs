//! What each resource type does with a function it names: the table the wiring follows.
//! Types not listed are unknown: a reference from them is reported, never guessed at.

/// How a resource that names a canaried function is pointed at its alias.
pub enum Routing {
    /// Calls the function by ARN: every ARN of the function in its properties becomes the
    /// alias ARN.
    Invoker(Invoker),
    /// Names the function plus a `Qualifier` (function URL, async invoke config): the
    /// qualifier becomes the alias name.
    Qualified {
        /// The property naming the function.
        function_property: &'static str,
        /// The service its permission grants when it is public (a URL with `AuthType: NONE`).
        public_service: Option<&'static str>,
    },
    /// A resource policy; it follows the invokers it grants (see `permissions`).
    Permission,
    /// Names the function without calling it (versions, aliases, IAM statements, alarms).
    Bystander,
    /// A Framework custom resource that builds the bare function ARN from the function's name:
    /// it cannot be pointed at an alias.
    CustomResource {
        event: &'static str,
        /// Property path naming the bucket, pool or rule, for the warning.
        source: &'static [&'static str],
    },
}

pub struct Invoker {
    /// First label of the service principal its `AWS::Lambda::Permission` grants (`sns` for
    /// `sns.amazonaws.com`); `None` when it calls with an IAM role instead.
    pub service: Option<&'static str>,
    /// Properties naming the source the way the permission's `SourceArn` names it; the
    /// invoker's own logical ID always counts too.
    pub identity: &'static [&'static str],
    /// Also takes the function's name (`Ref`) where it takes its ARN.
    pub accepts_name: bool,
}

const fn invoker(service: &'static str, identity: &'static [&'static str]) -> Routing {
    Routing::Invoker(Invoker {
        service: Some(service),
        identity,
        accepts_name: false,
    })
}

/// Calls with the function's own role (event source mappings) or a role of its own (EventBridge
/// Scheduler, whose Framework role grants `function:<name>:*`).
const fn role_invoker(accepts_name: bool) -> Routing {
    Routing::Invoker(Invoker {
        service: None,
        identity: &[],
        accepts_name,
    })
}

pub fn routing_of(resource_type: &str) -> Option<Routing> {
    let routing = match resource_type {
        "AWS::ApiGateway::Method" | "AWS::ApiGateway::Authorizer" => {
            invoker("apigateway", &["RestApiId"])
        }
        "AWS::ApiGatewayV2::Integration" | "AWS::ApiGatewayV2::Authorizer" => {
            invoker("apigateway", &["ApiId"])
        }
        "AWS::SNS::Topic" => invoker("sns", &["TopicName"]),
        "AWS::SNS::Subscription" => invoker("sns", &["TopicArn"]),
        "AWS::S3::Bucket" => invoker("s3", &["BucketName"]),
        "AWS::Events::Rule" => invoker("events", &["Name"]),
        "AWS::Logs::SubscriptionFilter" => invoker("logs", &["LogGroupName"]),
        "AWS::IoT::TopicRule" | "AWS::IoT::ProvisioningTemplate" => invoker("iot", &[]),
        "AWS::Cognito::UserPool" => invoker("cognito-idp", &[]),
        "AWS::ElasticLoadBalancingV2::TargetGroup" => invoker("elasticloadbalancing", &[]),
        "AWS::Lambda::EventSourceMapping" => role_invoker(true),
        "AWS::Scheduler::Schedule" => role_invoker(false),
        "AWS::Lambda::Url" => Routing::Qualified {
            function_property: "TargetFunctionArn",
            public_service: Some("*"),
        },
        "AWS::Lambda::EventInvokeConfig" => Routing::Qualified {
            function_property: "FunctionName",
            public_service: None,
        },
        "AWS::Lambda::Permission" => Routing::Permission,
        "AWS::Lambda::Version"
        | "AWS::Lambda::Alias"
        | "AWS::IAM::Role"
        | "AWS::IAM::Policy"
        | "AWS::IAM::ManagedPolicy"
        | "AWS::CloudWatch::Alarm"
        | "AWS::Logs::LogGroup"
        | "AWS::CodeDeploy::DeploymentGroup" => Routing::Bystander,
        "Custom::S3" => Routing::CustomResource {
            event: "s3 (existing bucket)",
            source: &["BucketName"],
        },
        "Custom::CognitoUserPool" => Routing::CustomResource {
            event: "cognitoUserPool (existing pool)",
            source: &["UserPoolName"],
        },
        "Custom::EventBridge" => Routing::CustomResource {
            event: "eventBridge (custom resource mode)",
            source: &["EventBridgeConfig", "RuleName"],
        },
        _ => return None,
    };
    Some(routing)
}
