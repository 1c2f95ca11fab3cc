'use strict';

// Issue 4: every event source of a canaried function goes through its alias. Each fixture is a
// family of events (and one has them all), packaged by the real Framework with and without the
// plugin; the oracle in support/routing.js then walks the whole template.

const { describe, test, before } = require('node:test');
const assert = require('node:assert/strict');

const { packagedOnce, aliasRef } = require('./support/template-diff');
const { canariedFunctions, routingProblems, referencesTo, pluginWarnings } = require('./support/routing');

/**
 * Packages `fixture` once, and checks what holds for every family: cfn-lint, no bare call of a
 * canaried function that was not warned about, invoker and permission on the same target,
 * untouched functions named exactly where the Framework named them, and exactly the warnings
 * listed (by code and the resource or event they name).
 */
function routed(fixture, { canaried, untouched = [], warnings = [], removed = [], qualified = [] }) {
  const run = packagedOnce(fixture);
  before(() => {
    run.warnings = pluginWarnings(run.output);
  });

  test(`canaries exactly ${canaried.join(', ')}`, () => {
    const found = canariedFunctions(run.template).map((fn) => fn.id);
    assert.deepEqual(found.sort(), canaried.map((name) => `${name}LambdaFunction`).sort());
  });

  test('no invoker calls a canaried function bare unless a warning names it; permissions follow', () => {
    const warned = (id) => run.warnings.some((line) => line.includes(`\`${id}\``));
    const problems = canariedFunctions(run.template).flatMap((fn) => routingProblems(run.template, fn, warned));
    assert.deepEqual(problems, []);
  });

  // Registered only when the fixture has such a function: a check with nothing to check is none.
  const checkUntouched = untouched.length ? test : test.skip;
  checkUntouched(`functions without settings (${untouched.join(', ') || 'none here'}) are named exactly where the Framework named them`, () => {
    for (const name of untouched) {
      const fn = { id: `${name}LambdaFunction`, name: run.template.Resources[`${name}LambdaFunction`].Properties.FunctionName };
      const expected = referencesTo(run.baseline, fn);
      assert.ok(Object.keys(expected).length > 0, `${name} has invokers to compare`);
      assert.deepEqual(referencesTo(run.template, fn), expected, name);
    }
  });

  test(`warns exactly: ${warnings.map(([code, what]) => `${code} ${what}`).join('; ') || 'nothing'}`, () => {
    assert.equal(run.warnings.length, warnings.length, run.warnings.join('\n'));
    for (const [code, what] of warnings) {
      assert.ok(
        run.warnings.some((line) => line.startsWith(`warning[${code}] `) && line.includes(what)),
        `a ${code} warning naming ${what} in:\n${run.warnings.join('\n')}`
      );
    }
  });

  test(`qualifiers the user chose are kept: ${qualified.join(', ') || 'the fixture has none'}`, () => {
    const chosen = Object.entries(run.baseline.Resources).filter(([, resource]) => {
      const qualifier = resource.Properties && resource.Properties.Qualifier;
      return qualifier !== undefined && !['$LATEST', 'provisioned', 'snapstart'].includes(qualifier);
    });
    // Exactly the resources the fixture is known to qualify: none missed, none checked by chance.
    assert.deepEqual(chosen.map(([id]) => id).sort(), [...qualified].sort());
    for (const [id, resource] of chosen) {
      assert.equal(run.template.Resources[id].Properties.Qualifier, resource.Properties.Qualifier, id);
    }
  });

  test(`removes ${removed.join(', ') || 'nothing'} from the Framework's template`, () => {
    assert.deepEqual(run.diff.removed.sort(), [...removed].sort());
  });
  return run;
}

describe('events-messaging: sns, sqs, streams, msk, kafka, activemq, rabbitmq', () => {
  const run = routed('events-messaging', { canaried: ['Consumer'], untouched: ['Plain'] });

  test('every event source mapping and subscription targets the alias', () => {
    const mappings = Object.values(run.template.Resources).filter(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && JSON.stringify(r).includes('Consumer')
    );
    assert.equal(mappings.length, 7, 'sqs, kinesis, dynamodb, msk, kafka, activemq, rabbitmq');
    for (const mapping of mappings) assert.deepEqual(mapping.Properties.FunctionName, aliasRef('Consumer'));
    const existing = run.template.Resources.ConsumerSnsSubscriptionExistingtopic.Properties;
    assert.deepEqual(existing.Endpoint, aliasRef('Consumer'));
    assert.deepEqual(existing.FilterPolicy, { kind: ['order'] }, 'the filter policy is kept');
  });

  test('a created topic with a filter: its subscription and the permission naming the topic by name move', () => {
    assert.deepEqual(run.template.Resources.ConsumerSnsSubscriptionAlertstopic.Properties.Endpoint, aliasRef('Consumer'));
    assert.deepEqual(run.template.Resources.ConsumerLambdaPermissionAlertstopicSNS.Properties.FunctionName, aliasRef('Consumer'));
  });

  test('a topic shared with an untouched function moves only the canaried subscription', () => {
    const subscriptions = run.template.Resources.SNSTopicOrderstopic.Properties.Subscription;
    assert.deepEqual(subscriptions.map((s) => s.Endpoint), [aliasRef('Consumer'), { 'Fn::GetAtt': ['PlainLambdaFunction', 'Arn'] }]);
  });
});

describe('events-storage: s3 buckets the stack creates, several events on one bucket, existing buckets', () => {
  const run = routed('events-storage', {
    canaried: ['Files'],
    untouched: ['Plain'],
    warnings: [['event-not-routed', '`existing-pc-storage`']],
  });

  test('both events of the canaried function on the shared bucket call the alias', () => {
    const configs = run.template.Resources.S3BucketUploadspcstorage.Properties.NotificationConfiguration.LambdaConfigurations;
    assert.deepEqual(configs.map((c) => c.Function), [
      aliasRef('Files'),
      aliasRef('Files'),
      { 'Fn::GetAtt': ['PlainLambdaFunction', 'Arn'] },
    ]);
  });

  test('the existing-bucket warning names the function, the event and the custom resource', () => {
    assert.ok(run.warnings.some((w) => w.startsWith('warning[event-not-routed] functions.files.events: the s3 (existing bucket) event') && w.includes('FilesCustomS31')));
  });
});

describe('events-schedule: schedule (rule and scheduler), eventBridge (default and custom bus), cloudwatchEvent, cloudwatchLog', () => {
  const run = routed('events-schedule', { canaried: ['Timers'], untouched: ['Plain'] });

  test('rules, the scheduler schedule and the log subscription target the alias', () => {
    const targets = Object.values(run.template.Resources)
      .filter((r) => r.Type === 'AWS::Events::Rule' && JSON.stringify(r).includes('Timers'))
      .map((r) => r.Properties.Targets[0].Arn);
    assert.equal(targets.length, 4, 'schedule, two eventBridge rules, cloudwatchEvent');
    for (const arn of targets) assert.deepEqual(arn, aliasRef('Timers'));
    const schedule = run.template.Resources.TimersSchedulerSchedule2.Properties.Target;
    assert.deepEqual(schedule.Arn, aliasRef('Timers'));
    for (const filter of ['TimersLogsSubscriptionFilterCloudWatchLog1', 'TimersLogsSubscriptionFilterCloudWatchLog2']) {
      assert.deepEqual(run.template.Resources[filter].Properties.DestinationArn, aliasRef('Timers'));
    }
    // Two log groups share one permission on their common prefix; it moves with both filters.
    assert.deepEqual(run.template.Resources.TimersLambdaPermissionLogsSubscriptionFilterCloudWatchLog.Properties.FunctionName, aliasRef('Timers'));
  });

  test("the scheduler's role may invoke the alias (the Framework grants function:<name>:*)", () => {
    const statements = run.template.Resources.IamRoleLambdaExecution.Properties.Policies[0].PolicyDocument.Statement;
    const resources = JSON.stringify(statements.filter((s) => s.Action.includes('lambda:InvokeFunction')));
    assert.match(resources, /function:pc-schedule-dev-timers:\*/);
  });
});

describe('events-devices: iot, iotFleetProvisioning, alexaSkill, alexaSmartHome', () => {
  const run = routed('events-devices', {
    canaried: ['Devices'],
    warnings: [
      ['caller-outside-stack', '`DevicesLambdaPermissionAlexaSkill1`'],
      ['caller-outside-stack', '`DevicesLambdaPermissionAlexaSmartHome1`'],
    ],
  });

  test('the topic rule and the provisioning hook call the alias', () => {
    const rule = run.template.Resources.DevicesIotTopicRule1.Properties.TopicRulePayload;
    assert.deepEqual(rule.Actions[0].Lambda.FunctionArn, aliasRef('Devices'));
    assert.deepEqual(run.template.Resources.DevicesIotProvisioningTemplate.Properties.PreProvisioningHook.TargetArn, aliasRef('Devices'));
  });

  test('Alexa permissions stay on the function: the skill is configured outside the stack', () => {
    for (const id of ['DevicesLambdaPermissionAlexaSkill1', 'DevicesLambdaPermissionAlexaSmartHome1']) {
      assert.deepEqual(run.template.Resources[id].Properties.FunctionName, { 'Fn::GetAtt': ['DevicesLambdaFunction', 'Arn'] });
    }
  });
});

describe('events-cognito: pools the stack creates and existing pools', () => {
  const run = routed('events-cognito', {
    canaried: ['Users'],
    untouched: ['Plain'],
    warnings: [['event-not-routed', '`ExistingPool`']],
  });

  test('the created pool calls the alias for its trigger and the function for the untouched one', () => {
    const config = run.template.Resources.CognitoUserPoolCreatedPool.Properties.LambdaConfig;
    assert.deepEqual(config.PreSignUp, aliasRef('Users'));
    assert.deepEqual(config.PostAuthentication, { 'Fn::GetAtt': ['PlainLambdaFunction', 'Arn'] });
  });
});

describe('events-alb: target groups and their registration permission', () => {
  const run = routed('events-alb', { canaried: ['Api'], untouched: ['Plain'] });

  test('the target is the alias, and both permissions, including registration, are on it', () => {
    const group = Object.entries(run.template.Resources).find(([id]) => id.startsWith('ApiAlbTargetGroup'))[1];
    assert.deepEqual(group.Properties.Targets, [{ Id: aliasRef('Api') }]);
    assert.deepEqual(run.template.Resources.ApiLambdaPermissionRegisterTarget.Properties.FunctionName, aliasRef('Api'));
    assert.deepEqual(run.template.Resources.ApiLambdaPermissionAlb.Properties.FunctionName, aliasRef('Api'));
  });
});

describe('events-url: function URLs (public and IAM) and destinations', () => {
  const run = routed('events-url', {
    canaried: ['Public', 'Private'],
    untouched: ['Plain'],
    warnings: [['url-callers-need-alias', '`PrivateLambdaFunctionUrl`']],
  });

  test('the alias serves each URL, created after it; the public permission is on the alias', () => {
    for (const name of ['Public', 'Private']) {
      const url = run.template.Resources[`${name}LambdaFunctionUrl`];
      assert.equal(url.Properties.Qualifier, 'Live');
      assert.deepEqual(url.DependsOn, [`${name}LambdaFunctionAliasLive`]);
    }
    assert.deepEqual(run.template.Resources.PublicLambdaPermissionFnUrl.Properties.FunctionName, aliasRef('Public'));
    assert.ok(!run.template.Resources.PrivateLambdaPermissionFnUrl, 'an IAM URL has no public permission');
  });

  test('the public URL is also granted lambda:InvokeFunction, which a new URL needs', () => {
    assert.deepEqual(run.diff.added.filter((id) => id.includes('Permission')), ['PublicLambdaPermissionFn']);
    assert.deepEqual(run.template.Resources.PublicLambdaPermissionFn.Properties, {
      FunctionName: aliasRef('Public'),
      Action: 'lambda:InvokeFunction',
      Principal: '*',
      InvokedViaFunctionUrl: true,
    });
  });

  test('destinations and retry settings apply to invocations of the alias', () => {
    for (const name of ['Public', 'Private']) {
      assert.equal(run.template.Resources[`${name}LambdaEvConf`].Properties.Qualifier, 'Live');
    }
    assert.equal(run.template.Resources.PlainLambdaEvConf.Properties.Qualifier, '$LATEST');
  });
});

describe('events-provisioned: provisioned concurrency and SnapStart', () => {
  const run = routed('events-provisioned', {
    canaried: ['Warm', 'Snap'],
    untouched: ['PlainWarm'],
    removed: ['WarmProvConcLambdaAlias', 'SnapSnapStartLambdaAlias'],
    warnings: [['names-removed-alias', '`WarmNamedPolicy`']],
  });

  test('provisioned concurrency sits on the canary alias', () => {
    assert.deepEqual(run.template.Resources.WarmLambdaFunctionAliasLive.Properties.ProvisionedConcurrencyConfig, {
      ProvisionedConcurrentExecutions: 2,
    });
    assert.ok(run.template.Resources.PlainWarmProvConcLambdaAlias, "an untouched function keeps the Framework's alias");
  });

  test("nothing names the Framework's removed aliases any more, but the policy warned about", () => {
    const text = JSON.stringify(run.template);
    for (const gone of ['WarmProvConcLambdaAlias', 'SnapSnapStartLambdaAlias']) assert.ok(!text.includes(`"${gone}"`), gone);
    assert.doesNotMatch(text, /"Fn::GetAtt":\["(Warm|Snap)LambdaFunction","Arn"\]\},"(provisioned|snapstart)"/);
    const rewritten = JSON.stringify({ ...run.template.Resources, WarmNamedPolicy: undefined });
    assert.doesNotMatch(rewritten, /\$\{(Warm|Snap)LambdaFunction(\.Arn)?\}:(provisioned|snapstart)/);
    assert.doesNotMatch(rewritten, /"Arn"\]\},":(provisioned|snapstart)"/);
  });

  test('a policy that allowed the Framework alias allows the canary alias, and still nothing else', () => {
    const [statement] = run.template.Resources.WarmInvokePolicy.Properties.PolicyDocument.Statement;
    assert.deepEqual(statement.Resource, [aliasRef('Warm'), { 'Fn::Sub': '${WarmLambdaFunctionAliasLive}' }, aliasRef('Warm')]);
    assert.ok(run.warnings.some((w) => w.includes('`WarmNamedPolicy`') && w.includes('Properties.PolicyDocument.Statement[0].Resource')));
  });

  test("the REST integration calls the alias ARN alone, without the Framework alias's name after it", () => {
    const parts = run.template.Resources.ApiGatewayMethodWarmGet.Properties.Integration.Uri['Fn::Join'][1];
    assert.deepEqual(parts.slice(-2), [aliasRef('Warm'), '/invocations']);
  });

  test('the URL and async config use the canary alias instead of `provisioned`', () => {
    assert.equal(run.template.Resources.WarmLambdaFunctionUrl.Properties.Qualifier, 'Live');
    assert.deepEqual(run.template.Resources.WarmLambdaFunctionUrl.Properties.TargetFunctionArn, { 'Fn::GetAtt': ['WarmLambdaFunction', 'Arn'] });
    assert.equal(run.template.Resources.WarmLambdaEvConf.Properties.Qualifier, 'Live');
  });
});

describe('events-user-resources: resources written under resources:', () => {
  const run = routed('events-user-resources', {
    canaried: ['Worker'],
    untouched: [],
    qualified: ['BetaInvokeConfig'],
    warnings: [
      ['caller-outside-stack', '`PartnerPermission`'],
      ['caller-outside-stack', '`PartnerApiPermission`'],
      ['caller-outside-stack', '`AnyTopicPermission`'],
      ['caller-outside-stack', '`CentralJobsPermission`'],
      ['role-may-deny-alias', '`Workflow`'],
      ['reference-not-routed', '`DispatcherLambdaFunction`'],
      ['reference-not-routed', '`ReporterLambdaFunction`'],
      ['role-may-deny-alias', '`HourlySchedule`'],
    ],
  });

  test('a subscription, a rule with Fn::Sub and their permissions move like the Framework ones', () => {
    assert.deepEqual(run.template.Resources.JobsSubscription.Properties.Endpoint, aliasRef('Worker'));
    assert.deepEqual(run.template.Resources.JobsPermission.Properties.FunctionName, aliasRef('Worker'));
    assert.deepEqual(run.template.Resources.NightlyRule.Properties.Targets[0].Arn, { 'Fn::Sub': '${WorkerLambdaFunctionAliasLive}' });
    assert.deepEqual(run.template.Resources.NightlyPermission.Properties.FunctionName, aliasRef('Worker'));
  });

  test('an alarm action and its permission move; the alarm dimensions keep naming the function', () => {
    const alarm = run.template.Resources.WorkerErrors.Properties;
    assert.deepEqual(alarm.AlarmActions, [aliasRef('Worker')]);
    assert.deepEqual(alarm.Dimensions[0].Value, { Ref: 'WorkerLambdaFunction' });
    assert.deepEqual(run.template.Resources.WorkerErrorsPermission.Properties.FunctionName, aliasRef('Worker'));
  });

  test('a schedule with its own role calls the alias, and the role is named for the user to widen', () => {
    assert.deepEqual(run.template.Resources.HourlySchedule.Properties.Target.Arn, aliasRef('Worker'));
    assert.ok(!run.diff.changed.includes('HourlyRole'), 'the plugin never edits a role');
  });

  test('a permission narrowed to another account stays, though the function has API Gateway invokers', () => {
    assert.deepEqual(run.template.Resources.ApiGatewayMethodWorkGet.Properties.Integration.Uri['Fn::Join'][1][5], aliasRef('Worker'));
    assert.ok(!run.diff.changed.includes('PartnerApiPermission'));
  });

  test('a service-wide permission stays when every invoker in the stack has its own', () => {
    assert.ok(!run.diff.changed.includes('AnyTopicPermission'));
    assert.ok(run.warnings.some((w) => w.includes('`AnyTopicPermission`') && w.includes('stays on the bare function')));
  });

  test('a permission for a topic of the same name in another account stays', () => {
    assert.ok(!run.diff.changed.includes('CentralJobsPermission'));
  });

  test('permissions naming this account, a rule by name, a rule behind a condition or a log group by ARN move with their invoker', () => {
    const resources = run.template.Resources;
    assert.deepEqual(resources.ReportsBucket.Properties.NotificationConfiguration.LambdaConfigurations[0].Function, aliasRef('Worker'));
    assert.deepEqual(resources.SensorRule.Properties.TopicRulePayload.Actions[0].Lambda.FunctionArn, aliasRef('Worker'));
    assert.deepEqual(resources.RegionalRule.Properties.Targets[0]['Fn::If'][1].Arn, aliasRef('Worker'));
    assert.deepEqual(resources.AppLogsFilter.Properties.DestinationArn, aliasRef('Worker'));
    for (const id of ['ReportsPermission', 'SensorPermission', 'RegionalPermission', 'AppLogsPermission']) {
      assert.deepEqual(resources[id].Properties.FunctionName, aliasRef('Worker'), id);
    }
  });

  test('what the user already qualified is left alone; what cannot be routed is named with its property', () => {
    assert.ok(!run.diff.changed.includes('BetaInvokeConfig'));
    assert.ok(!run.diff.changed.includes('PinnedRule'));
    assert.ok(!run.diff.changed.includes('PartnerPermission'));
    assert.deepEqual(run.template.Resources.Workflow.Properties.DefinitionString, {
      'Fn::Sub': '{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"${WorkerLambdaFunctionAliasLive}","End":true}}}',
    });
    assert.ok(run.warnings.some((w) => w.includes('`DispatcherLambdaFunction`') && w.includes('Properties.Environment.Variables.WORKER')));
  });

  test('a name written out is a call in an environment variable, not in a description or a tag', () => {
    assert.ok(run.warnings.some((w) => w.includes('`ReporterLambdaFunction`') && w.includes('Properties.Environment.Variables.WORKER_NAME')));
    assert.ok(!run.warnings.some((w) => w.includes('`WorkerKey`')), run.warnings.join('\n'));
    assert.ok(!run.diff.changed.includes('WorkerKey'));
  });
});

describe('events-step-functions: state machines of serverless-step-functions, and one written by hand', () => {
  const run = routed('events-step-functions', {
    canaried: ['Charge', 'Refund'],
    untouched: ['Audit'],
    warnings: [['role-may-deny-alias', '`RefundsStepFunctionsStateMachine`']],
  });

  test('both task styles call the alias; the function without settings keeps its ARN; the text stays', () => {
    const [text, variables] = run.template.Resources.OrdersStepFunctionsStateMachine.Properties.DefinitionString['Fn::Sub'];
    const [baselineText, baselineVariables] = run.baseline.Resources.OrdersStepFunctionsStateMachine.Properties.DefinitionString['Fn::Sub'];
    assert.equal(text, baselineText);
    assert.deepEqual(Object.keys(variables), Object.keys(baselineVariables));
    assert.deepEqual(Object.values(variables), [aliasRef('Charge'), aliasRef('Refund'), { 'Fn::GetAtt': ['AuditLambdaFunction', 'Arn'] }]);
  });

  test('a machine with a role of its own calls the alias too, and the role is named for the user to widen', () => {
    const [, variables] = run.template.Resources.RefundsStepFunctionsStateMachine.Properties.DefinitionString['Fn::Sub'];
    assert.deepEqual(Object.values(variables), [aliasRef('Refund')]);
  });

  test('Definition with DefinitionSubstitutions calls the alias; its role allows `${arn}:*`, so no warning', () => {
    const nightly = run.template.Resources.Nightly.Properties;
    assert.deepEqual(nightly.DefinitionSubstitutions, { ChargeArn: aliasRef('Charge') });
    assert.deepEqual(nightly.Definition, run.baseline.Resources.Nightly.Properties.Definition);
  });

  test('the plugin never edits a role', () => {
    for (const role of ['OrdersStepFunctionsStateMachineRole', 'RefundsRole', 'NightlyRole']) {
      assert.ok(role in run.template.Resources, role);
      assert.ok(!run.diff.changed.includes(role), role);
    }
  });
});

describe('events-appsync: Lambda data sources of serverless-appsync-plugin', () => {
  const run = routed('events-appsync', {
    canaried: ['Orders'],
    untouched: ['Catalog'],
    warnings: [['role-may-deny-alias', '`GraphQlDsordersReadOnly`']],
  });

  test('a data source of a canaried function calls the alias; the others keep their ARN', () => {
    const resources = run.template.Resources;
    assert.deepEqual(resources.GraphQlDsorders.Properties.LambdaConfig.LambdaFunctionArn, aliasRef('Orders'));
    assert.deepEqual(resources.GraphQlDsordersReadOnly.Properties.LambdaConfig.LambdaFunctionArn, aliasRef('Orders'));
    assert.deepEqual(resources.GraphQlDscatalog.Properties.LambdaConfig.LambdaFunctionArn, { 'Fn::GetAtt': ['CatalogLambdaFunction', 'Arn'] });
  });

  test('the plugin never edits a role', () => {
    for (const role of ['GraphQlDsordersRole', 'GraphQlDscatalogRole', 'OrdersReaderRole']) {
      assert.ok(role in run.template.Resources, role);
      assert.ok(!run.diff.changed.includes(role), role);
    }
  });
});

describe('every-event: every event type on canaried and untouched functions', () => {
  routed('every-event', {
    canaried: ['Authorizer', 'Api', 'Messages', 'Files', 'Timers', 'Devices', 'Users', 'Snap'],
    untouched: ['Plain'],
    removed: ['MessagesProvConcLambdaAlias', 'SnapSnapStartLambdaAlias'],
    warnings: [
      ['event-not-routed', '`existing-bucket-pc-every`'],
      ['event-not-routed', '`ExistingPool`'],
      ['caller-outside-stack', '`DevicesLambdaPermissionAlexaSkill1`'],
      ['caller-outside-stack', '`DevicesLambdaPermissionAlexaSmartHome1`'],
    ],
  });
});
