'use strict';

// Drop-in compatibility with the Flagsmith fork (@flagsmith/serverless-plugin-canary-deployments
// 2.0.0): a service written for it packages with serverless-canary in its place, and every
// resource the fork made keeps its logical ID and the properties CloudFormation would replace it
// for, so a live stack switches without replacing anything. Both plugins run from npm, side by side.

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');

const { packageService, copyFixture } = require('./support/framework');
const { lintErrors } = require('./support/cfn-lint');
const { pluginWarnings } = require('./support/routing');

const FORK = '@flagsmith/serverless-plugin-canary-deployments';
const withFork = (text) => text.replace(/^(\s*)- serverless-canary\s*$/m, `$1- '${FORK}'`);
// The Framework names its API deployment after the packaging time, so it differs between any
// two runs; it is not the plugins'.
const isApiDeployment = (id) => /^ApiGatewayDeployment\d+$/.test(id);

const byType = (template, type) =>
  Object.keys(template.Resources)
    .filter((id) => template.Resources[id].Type === type)
    .sort();

describe('switching from the Flagsmith fork', () => {
  const fork = copyFixture('compat-flagsmith', withFork);
  const runs = Promise.all([packageService('compat-flagsmith'), packageService(fork)]);

  test('both package the service, and this plugin warns about nothing', async () => {
    const [ours, theirs] = await runs;
    assert.equal(ours.code, 0, ours.output);
    assert.equal(theirs.code, 0, theirs.output);
    assert.deepEqual(pluginWarnings(ours.output), []);
    assert.deepEqual(await lintErrors(ours.templatePath), []);
  });

  test('every resource of the fork keeps its logical ID; the one added is the hook policy', async () => {
    const [ours, theirs] = await runs;
    const ids = (t) => Object.keys(t.Resources).filter((id) => !isApiDeployment(id));
    const kept = new Set(ids(ours.template));
    assert.deepEqual(ids(theirs.template).filter((id) => !kept.has(id)), [], 'nothing the fork made is deleted');
    const theirsIds = new Set(ids(theirs.template));
    // The fork writes the hook's permission into the execution role; this plugin puts it in a
    // policy of its own, so it never edits the role.
    assert.deepEqual(ids(ours.template).filter((id) => !theirsIds.has(id)), ['IamRoleLambdaExecutionCodeDeployHookPolicy']);
  });

  test('each canary alarm and the composite alarm are the fork\'s, property for property', async () => {
    const [ours, theirs] = await runs;
    const alarms = byType(theirs.template, 'AWS::CloudWatch::Alarm').filter((id) => id.includes('Canary'));
    assert.deepEqual(alarms, [
      'HelloLambdaFunctionCanaryDurationAlarm',
      'HelloLambdaFunctionCanaryErrorrate1Alarm',
      'HelloLambdaFunctionCanaryErrorsAlarm',
      'OrdersLambdaFunctionCanaryErrorsAlarm',
      'OrdersLambdaFunctionCanaryUnknownAlarm',
      'ProvLambdaFunctionCanaryErrorsAlarm',
    ]);
    for (const id of [...alarms, 'CanaryDeploymentCompositeAlarm']) {
      assert.deepEqual(ours.template.Resources[id], theirs.template.Resources[id], id);
    }
  });

  test("each deployment group watches the fork's alarm set, and each alias shifts the same way", async () => {
    const [ours, theirs] = await runs;
    const groups = byType(theirs.template, 'AWS::CodeDeploy::DeploymentGroup');
    assert.equal(groups.length, 4);
    for (const id of groups) {
      const [mine, its] = [ours, theirs].map((run) => run.template.Resources[id].Properties);
      for (const key of ['ApplicationName', 'DeploymentGroupName', 'AlarmConfiguration', 'AutoRollbackConfiguration']) {
        assert.deepEqual(mine[key], its[key], `${id}.${key}`);
      }
    }
    const aliases = byType(theirs.template, 'AWS::Lambda::Alias');
    assert.deepEqual(aliases, [
      'HelloLambdaFunctionAliasLive',
      'OrdersLambdaFunctionAliasLive',
      'PlainLambdaFunctionAliasLive',
      'ProvProvConcLambdaAlias',
    ]);
    for (const id of aliases) {
      const [mine, its] = [ours, theirs].map((run) => run.template.Resources[id]);
      assert.deepEqual(mine.Properties, its.Properties, id);
      assert.deepEqual(mine.UpdatePolicy, its.UpdatePolicy, id);
    }
  });

  test('the provisioned-concurrency alias stays where the fork made it, with what calls it', async () => {
    const [ours, theirs] = await runs;
    const resources = ours.template.Resources;
    assert.deepEqual(resources.ProvProvConcLambdaAlias.DependsOn, theirs.template.Resources.ProvProvConcLambdaAlias.DependsOn);
    assert.ok(!resources.ProvLambdaFunctionAliasLive, 'no second alias named Live');
    for (const id of ['ApiGatewayMethodProvGet', 'ProvLambdaPermissionApiGateway']) {
      assert.deepEqual(resources[id].Properties, theirs.template.Resources[id].Properties, id);
    }
  });
});

describe('where the fork and this plugin differ', () => {
  test('without `frameworkAlias`, a function with provisioned concurrency is warned about', async () => {
    const unsaid = copyFixture('compat-flagsmith', (text) => text.replace(/^ *frameworkAlias: reuse$/m, ''));
    const run = await packageService(unsaid);
    assert.equal(run.code, 0, run.output);
    const warnings = pluginWarnings(run.output);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0], /^warning\[framework-alias-ambiguous\] custom\.deploymentSettings\.frameworkAlias: `prov` has the Framework's alias `ProvProvConcLambdaAlias`/);
    // Until told, the stack is taken to be 0.8.0's or this plugin's.
    assert.ok(run.template.Resources.ProvLambdaFunctionAliasLive);
    assert.ok(!run.template.Resources.ProvProvConcLambdaAlias);
  });

  test('two entries of one name: the fork keeps the last silently, this plugin refuses both', async () => {
    const twice = (text) =>
      text.replace(/(\n {8}- preset: errors\n)(?= {8}- metrics:)/, '$1        - preset: errors\n          threshold: 2\n');
    const [ours, theirs] = await Promise.all([
      packageService(copyFixture('compat-flagsmith', twice)),
      packageService(copyFixture('compat-flagsmith', (text) => withFork(twice(text)))),
    ]);
    assert.equal(theirs.code, 0, theirs.output);
    assert.equal(theirs.template.Resources.OrdersLambdaFunctionCanaryErrorsAlarm.Properties.Threshold, 2, 'the second replaced the first');
    assert.notEqual(ours.code, 0);
    assert.match(
      ours.output,
      /error\[duplicate-canary-alarm\] functions\.orders\.deploymentSettings\.canaryAlarms\[1\]: makes the alarm named `errors` again, which would replace the one of `functions\.orders\.deploymentSettings\.canaryAlarms\[0\]` at serverless\.yml:\d+:\d+/
    );
  });
});
