'use strict';

// The plugin inside the real `serverless package` (serverless@3) on every valid fixture: what it
// adds, what it rewires, that nothing else changes, and that cfn-lint accepts the result.

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');

const { normalise, packageAndDiff, packagedOnce, aliasRef } = require('./support/template-diff');
const { packageService, copyFixture } = require('./support/framework');
const { lintErrors } = require('./support/cfn-lint');

const props = (template, id) => {
  assert.ok(template.Resources[id], `${id} is in the template`);
  return template.Resources[id].Properties;
};

/** Packages a fixture once for all tests of its block, and checks what every fixture must hold. */
function packaged(fixture, options) {
  const run = packagedOnce(fixture, options);
  test('removes nothing the Framework generated', () => {
    assert.deepEqual(run.diff.removed, []);
  });
  test('the Framework accepts the configuration (schema registered)', () => {
    assert.doesNotMatch(run.output, /unrecognized property/i);
    // serverless@3.40.0 predates nodejs24.x and says so (README); nothing else may be invalid.
    const invalid = run.output.split('\n').filter((line) => /^\s+at /.test(line));
    assert.ok(
      invalid.every((line) => /^\s+at 'provider\.runtime': must be equal to one of the allowed values/.test(line)),
      invalid.join('\n')
    );
  });
  return run;
}

describe('example: the seed scenario, a REST canary with an inline CanaryCheck alarm', () => {
  const run = packaged('example');

  test('adds the application, group, alias and service role', () => {
    assert.deepEqual(run.diff.added.sort(), [
      'CanaryexampledevDeploymentApplication',
      'CodeDeployServiceRole',
      'HelloCanaryCheckAlarm',
      'HelloLambdaFunctionAliasLive',
      'HelloLambdaFunctionDeploymentGroup',
    ]);
  });

  test('the deployment group shifts traffic as `type` says and rolls back on alarm', () => {
    const group = props(run.template, 'HelloLambdaFunctionDeploymentGroup');
    assert.equal(group.DeploymentConfigName, 'CodeDeployDefault.LambdaCanary10Percent5Minutes');
    assert.equal(group.DeploymentGroupName, 'canary-example-dev-HelloLambdaFunctionDeploymentGroup');
    assert.deepEqual(group.ApplicationName, { Ref: 'CanaryexampledevDeploymentApplication' });
    assert.deepEqual(group.DeploymentStyle, {
      DeploymentType: 'BLUE_GREEN',
      DeploymentOption: 'WITH_TRAFFIC_CONTROL',
    });
    assert.deepEqual(group.AutoRollbackConfiguration, {
      Enabled: true,
      Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'],
    });
    assert.deepEqual(group.AlarmConfiguration, {
      Enabled: true,
      Alarms: [{ Name: { Ref: 'HelloCanaryCheckAlarm' } }],
    });
    assert.deepEqual(group.ServiceRoleArn, { 'Fn::GetAtt': ['CodeDeployServiceRole', 'Arn'] });
  });

  test('CanaryCheck counts only the new version, called through the alias', () => {
    const version = Object.keys(run.template.Resources).find((id) => id.startsWith('HelloLambdaVersion'));
    assert.deepEqual(props(run.template, 'HelloCanaryCheckAlarm'), {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Threshold: 3,
      Period: 60,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      Statistic: 'Sum',
      Dimensions: [
        { Name: 'FunctionName', Value: { Ref: 'HelloLambdaFunction' } },
        { Name: 'Resource', Value: { 'Fn::Join': [':', [{ Ref: 'HelloLambdaFunction' }, 'Live']] } },
        { Name: 'ExecutedVersion', Value: { 'Fn::GetAtt': [version, 'Version'] } },
      ],
    });
  });

  test('the alias sits on the Framework version and hands updates to CodeDeploy', () => {
    const alias = run.template.Resources.HelloLambdaFunctionAliasLive;
    const version = Object.keys(run.template.Resources).find((id) => id.startsWith('HelloLambdaVersion'));
    assert.deepEqual(alias.Properties, {
      FunctionName: { Ref: 'HelloLambdaFunction' },
      FunctionVersion: { 'Fn::GetAtt': [version, 'Version'] },
      Name: 'Live',
    });
    assert.deepEqual(alias.UpdatePolicy, {
      CodeDeployLambdaAliasUpdate: {
        ApplicationName: { Ref: 'CanaryexampledevDeploymentApplication' },
        DeploymentGroupName: { Ref: 'HelloLambdaFunctionDeploymentGroup' },
      },
    });
  });

  test('API Gateway calls the alias, partition-aware, with its permission on the alias', () => {
    assert.deepEqual(run.diff.changed.sort(), ['ApiGatewayMethodHelloGet', 'HelloLambdaPermissionApiGateway']);
    const uri = props(run.template, 'ApiGatewayMethodHelloGet').Integration.Uri['Fn::Join'][1];
    assert.deepEqual(uri, [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':apigateway:',
      { Ref: 'AWS::Region' },
      ':lambda:path/2015-03-31/functions/',
      aliasRef('Hello'),
      '/invocations',
    ]);
    assert.deepEqual(props(run.template, 'HelloLambdaPermissionApiGateway').FunctionName, aliasRef('Hello'));
  });

  test('the service role is least privilege', () => {
    const role = props(run.template, 'CodeDeployServiceRole');
    assert.deepEqual(role.ManagedPolicyArns, [
      { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited' },
    ]);
    assert.equal(role.Policies, undefined, 'no hooks and no triggers: nothing beyond the limited policy');
    assert.doesNotMatch(JSON.stringify(run.template), /FullAccess|arn:aws:/);
  });

  test('logs one line per canaried function', () => {
    assert.match(
      run.output,
      /serverless-canary: hello: Canary10Percent5Minutes through alias `Live` \(HelloLambdaFunctionDeploymentGroup, 1 alarm\)/
    );
    assert.doesNotMatch(run.output, /unrecognized property/i);
  });
});

describe('a large service: one line per setup, each function with --verbose', () => {
  // The example plus 11 functions: 12 canaried, past the 10 that get a line each by default.
  const extra = Array.from({ length: 11 }, (_, i) =>
    [`  f${i}:`, '    handler: handler.hello', '    deploymentSettings:', `      type: ${i < 8 ? 'Linear10PercentEvery1Minute' : 'AllAtOnce'}`, '      alias: Live'].join('\n')
  ).join('\n');
  const service = copyFixture('example', (text) => text.replace('functions:\n', `functions:\n${extra}\n`));
  const runs = Promise.all([packageService(service), packageService(service, { args: ['--verbose'] })]);

  test('groups the functions by setup, naming the first few', async () => {
    const [quiet] = await runs;
    assert.equal(quiet.code, 0, quiet.output);
    const lines = quiet.output.split('\n').filter((line) => line.startsWith('serverless-canary: '));
    assert.deepEqual(lines, [
      'serverless-canary: 8 functions: Linear10PercentEvery1Minute through alias `Live` (no alarms): f0, f1, f2, f3, f4 and 3 more (--verbose lists each)',
      'serverless-canary: 3 functions: AllAtOnce through alias `Live` (no alarms): f8, f9, f10',
      'serverless-canary: 1 function: Canary10Percent5Minutes through alias `Live` (1 alarm): hello',
    ]);
  });

  test('--verbose adds the line of each function', async () => {
    const [, verbose] = await runs;
    assert.equal(verbose.code, 0, verbose.output);
    assert.match(verbose.output, /serverless-canary: f7: Linear10PercentEvery1Minute through alias `Live` \(F7LambdaFunctionDeploymentGroup, no alarms\)/);
    assert.match(verbose.output, /serverless-canary: hello: Canary10Percent5Minutes through alias `Live` \(HelloLambdaFunctionDeploymentGroup, 1 alarm\)/);
    assert.equal(Object.keys(verbose.template.Resources).filter((id) => id.endsWith('DeploymentGroup')).length, 12);
  });
});

describe('basic-rest: a function without settings is untouched', () => {
  const run = packaged('basic-rest');

  test('only the canaried function is rewired', () => {
    assert.deepEqual(run.diff.changed.sort(), ['ApiGatewayMethodHelloGet', 'HelloLambdaPermissionApiGateway']);
    assert.equal(
      props(run.template, 'HelloLambdaFunctionDeploymentGroup').DeploymentConfigName,
      'CodeDeployDefault.LambdaLinear10PercentEvery1Minute'
    );
  });

  test("the untouched function's resources are byte-for-byte the Framework's", () => {
    const own = Object.keys(run.baseline.Resources).filter((id) => /^Untouched|MethodUntouched/.test(id));
    assert.ok(own.length >= 4, `found ${own}`);
    const [actual, expected] = [normalise(run.template), normalise(run.baseline)];
    for (const id of own) assert.deepEqual(actual[id], expected[id], id);
    assert.ok(!Object.keys(run.template.Resources).some((id) => id.startsWith('UntouchedLambdaFunctionAlias')));
  });
});

describe('http-api: integrations and Lambda authorizers go through the alias', () => {
  const run = packaged('http-api');

  test('integration, authorizer and both permissions point at the aliases', () => {
    assert.deepEqual(run.diff.changed.sort(), [
      'ApiLambdaPermissionHttpApi',
      'CustomAuthLambdaAuthorizerPermissionHttpApi',
      'HttpApiAuthorizerCustomAuth',
      'HttpApiIntegrationApi',
    ]);
    assert.deepEqual(props(run.template, 'HttpApiIntegrationApi').IntegrationUri, aliasRef('Api'));
    assert.deepEqual(props(run.template, 'ApiLambdaPermissionHttpApi').FunctionName, aliasRef('Api'));
    const authorizerUri = props(run.template, 'HttpApiAuthorizerCustomAuth').AuthorizerUri['Fn::Join'][1];
    assert.deepEqual(authorizerUri[5], aliasRef('Authorizer'));
    assert.deepEqual(authorizerUri[1], { Ref: 'AWS::Partition' });
    assert.deepEqual(
      props(run.template, 'CustomAuthLambdaAuthorizerPermissionHttpApi').FunctionName,
      aliasRef('Authorizer')
    );
  });

  test('the plain function keeps calling itself', () => {
    assert.deepEqual(props(run.template, 'HttpApiIntegrationPlain').IntegrationUri, {
      'Fn::GetAtt': ['PlainLambdaFunction', 'Arn'],
    });
  });
});

describe('rest-authorizer: a canaried REST authorizer is called through its alias', () => {
  const run = packaged('rest-authorizer');

  test('AuthorizerUri and the authorizer permission move together', () => {
    const uri = props(run.template, 'AuthApiGatewayAuthorizer').AuthorizerUri['Fn::Join'][1];
    assert.deepEqual(uri[5], aliasRef('Auth'));
    assert.deepEqual(props(run.template, 'AuthLambdaPermissionApiGateway').FunctionName, aliasRef('Auth'));
    assert.deepEqual(run.diff.changed.sort(), [
      'ApiGatewayMethodHelloGet',
      'AuthApiGatewayAuthorizer',
      'AuthLambdaPermissionApiGateway',
      'HelloLambdaPermissionApiGateway',
    ]);
  });
});

describe('websocket: integrations, authorizers and their permissions move together', () => {
  const run = packaged('websocket');

  test('the canaried route and authorizer call their aliases; the plain route does not', () => {
    assert.deepEqual(run.diff.changed.sort(), [
      'ConnectLambdaPermissionWebsockets',
      'ConnectWebsocketsIntegration',
      'WsAuthLambdaPermissionWebsockets',
      'WsAuthWebsocketsAuthorizer',
    ]);
    assert.deepEqual(props(run.template, 'ConnectWebsocketsIntegration').IntegrationUri['Fn::Join'][1][5], aliasRef('Connect'));
    assert.deepEqual(props(run.template, 'WsAuthWebsocketsAuthorizer').AuthorizerUri['Fn::Join'][1][5], aliasRef('WsAuth'));
    assert.deepEqual(props(run.template, 'ConnectLambdaPermissionWebsockets').FunctionName, aliasRef('Connect'));
    assert.deepEqual(props(run.template, 'WsAuthLambdaPermissionWebsockets').FunctionName, aliasRef('WsAuth'));
    assert.doesNotMatch(run.output, /warning/);
  });
});

describe('user-resources: a method written under resources: with Fn::Sub', () => {
  const run = packaged('user-resources');

  test('is routed through the alias with the Framework method, and the shared permission moves', () => {
    assert.deepEqual(run.diff.changed.sort(), [
      'ApiGatewayMethodHelloGet',
      'HelloLambdaPermissionApiGateway',
      'LegacyRootMethod',
    ]);
    assert.equal(
      props(run.template, 'LegacyRootMethod').Integration.Uri['Fn::Sub'],
      'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${HelloLambdaFunctionAliasLive}/invocations'
    );
  });
});

describe('hooks: traffic hooks with the permissions they need, and no more', () => {
  const run = packaged('hooks');
  const stackGroups = {
    'Fn::Sub': 'arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:${PchooksdevDeploymentApplication}/*',
  };

  test('the alias names both hooks and waits for their permission', () => {
    const alias = run.template.Resources.HelloLambdaFunctionAliasLive;
    assert.deepEqual(alias.UpdatePolicy.CodeDeployLambdaAliasUpdate.BeforeAllowTrafficHook, {
      Ref: 'PreHookLambdaFunction',
    });
    assert.deepEqual(alias.UpdatePolicy.CodeDeployLambdaAliasUpdate.AfterAllowTrafficHook, {
      Ref: 'PostHookLambdaFunction',
    });
    assert.deepEqual(alias.DependsOn, ['IamRoleLambdaExecutionCodeDeployHookPolicy']);
  });

  test('hooks sharing a role get one statement there, on the groups of this stack', () => {
    const policy = props(run.template, 'IamRoleLambdaExecutionCodeDeployHookPolicy');
    assert.equal(policy.PolicyName, 'pc-hooks-dev-codedeploy-hooks');
    assert.deepEqual(policy.Roles, [{ Ref: 'IamRoleLambdaExecution' }]);
    assert.deepEqual(policy.PolicyDocument.Statement, [
      { Effect: 'Allow', Action: ['codedeploy:PutLifecycleEventHookExecutionStatus'], Resource: stackGroups },
    ]);
    const policies = Object.keys(run.template.Resources).filter((id) => id.endsWith('CodeDeployHookPolicy'));
    assert.deepEqual(policies.sort(), ['IamRoleLambdaExecutionCodeDeployHookPolicy', 'SpecialRoleCodeDeployHookPolicy'], 'one per role');
    assert.deepEqual(run.template.Resources.WorkerLambdaFunctionAliasLive.DependsOn, ['IamRoleLambdaExecutionCodeDeployHookPolicy']);
  });

  test("a hook with its own `role:` gets the permission on that role", () => {
    const policy = props(run.template, 'SpecialRoleCodeDeployHookPolicy');
    assert.deepEqual(policy.Roles, [{ Ref: 'SpecialRole' }]);
    assert.deepEqual(policy.PolicyDocument.Statement[0].Resource, stackGroups);
    assert.deepEqual(run.template.Resources.SpecialLambdaFunctionAliasLive.DependsOn, ['SpecialRoleCodeDeployHookPolicy']);
  });

  test('the shared execution role itself is not modified', () => {
    assert.ok(!run.diff.changed.includes('IamRoleLambdaExecution'));
    assert.ok(!run.diff.changed.includes('SpecialRole'));
  });

  test('CodeDeploy may invoke exactly the three hooks, named by ARNs built from their names', () => {
    const role = props(run.template, 'CodeDeployServiceRole');
    assert.deepEqual(role.Policies[0].PolicyDocument.Statement, [
      {
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: ['preHook', 'postHook', 'specialHook'].map((fn) => ({
          'Fn::Sub': `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:pc-hooks-dev-${fn}`,
        })),
      },
    ]);
  });
});

describe('hooks-per-function-role: serverless-iam-roles-per-function', () => {
  const run = packaged('hooks-per-function-role');

  test("the hook's permission goes on the hook's own generated role", () => {
    const hookRole = run.template.Resources.PreHookLambdaFunction.Properties.Role;
    assert.deepEqual(hookRole, { 'Fn::GetAtt': ['PreHookIamRoleLambdaExecution', 'Arn'] });
    assert.deepEqual(props(run.template, 'PreHookIamRoleLambdaExecutionCodeDeployHookPolicy').Roles, [
      { Ref: 'PreHookIamRoleLambdaExecution' },
    ]);
  });
});

describe('alarms: by logical ID, by name and inline, mixed', () => {
  const run = packaged('alarms');

  test('every alarm is attached, in order', () => {
    assert.deepEqual(props(run.template, 'HelloLambdaFunctionDeploymentGroup').AlarmConfiguration, {
      Enabled: true,
      Alarms: [
        { Name: { Ref: 'HelloErrorsAlarm' } },
        { Name: 'existing-team-alarm' },
        { Name: { Ref: 'HelloThrottlesAlarm' } },
        { Name: { Ref: 'HelloAliasErrorsAlarm' } },
        { Name: { Ref: 'HelloAllThrottlesAlarm' } },
        { Name: { Ref: 'HelloSlowCanaryAlarm' } },
      ],
    });
  });

  test('scope alias counts the alias, scope function every call; p99 is an extended statistic', () => {
    assert.deepEqual(props(run.template, 'HelloAliasErrorsAlarm').Dimensions, [
      { Name: 'FunctionName', Value: { Ref: 'HelloLambdaFunction' } },
      { Name: 'Resource', Value: { 'Fn::Join': [':', [{ Ref: 'HelloLambdaFunction' }, 'Live']] } },
    ]);
    assert.deepEqual(props(run.template, 'HelloAllThrottlesAlarm').Dimensions, [
      { Name: 'FunctionName', Value: { Ref: 'HelloLambdaFunction' } },
    ]);
    const slow = props(run.template, 'HelloSlowCanaryAlarm');
    assert.equal(slow.ExtendedStatistic, 'p99');
    assert.equal(slow.Statistic, undefined);
    assert.deepEqual([slow.Period, slow.EvaluationPeriods, slow.DatapointsToAlarm], [60, 3, 2]);
    assert.equal(slow.Dimensions.length, 3, 'canary scope by default');
  });

  test("a group watches another function's inline alarm and a composite alarm, by name", () => {
    assert.deepEqual(props(run.template, 'WorldLambdaFunctionDeploymentGroup').AlarmConfiguration, {
      Enabled: true,
      Alarms: [
        { Name: { Ref: 'HelloSlowCanaryAlarm' } },
        { Name: { Ref: 'TeamCompositeAlarm' } },
        { Name: { Ref: 'WorldTypicalLatencyAlarm' } },
        { Name: { Ref: 'WorldFastShareAlarm' } },
      ],
    });
    assert.equal(run.template.Resources.HelloSlowCanaryAlarm.Type, 'AWS::CloudWatch::Alarm');
    assert.equal(run.template.Resources.TeamCompositeAlarm.Type, 'AWS::CloudWatch::CompositeAlarm');
  });

  test('extended statistics beyond percentiles are ExtendedStatistic as written', () => {
    assert.equal(props(run.template, 'WorldTypicalLatencyAlarm').ExtendedStatistic, 'TM(10%:90%)');
    assert.equal(props(run.template, 'WorldFastShareAlarm').ExtendedStatistic, 'PR(:800)');
    assert.equal(props(run.template, 'WorldFastShareAlarm').Statistic, undefined);
  });
});

describe('custom-defaults: custom.deploymentSettings under function keys', () => {
  const run = packaged('custom-defaults');

  test('`a` inherits everything, `b` overrides type and alias, `c` is untouched', () => {
    const a = props(run.template, 'ALambdaFunctionDeploymentGroup');
    assert.equal(a.DeploymentConfigName, 'CodeDeployDefault.LambdaCanary10Percent30Minutes');
    assert.deepEqual(a.AlarmConfiguration.Alarms, [{ Name: { Ref: 'SharedAlarm' } }]);
    assert.ok(run.template.Resources.ALambdaFunctionAliasLive);

    const b = props(run.template, 'BLambdaFunctionDeploymentGroup');
    assert.equal(b.DeploymentConfigName, 'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes');
    assert.deepEqual(b.AlarmConfiguration.Alarms, [{ Name: { Ref: 'SharedAlarm' } }]);
    assert.equal(run.template.Resources.BLambdaFunctionAliasProd.Properties.Name, 'Prod');

    assert.ok(!Object.keys(run.template.Resources).some((id) => id.startsWith('CLambdaFunctionDeployment')));
  });

  test('an alias name with `-` and `_` keeps its name; its logical ID spells them out', () => {
    const alias = run.template.Resources.DLambdaFunctionAliasblueDashgreenUnderscore2;
    assert.ok(alias, Object.keys(run.template.Resources).filter((id) => id.startsWith('D')).join(', '));
    assert.equal(alias.Properties.Name, 'blue-green_2');
  });
});

describe('stages: custom.deploymentSettings.stages', () => {
  // Both stages package at once; each test awaits its own.
  const [dev, prod] = ['dev', 'prod'].map((stage) => {
    const pending = packageAndDiff('stages', { stage });
    pending.catch(() => {}); // awaited (and reported) in its test
    return pending;
  });

  test('dev is not listed: nothing is added or changed (not even the inline alarm), and the log says why', async () => {
    const run = await dev;
    assert.deepEqual(run.diff, { added: [], removed: [], changed: [] });
    assert.match(run.output, /canary deployments are off for stage `dev`/);
  });

  test('prod is listed: the function deploys through CodeDeploy', async () => {
    const run = await prod;
    assert.ok(run.diff.added.includes('HelloLambdaFunctionAliasLive'));
    assert.ok(run.diff.added.includes('HelloCanaryCheckAlarm'));
    assert.equal(
      props(run.template, 'HelloLambdaFunctionDeploymentGroup').DeploymentGroupName,
      'pc-stages-prod-HelloLambdaFunctionDeploymentGroup'
    );
    assert.deepEqual(await lintErrors(run.templatePath), []);
  });
});

describe('existing-role: custom.deploymentSettings.codeDeployRole', () => {
  const run = packaged('existing-role');

  test('the given role is used and none is created', () => {
    assert.equal(
      props(run.template, 'HelloLambdaFunctionDeploymentGroup').ServiceRoleArn,
      'arn:aws:iam::123456789012:role/team-codedeploy'
    );
    assert.ok(!run.diff.added.includes('CodeDeployServiceRole'));
  });

  test('a hook and a trigger topic the given role may not reach are warnings with the fix', () => {
    const warnings = run.output.split('\n').filter((line) => line.includes('] custom.deploymentSettings.codeDeployRole:'));
    assert.deepEqual(warnings, [
      'Warning: serverless-canary: serverless.yml:18:21: warning[given-role-cannot-invoke-hook] custom.deploymentSettings.codeDeployRole: CodeDeploy invokes hook `preHook` with this role, and AWS\'s managed CodeDeploy policies allow `lambda:InvokeFunction` only on functions named `CodeDeployHook_*`: unless the role allows it otherwise, every deployment fails at this hook (allow `lambda:InvokeFunction` on `arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:pc-role-dev-preHook` in this role, or give the hook function a `name:` that starts with `CodeDeployHook_`)',
      'Warning: serverless-canary: serverless.yml:18:21: warning[given-role-cannot-publish] custom.deploymentSettings.codeDeployRole: CodeDeploy publishes this group\'s trigger notifications to `!Ref DeployTopic` with this role, and AWSCodeDeployRoleForLambdaLimited has no `sns:Publish`: unless the role allows it otherwise, they are never sent (allow `sns:Publish` on `!Ref DeployTopic` in this role)',
    ]);
  });

  test('a permissions boundary with no role to bound is a warning, not silence', () => {
    assert.match(
      run.output,
      /warning\[boundary-unused\] custom\.deploymentSettings\.codeDeployRolePermissionsBoundary: ignored: every deployment group uses a `codeDeployRole` you gave/
    );
  });
});

describe('permissions-boundary: the generated role honours it', () => {
  const run = packaged('permissions-boundary');

  test('boundary, hook invoke and trigger publish are all on the role', () => {
    const role = props(run.template, 'CodeDeployServiceRole');
    assert.equal(role.PermissionsBoundary, 'arn:aws:iam::123456789012:policy/boundary');
    assert.deepEqual(role.Policies[0].PolicyDocument.Statement, [
      {
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: [{ 'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:pc-boundary-dev-check' }],
      },
      { Effect: 'Allow', Action: ['sns:Publish'], Resource: [{ Ref: 'DeployTopic' }] },
    ]);
  });
});

describe('triggers: TriggerConfigurations as written', () => {
  const run = packaged('triggers');

  test('the group notifies the topic and the role may publish only there', () => {
    assert.deepEqual(props(run.template, 'HelloLambdaFunctionDeploymentGroup').TriggerConfigurations, [
      {
        TriggerName: 'deploy-events',
        TriggerTargetArn: { Ref: 'DeployTopic' },
        TriggerEvents: ['DeploymentSuccess', 'DeploymentFailure', 'DeploymentRollback'],
      },
    ]);
    const statements = props(run.template, 'CodeDeployServiceRole').Policies[0].PolicyDocument.Statement;
    assert.deepEqual(statements, [{ Effect: 'Allow', Action: ['sns:Publish'], Resource: [{ Ref: 'DeployTopic' }] }]);
  });
});

describe('all-types: the nine predefined deployment configurations', () => {
  const run = packaged('all-types');
  const expected = {
    t1: 'AllAtOnce',
    t2: 'Canary10Percent5Minutes',
    t3: 'Canary10Percent10Minutes',
    t4: 'Canary10Percent15Minutes',
    t5: 'Canary10Percent30Minutes',
    t6: 'Linear10PercentEvery1Minute',
    t7: 'Linear10PercentEvery2Minutes',
    t8: 'Linear10PercentEvery3Minutes',
    t9: 'Linear10PercentEvery10Minutes',
  };

  test('each function gets its CodeDeployDefault.Lambda* name', () => {
    for (const [fn, type] of Object.entries(expected)) {
      const id = `T${fn.slice(1)}LambdaFunctionDeploymentGroup`;
      assert.equal(props(run.template, id).DeploymentConfigName, `CodeDeployDefault.Lambda${type}`, fn);
    }
  });
});

describe('custom-types: custom, full-name and existing deployment configs', () => {
  const run = packaged('custom-types');
  const configOf = (fn) => props(run.template, `${fn}LambdaFunctionDeploymentGroup`).DeploymentConfigName;

  test('one DeploymentConfig per distinct custom type, exactly as CodeDeploy expects it', () => {
    const configs = run.diff.added.filter((id) => run.template.Resources[id].Type === 'AWS::CodeDeploy::DeploymentConfig');
    assert.deepEqual(configs.sort(), ['Canary5Percent20MinutesDeploymentConfig', 'Linear25PercentEvery3MinutesDeploymentConfig']);
    assert.deepEqual(props(run.template, 'Canary5Percent20MinutesDeploymentConfig'), {
      ComputePlatform: 'Lambda',
      TrafficRoutingConfig: { Type: 'TimeBasedCanary', TimeBasedCanary: { CanaryPercentage: 5, CanaryInterval: 20 } },
    });
    assert.deepEqual(props(run.template, 'Linear25PercentEvery3MinutesDeploymentConfig'), {
      ComputePlatform: 'Lambda',
      TrafficRoutingConfig: { Type: 'TimeBasedLinear', TimeBasedLinear: { LinearPercentage: 25, LinearInterval: 3 } },
    });
  });

  test('each group names its config', () => {
    assert.deepEqual(configOf('Checkout'), { Ref: 'Canary5Percent20MinutesDeploymentConfig' });
    assert.deepEqual(configOf('Payments'), { Ref: 'Canary5Percent20MinutesDeploymentConfig' });
    assert.deepEqual(configOf('Search'), { Ref: 'Linear25PercentEvery3MinutesDeploymentConfig' });
    assert.equal(configOf('Profile'), 'CodeDeployDefault.LambdaCanary10Percent5Minutes');
    assert.equal(configOf('Reports'), 'CodeDeployDefault.LambdaLinear10PercentEvery2Minutes');
    assert.equal(configOf('Billing'), 'team-canary-config');
  });
});

describe('rollback-error-rate: error-rate alarm, rollback events, alarms removed', () => {
  const run = packaged('rollback-error-rate');
  const group = (fn) => props(run.template, `${fn}LambdaFunctionDeploymentGroup`);

  test('the error rate is metric math over the canary only', () => {
    const alarm = props(run.template, 'OrdersErrorRateAlarm');
    assert.deepEqual(alarm.Metrics.map((m) => m.Id), ['errors', 'invocations', 'errorRate']);
    assert.equal(alarm.Metrics[2].Expression, 'IF(invocations > 0, 100 * errors / invocations, 0)');
    assert.deepEqual(
      alarm.Metrics[0].MetricStat.Metric.Dimensions.map((d) => d.Name),
      ['FunctionName', 'Resource', 'ExecutedVersion']
    );
    assert.deepEqual([alarm.Threshold, alarm.EvaluationPeriods, alarm.DatapointsToAlarm], [5, 2, 2]);
    for (const key of ['MetricName', 'Namespace', 'Statistic', 'Period', 'Dimensions']) {
      assert.equal(alarm[key], undefined, `${key} must not be set beside Metrics`);
    }
  });

  test('rollbackOn picks the events; [] turns automatic rollback off', () => {
    assert.deepEqual(group('Orders').AutoRollbackConfiguration, {
      Enabled: true,
      Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
    });
    assert.deepEqual(group('Manual').AutoRollbackConfiguration, { Enabled: false });
  });

  test('alarms: [] detaches alarms instead of leaving old ones attached', () => {
    assert.deepEqual(group('Quiet').AlarmConfiguration, { Enabled: false });
    assert.ok(!run.template.Resources.QuietErrorRateAlarm);
    assert.deepEqual(group('Manual').AlarmConfiguration.Alarms, [{ Name: { Ref: 'ManualErrorRateAlarm' } }]);
  });
});
