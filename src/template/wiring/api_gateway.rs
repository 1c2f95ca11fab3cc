//! API Gateway: REST methods and authorizers (`http` events), HTTP API and WebSocket
//! integrations and authorizers (`httpApi`, `websocket`). The URIs keep the Framework's
//! partition-aware `Fn::Join`; only the function ARN inside becomes the alias ARN.

use super::{Family, Invoker};

pub const API_GATEWAY: Family = Family {
    caller: "API Gateway",
    principal: "apigateway.amazonaws.com",
    invokers: &[
        Invoker {
            resource_type: "AWS::ApiGateway::Method",
            target: &["Integration", "Uri"],
            api: "RestApiId",
        },
        Invoker {
            resource_type: "AWS::ApiGateway::Authorizer",
            target: &["AuthorizerUri"],
            api: "RestApiId",
        },
        Invoker {
            resource_type: "AWS::ApiGatewayV2::Integration",
            target: &["IntegrationUri"],
            api: "ApiId",
        },
        Invoker {
            resource_type: "AWS::ApiGatewayV2::Authorizer",
            target: &["AuthorizerUri"],
            api: "ApiId",
        },
    ],
};
