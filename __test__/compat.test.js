'use strict';

// Drop-in compatibility: switching `plugins:` from serverless-plugin-canary-deployments 0.8.0 to
// serverless-canary keeps every Application, DeploymentGroup and Alias logical ID and name, so a
// live stack replaces nothing. And osls@3 packages the same resources as serverless@3.

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');

const { packageService, copyFixture } = require('./support/framework');
const { lintErrors } = require('./support/cfn-lint');

const KEPT_TYPES = ['AWS::CodeDeploy::Application', 'AWS::CodeDeploy::DeploymentGroup', 'AWS::Lambda::Alias'];

/** Logical ID -> the properties CloudFormation replaces the resource for when they change. */
function replacementKeys(template) {
  const kept = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (!KEPT_TYPES.includes(resource.Type)) continue;
    const p = resource.Properties;
    kept[id] = {
      Type: resource.Type,
      ComputePlatform: p.ComputePlatform,
      ApplicationName: p.ApplicationName,
      DeploymentGroupName: p.DeploymentGroupName,
      FunctionName: p.FunctionName,
      Name: p.Name,
    };
  }
  return kept;
}

describe('switching from serverless-plugin-canary-deployments', () => {
  const oldPlugin = copyFixture('compat', (text) =>
    text.replace(/^(\s*)- serverless-canary\s*$/m, '$1- serverless-plugin-canary-deployments')
  );
  const runs = Promise.all([packageService('compat'), packageService(oldPlugin)]);

  test('keeps every Application, DeploymentGroup and Alias logical ID and name', async () => {
    const [ours, theirs] = await runs;
    assert.equal(ours.code, 0, ours.output);
    assert.equal(theirs.code, 0, theirs.output);
    const expected = replacementKeys(theirs.template);
    assert.deepEqual(Object.keys(expected).sort(), [
      'ApiLambdaFunctionAliasLive',
      'ApiLambdaFunctionDeploymentGroup',
      'PccompatdevDeploymentApplication',
      'RestLambdaFunctionAliasLive',
      'RestLambdaFunctionDeploymentGroup',
    ]);
    assert.deepEqual(replacementKeys(ours.template), expected);
  });

  test('points each alias at the same version, with the same traffic settings', async () => {
    const [ours, theirs] = await runs;
    for (const id of ['RestLambdaFunctionAliasLive', 'ApiLambdaFunctionAliasLive']) {
      assert.deepEqual(ours.template.Resources[id].Properties, theirs.template.Resources[id].Properties, id);
    }
    const group = (t) => t.Resources.RestLambdaFunctionDeploymentGroup.Properties;
    // The old plugin spells the config as Fn::Sub; both resolve to the same name.
    assert.deepEqual(group(theirs.template).DeploymentConfigName, {
      'Fn::Sub': ['CodeDeployDefault.Lambda${ConfigName}', { ConfigName: 'Canary10Percent5Minutes' }],
    });
    assert.equal(group(ours.template).DeploymentConfigName, 'CodeDeployDefault.LambdaCanary10Percent5Minutes');
    assert.deepEqual(group(ours.template).AlarmConfiguration, group(theirs.template).AlarmConfiguration);
  });

  test('drops the old full-access managed policies', async () => {
    const [ours, theirs] = await runs;
    const managed = (t) => JSON.stringify(t.Resources.CodeDeployServiceRole.Properties.ManagedPolicyArns);
    assert.match(managed(theirs.template), /AWSLambda_FullAccess/);
    assert.doesNotMatch(managed(ours.template), /FullAccess/);
  });
});

describe('osls@3 packages what serverless@3 packages', () => {
  for (const fixture of ['example', 'hooks', 'http-api']) {
    test(fixture, async () => {
      const [v3, osls] = await Promise.all([
        packageService(fixture),
        packageService(fixture, { framework: 'osls' }),
      ]);
      assert.equal(osls.code, 0, osls.output);
      assert.doesNotMatch(osls.output, /unrecognized property/i);
      // The two Frameworks hash function config differently, so only the Version's ID differs.
      const ours = (template) => {
        const generated = Object.keys(template.Resources)
          .filter((id) => /DeploymentApplication$|DeploymentGroup$|Alias|CodeDeploy/.test(id))
          .map((id) => [id, template.Resources[id]]);
        return JSON.parse(JSON.stringify(Object.fromEntries(generated)).replace(/LambdaVersion\w+/g, 'LambdaVersion'));
      };
      const generated = ours(osls.template);
      assert.ok(Object.keys(generated).length >= 4, Object.keys(generated).join(', '));
      assert.deepEqual(generated, ours(v3.template));
      assert.deepEqual(await lintErrors(osls.templatePath), []);
    });
  }
});

describe('osls@3 function URLs: it grants lambda:InvokeFunction itself', () => {
  test('both URL permissions move to the alias and none is added', async () => {
    const osls = await packageService('events-url', { framework: 'osls' });
    assert.equal(osls.code, 0, osls.output);
    const resources = osls.template.Resources;
    for (const id of ['PublicLambdaPermissionFnUrl', 'PublicLambdaPermissionFn']) {
      assert.deepEqual(resources[id].Properties.FunctionName, { Ref: 'PublicLambdaFunctionAliasLive' }, id);
    }
    assert.equal(resources.PublicLambdaPermissionFn.Properties.InvokedViaFunctionUrl, true, "osls's own permission");
    assert.deepEqual(await lintErrors(osls.templatePath), []);
  });
});
