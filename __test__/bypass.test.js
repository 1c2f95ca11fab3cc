'use strict';

// Issue 20: `--canary-bypass`, packaged by the real Framework. For one deploy every canaried
// function shifts all at once and no alarm is consulted; the deployment groups say so in a tag;
// CloudFormation updates each group before the alias whose update starts the deployment; and
// the next package without the switch is the normal template again, with nothing to undo.

const { describe, test, before } = require('node:test');
const assert = require('node:assert/strict');

const { packageService } = require('./support/framework');
const { lintErrors } = require('./support/cfn-lint');
const { normalise } = require('./support/template-diff');

const FIXTURE = 'release-plan';
const GROUP = 'AWS::CodeDeploy::DeploymentGroup';
const ALIAS = 'AWS::Lambda::Alias';

const ofType = (template, type) => Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

/** Every logical ID a resource names: Ref, GetAtt (and the `${X}` of a Sub), and DependsOn. */
function named(resource, resources) {
  const found = new Set([].concat(resource.DependsOn || []));
  const visit = (value) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!value || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') found.add(inner);
      else if (key === 'Fn::GetAtt') found.add(Array.isArray(inner) ? inner[0] : String(inner).split('.')[0]);
      else if (key === 'Fn::Sub') for (const [, id] of JSON.stringify(inner).matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) found.add(id);
      visit(inner);
    }
  };
  visit({ Properties: resource.Properties, UpdatePolicy: resource.UpdatePolicy, Condition: resource.Condition });
  return [...found].filter((id) => id in resources);
}

/** Whether CloudFormation finishes `first` before it starts `then`: `then` depends on it, at any depth. */
function updatedBefore(resources, first, then) {
  const seen = new Set();
  const reach = (id) => {
    if (seen.has(id)) return false;
    seen.add(id);
    return named(resources[id], resources).some((dep) => dep === first || reach(dep));
  };
  return reach(then);
}

describe('sls package --canary-bypass', () => {
  let normal;
  let bypassed;
  let hooksSkipped;
  let again;
  before(async () => {
    // In order: the normal package, the bypassed one, and the next one without the switch.
    [normal, bypassed, hooksSkipped] = await Promise.all([
      packageService(FIXTURE),
      packageService(FIXTURE, { args: ['--canary-bypass'] }),
      packageService(FIXTURE, { args: ['--canary-bypass', '--canary-skip-hooks'] }),
    ]);
    again = await packageService(FIXTURE);
    for (const run of [normal, bypassed, hooksSkipped, again]) assert.equal(run.code, 0, run.output);
  });

  test('every group of this deploy shifts all at once, its alarms listed but off, and tagged', () => {
    const groups = ofType(bypassed.template, GROUP);
    assert.equal(groups.length, 5);
    for (const [id, group] of groups) {
      const before = normal.template.Resources[id].Properties;
      const properties = group.Properties;
      assert.equal(properties.DeploymentConfigName, 'CodeDeployDefault.LambdaAllAtOnce', id);
      assert.deepEqual(properties.AlarmConfiguration, { ...before.AlarmConfiguration, Enabled: false }, id);
      assert.deepEqual(properties.AutoRollbackConfiguration, { Enabled: true, Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST'] }, id);
      assert.deepEqual(properties.Tags, [{ Key: 'serverless-canary:bypass', Value: 'all at once, alarms off, hooks run' }], id);
    }
    // Before: the alarms were on, and each group shifted by its own type.
    const api = normal.template.Resources.ApiLambdaFunctionDeploymentGroup.Properties;
    assert.equal(api.DeploymentConfigName, 'CodeDeployDefault.LambdaCanary10Percent5Minutes');
    assert.deepEqual(api.AlarmConfiguration, { Enabled: true, Alarms: [{ Name: { Ref: 'ApiApiErrorsAlarm' } }] });
  });

  test('CloudFormation updates each group before the alias update that starts its deployment', () => {
    const resources = bypassed.template.Resources;
    const aliases = ofType(bypassed.template, ALIAS);
    assert.equal(aliases.length, 5);
    for (const [aliasId, alias] of aliases) {
      const groupId = alias.UpdatePolicy.CodeDeployLambdaAliasUpdate.DeploymentGroupName.Ref;
      assert.equal(resources[groupId].Type, GROUP, aliasId);
      assert.ok(updatedBefore(resources, groupId, aliasId), `${aliasId} waits for ${groupId}`);
      assert.ok(!updatedBefore(resources, aliasId, groupId), `${groupId} does not wait for ${aliasId}`);
    }
  });

  test('the hooks the user wrote still run; the traffic guard, a canary check, does not', () => {
    const policy = (template, id) => template.Resources[id].UpdatePolicy.CodeDeployLambdaAliasUpdate;
    assert.deepEqual(policy(bypassed.template, 'ApiLambdaFunctionAliasLive').BeforeAllowTrafficHook, { Ref: 'CheckerLambdaFunction' });
    assert.deepEqual(policy(bypassed.template, 'ReportLambdaFunctionAliasLive').BeforeAllowTrafficHook, { Ref: 'ServerlessCanarySmokeTestHook' });
    assert.deepEqual(policy(normal.template, 'BatchLambdaFunctionAliasLive').AfterAllowTrafficHook, { Ref: 'ServerlessCanaryTrafficGuardHook' });
    assert.equal(policy(bypassed.template, 'BatchLambdaFunctionAliasLive').AfterAllowTrafficHook, undefined);
  });

  test('--canary-skip-hooks leaves every hook out, and the tag says so', () => {
    for (const [id, alias] of ofType(hooksSkipped.template, ALIAS)) {
      const policy = alias.UpdatePolicy.CodeDeployLambdaAliasUpdate;
      assert.deepEqual(Object.keys(policy).sort(), ['ApplicationName', 'DeploymentGroupName'], id);
    }
    for (const [id, group] of ofType(hooksSkipped.template, GROUP)) {
      assert.deepEqual(group.Properties.Tags, [{ Key: 'serverless-canary:bypass', Value: 'all at once, alarms off, hooks skipped' }], id);
    }
  });

  test('only the groups and aliases change; the next package is the normal template again', () => {
    const before = normalise(normal.template);
    const during = normalise(bypassed.template);
    assert.deepEqual(Object.keys(during), Object.keys(before));
    const changed = Object.keys(before).filter((id) => JSON.stringify(before[id]) !== JSON.stringify(during[id]));
    // The groups, and the one alias whose after-traffic hook was the traffic guard.
    assert.deepEqual(changed, [
      'ApiLambdaFunctionDeploymentGroup',
      'WorkerLambdaFunctionDeploymentGroup',
      'BatchLambdaFunctionDeploymentGroup',
      'BatchLambdaFunctionAliasLive',
      'ReportLambdaFunctionDeploymentGroup',
      'LegacyLambdaFunctionDeploymentGroup',
    ]);
    assert.deepEqual(normalise(again.template), before);
    assert.deepEqual(again.template.Outputs, normal.template.Outputs);
  });

  test('packaging warns about each function by name', () => {
    const warnings = bypassed.output.split('\n').filter((line) => line.includes('warning[canary-bypassed]'));
    assert.deepEqual(
      warnings.map((line) => /functions\.(\w+)\.deploymentSettings: /.exec(line)[1]),
      ['api', 'worker', 'batch', 'report', 'legacy']
    );
    assert.match(warnings[0], /this deploy shifts all of `api`'s traffic at once instead of Canary10Percent5Minutes; its alarms \(ApiErrors\) are not consulted, so none rolls it back; its hooks run \(checker\)/);
    assert.match(warnings[2], /its traffic guard is off/);
    assert.doesNotMatch(normal.output, /canary-bypass/);
  });

  test('cfn-lint reports no errors in the bypassed templates', async () => {
    assert.deepEqual(await lintErrors(bypassed.templatePath), []);
    assert.deepEqual(await lintErrors(hooksSkipped.templatePath), []);
  });
});

test('--canary-skip-hooks alone is refused, with its code', async () => {
  const { code, output } = await packageService(FIXTURE, { args: ['--canary-skip-hooks'] });
  assert.equal(code, 1, output);
  assert.match(output, /error\[skip-hooks-without-bypass\] --canary-skip-hooks: hooks are only skipped in a deploy that bypasses the canary \(add --canary-bypass/);
});

for (const framework of ['osls', 'osls4']) {
  test(`${framework} takes the switch too`, async () => {
    const { code, output, template } = await packageService(FIXTURE, { framework, args: ['--canary-bypass'] });
    assert.equal(code, 0, output);
    assert.equal(template.Resources.ApiLambdaFunctionDeploymentGroup.Properties.DeploymentConfigName, 'CodeDeployDefault.LambdaAllAtOnce');
  });
}
