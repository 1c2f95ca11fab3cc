//! What each resource type does with a function it names: the table the wiring follows.
//! Types not listed are unknown: a reference from them is reported, never guessed at.

use super::moved::PUBLIC;

/// How a resource that names a canaried function is pointed at its alias.
pub(super) enum Routing {
    /// Calls the function by ARN: every ARN of the function in its target properties becomes
    /// the alias ARN.
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
    /// Names the function without calling it (versions, aliases, IAM statements, log groups).
    Bystander,
    /// A Framework custom resource that builds the bare function ARN from the function's name:
    /// it cannot be pointed at an alias.
    CustomResource {
        event: &'static str,
        /// Property path naming the bucket, pool or rule, for the warning.
        source: &'static [&'static str],
    },
}

pub(crate) struct Invoker {
    /// First label of the service principal its `AWS::Lambda::Permission` grants (`sns` for
    /// `sns.amazonaws.com`); `None` when it calls with an IAM role instead.
    pub service: Option<&'static str>,
    /// Properties naming the source the way the permission's `SourceArn` names it; the
    /// invoker's own logical ID always counts too.
    pub identity: &'static [&'static str],
    /// Where it names the function it calls; `*` stands for every item of a list or map.
    /// Other properties (an event pattern, a tag) may name the function without calling it.
    pub targets: &'static [&'static [&'static str]],
    /// Also takes the function's name (`Ref`) where it takes its ARN.
    pub accepts_name: bool,
    /// Property path of the role it calls with, which must allow the alias.
    pub role: Option<&'static [&'static str]>,
}

/// Calls under a resource policy granted to `service`.
const fn calls(
    service: &'static str,
    identity: &'static [&'static str],
    targets: &'static [&'static [&'static str]],
) -> Routing {
    Routing::Invoker(Invoker {
        service: Some(service),
        identity,
        targets,
        accepts_name: false,
        role: None,
    })
}

pub(crate) fn routing_of(resource_type: &str) -> Option<Routing> {
    let routing = match resource_type {
        "AWS::ApiGateway::Method" => {
            calls("apigateway", &["RestApiId"], &[&["Integration", "Uri"]])
        }
        "AWS::ApiGateway::Authorizer" => calls("apigateway", &["RestApiId"], &[&["AuthorizerUri"]]),
        "AWS::ApiGatewayV2::Integration" => calls("apigateway", &["ApiId"], &[&["IntegrationUri"]]),
        "AWS::ApiGatewayV2::Authorizer" => calls("apigateway", &["ApiId"], &[&["AuthorizerUri"]]),
        "AWS::SNS::Topic" => calls("sns", &["TopicName"], &[&["Subscription", "*", "Endpoint"]]),
        "AWS::SNS::Subscription" => calls("sns", &["TopicArn"], &[&["Endpoint"]]),
        "AWS::S3::Bucket" => calls(
            "s3",
            &["BucketName"],
            &[&[
                "NotificationConfiguration",
                "LambdaConfigurations",
                "*",
                "Function",
            ]],
        ),
        "AWS::Events::Rule" => calls("events", &["Name"], &[&["Targets", "*", "Arn"]]),
        "AWS::Logs::SubscriptionFilter" => calls("logs", &["LogGroupName"], &[&["DestinationArn"]]),
        "AWS::IoT::TopicRule" => calls(
            "iot",
            &["RuleName"],
            &[
                &["TopicRulePayload", "Actions", "*", "Lambda", "FunctionArn"],
                &["TopicRulePayload", "ErrorAction", "Lambda", "FunctionArn"],
            ],
        ),
        "AWS::IoT::ProvisioningTemplate" => calls(
            "iot",
            &["TemplateName"],
            &[&["PreProvisioningHook", "TargetArn"]],
        ),
        // Every trigger, including the `{LambdaArn}` of the custom sender triggers.
        "AWS::Cognito::UserPool" => calls("cognito-idp", &[], &[&["LambdaConfig"]]),
        "AWS::ElasticLoadBalancingV2::TargetGroup" => {
            calls("elasticloadbalancing", &[], &[&["Targets", "*", "Id"]])
        }
        // Alarm actions may invoke a function (principal lambda.alarms.cloudwatch.amazonaws.com);
        // its dimensions only name the function whose metrics it watches.
        "AWS::CloudWatch::Alarm" => calls(
            "lambda",
            &["AlarmName"],
            &[
                &["AlarmActions", "*"],
                &["OKActions", "*"],
                &["InsufficientDataActions", "*"],
            ],
        ),
        // The function's own role polls the source: no permission involved.
        "AWS::Lambda::EventSourceMapping" => Routing::Invoker(Invoker {
            service: None,
            identity: &[],
            targets: &[&["FunctionName"]],
            accepts_name: true,
            role: None,
        }),
        "AWS::Scheduler::Schedule" => Routing::Invoker(Invoker {
            service: None,
            identity: &[],
            targets: &[&["Target", "Arn"]],
            accepts_name: false,
            role: Some(&["Target", "RoleArn"]),
        }),
        // A state machine's tasks call with its role: serverless-step-functions writes
        // `DefinitionString: {Fn::Sub: [text, {<hash>: ARN}]}`, one written by hand may use
        // `Definition` with `DefinitionSubstitutions`.
        "AWS::StepFunctions::StateMachine" => Routing::Invoker(Invoker {
            service: None,
            identity: &[],
            targets: &[
                &["DefinitionString"],
                &["Definition"],
                &["DefinitionSubstitutions"],
            ],
            accepts_name: false,
            role: Some(&["RoleArn"]),
        }),
        // An AppSync Lambda data source calls with its service role.
        "AWS::AppSync::DataSource" => Routing::Invoker(Invoker {
            service: None,
            identity: &[],
            targets: &[&["LambdaConfig", "LambdaFunctionArn"]],
            accepts_name: false,
            role: Some(&["ServiceRoleArn"]),
        }),
        "AWS::Lambda::Url" => Routing::Qualified {
            function_property: "TargetFunctionArn",
            public_service: Some(PUBLIC),
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

/// Properties that a permission's `SourceArn` may spell out to name a resource of this type:
/// an invoker's identity, or the name of a source an invoker reads from (a log group).
pub(crate) fn names_of(resource_type: &str) -> &'static [&'static str] {
    match routing_of(resource_type) {
        Some(Routing::Invoker(invoker)) => invoker.identity,
        _ if resource_type == "AWS::Logs::LogGroup" => &["LogGroupName"],
        _ => &[],
    }
}
