'use strict';

// serverless-plugin-split-stacks 1.15.0, the way services past CloudFormation's 500 resources
// deploy, listed before or after this plugin. Both act on the same lifecycle event; this plugin
// adds its resources on the event itself and split-stacks moves them on `after:`, so each
// function's alias, deployment group and alarms travel with it into its nested stack whatever
// the order of `plugins:`. Every stack written is held to the independent checker
// (support/stack-checker.js) and, for a sample, to cfn-lint. split-stacks asks CloudFormation
// which resources the stack already has while packaging: moto answers, as AWS does for a stack
// never deployed.

const fs = require('node:fs');
const path = require('node:path');
const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { packageService, runFramework, frameworkEnv } = require('./support/framework');
const { startMoto } = require('./support/moto-server');
const { largeService } = require('./support/large-service');
const { checkStacks } = require('./support/stack-checker');
const { lintErrors } = require('./support/cfn-lint');

let moto;
before(async () => {
  moto = await startMoto();
});
after(() => moto && moto.stop());

const packaged = (options, args) => packageService(largeService(options), { env: moto.env, args });
const order = (splitFirst) => (splitFirst ? 'split-stacks listed first' : 'serverless-canary listed first');

/** The nested stack (or `root`) that holds each logical ID. */
function whereIs(checked) {
  const at = new Map(Object.keys(checked.root.Resources).map((id) => [id, 'root']));
  for (const [stack, { template }] of Object.entries(checked.nested)) {
    for (const id of Object.keys(template.Resources)) at.set(id, stack);
  }
  return at;
}

describe('each function travels with its alias, group and checks, whichever plugin is listed first', () => {
  for (const mode of ['perFunction', 'perGroupFunction']) {
    for (const splitFirst of [false, true]) {
      test(`${mode}, ${order(splitFirst)}: 12 functions with chains, smoke tests and canary alarms`, async () => {
        const count = 12;
        const run = await packaged({ name: `split${mode.length}${splitFirst ? 'a' : 'b'}`, count, mode, splitFirst, maxConcurrent: 3, smokeTest: true, canaryAlarms: true, references: 'arn' });
        assert.equal(run.code, 0, run.output);
        assert.doesNotMatch(run.output, /too-many-resources|function-not-in-template|function-not-versioned/);
        const checked = checkStacks(run);
        assert.deepEqual(checked.problems, []);
        const at = whereIs(checked);
        for (let i = 0; i < count; i += 1) {
          const fn = `Fn${i}LambdaFunction`;
          assert.notEqual(at.get(fn), 'root', `${fn} was moved`);
          for (const own of [`${fn}AliasLive`, `${fn}DeploymentGroup`]) assert.equal(at.get(own), at.get(fn), `${own} beside ${fn}`);
        }
        // The stack's one composite alarm would make every nested stack wait for it and it for
        // them: each nested stack gets its own, beside the groups that watch it.
        const composites = Object.entries(checked.root.Resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::CompositeAlarm');
        assert.deepEqual(composites, [], 'no composite alarm in the root');
        for (let i = 1; i < count; i += 3) {
          const group = checked.nested[at.get(`Fn${i}LambdaFunctionDeploymentGroup`)].template.Resources[`Fn${i}LambdaFunctionDeploymentGroup`];
          const [watched] = group.Properties.AlarmConfiguration.Alarms.map((a) => a.Name.Ref);
          assert.match(watched, /^Fn\d+LambdaFunctionCanaryCompositeAlarm$/);
          assert.equal(at.get(watched), at.get(`Fn${i}LambdaFunction`), `${watched} beside the group that watches it`);
        }
        // The chains are there: aliases wait for another alias, in their stack or by their
        // stack waiting for the other's.
        const nestedWaits = Object.values(checked.nested).flatMap(({ template }) =>
          Object.entries(template.Resources).filter(([id, r]) => id.includes('AliasLive') && [].concat(r.DependsOn || []).some((d) => d.includes('AliasLive')))
        );
        const stackWaits = Object.entries(checked.root.Resources).filter(
          ([, r]) => r.Type === 'AWS::CloudFormation::Stack' && [].concat(r.DependsOn || []).some((d) => d.endsWith('NestedStack'))
        );
        assert.ok(nestedWaits.length + stackWaits.length > 0, 'maxConcurrentDeployments ordered something');
        if (mode === 'perGroupFunction' && splitFirst) {
          const files = [run.templatePath, ...Object.values(checked.nested).map((n) => n.file)];
          assert.deepEqual(await lintErrors(files), []);
        }
      });
    }
  }

  test('perFunction: the root is counted after the split, so a root of few resources is not warned about', async () => {
    const run = await packaged({ name: 'splitcount', count: 90, mode: 'perFunction', references: 'arn' });
    assert.equal(run.code, 0, run.output);
    const checked = checkStacks(run);
    assert.deepEqual(checked.problems, []);
    const before = 90 * 9;
    assert.ok(Object.keys(checked.root.Resources).length < 120, `${Object.keys(checked.root.Resources).length} in the root`);
    assert.ok(before > 500, 'the unsplit stack would be over the quota');
    assert.doesNotMatch(run.output, /too-many-resources/);
  });
});

describe('90 functions in 10 nested stacks with chains: none waits for another both ways', () => {
  for (const splitFirst of [false, true]) {
    test(`perGroupFunction, ${order(splitFirst)}, maxConcurrentDeployments 5 and smoke tests`, async () => {
      const run = await packaged({ name: `group90${splitFirst ? 'a' : 'b'}`, count: 90, mode: 'perGroupFunction', splitFirst, maxConcurrent: 5, smokeTest: true, references: 'arn' });
      assert.equal(run.code, 0, run.output);
      const checked = checkStacks(run);
      assert.equal(Object.keys(checked.nested).length, 10);
      assert.deepEqual(checked.problems, []);
    });
  }
});

describe('what the split cannot make deployable is refused, with the real cause', () => {
  test('perType: a function naming another alias waits for the Versions stack, which waits for it', async () => {
    const run = await packaged({ name: 'pertype', count: 6, mode: 'perType', references: 'ref' });
    assert.equal(run.code, 1, run.output);
    assert.match(
      run.output,
      /error\[dependency-cycle\] functions\.fn0: in the root stack, `Fn0LambdaFunction` -> `Fn1LambdaFunctionAliasLive` -> `VersionsNestedStack` -> `Fn0LambdaFunction`/
    );
    assert.match(run.output, /name functions and aliases by ARNs built from their names instead of `!Ref` or `!GetAtt`/);
  });

  test('200 functions: the Framework writes an output per function, over the root stack quota of 200', async () => {
    const run = await packaged({ name: 'group200', count: 200, mode: 'perGroupFunction', references: 'arn' });
    assert.equal(run.code, 1, run.output);
    const line = run.output.split('\n').find((l) => l.includes('stack-quota-exceeded'));
    assert.equal(
      line,
      'serverless-canary: serverless.yml:14:3: error[stack-quota-exceeded] custom.splitStacks: after serverless-plugin-split-stacks, the root stack would hold 202 outputs; CloudFormation allows at most 200 per stack, so the deploy would fail (the Framework writes one output per versioned function (`<Function>LambdaFunctionQualifiedArn`), and they stay in the root: split the service into services of fewer functions)'
    );
  });

  test('canary:validate reports what the split makes of the stack, as packaging does', async () => {
    const dir = largeService({ name: 'pertypevalidate', count: 6, mode: 'perType', references: 'ref' });
    const run = await runFramework(['canary:validate'], { cwd: dir, env: frameworkEnv(moto.env) });
    assert.equal(run.code, 1, run.output);
    assert.match(run.output, /error\[dependency-cycle\] functions\.fn0: in the root stack/);
    assert.match(run.output, /serverless-canary: 1 error, 0 warnings/);
    assert.ok(!fs.existsSync(path.join(dir, '.serverless')), 'validation leaves nothing behind');
  });
});
