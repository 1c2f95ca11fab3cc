'use strict';

// `sls deploy function` on a canaried function would update $LATEST behind CodeDeploy's back.
// The real Framework runs the command offline; the plugin must decide before any AWS call.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { frameworkEnv, runFramework, copyFixture } = require('./support/framework');

// Tests in one file run one after another, so one copy of the service serves them all.
const service = copyFixture('basic-rest');

// Without credentials the Framework stops at its first AWS call, at once, instead of retrying
// an unreachable endpoint for ~20 s: reaching that error proves the plugin let the command on.
function deployFunction(args) {
  const env = frameworkEnv({ AWS_EC2_METADATA_DISABLED: 'true' });
  delete env.AWS_ACCESS_KEY_ID;
  delete env.AWS_SECRET_ACCESS_KEY;
  return runFramework(['deploy', 'function', ...args], { cwd: service, env });
}
const REACHED_AWS = /AWS provider credentials not found/;

test('refuses a canaried function, naming the alias it would bypass and both ways out', async () => {
  const { code, output } = await deployFunction(['-f', 'hello']);
  assert.equal(code, 1);
  assert.match(output, /serverless\.yml:\d+:\d+: error\[deploy-function-bypass\] functions\.hello: `deploy function` updates only \$LATEST of `hello`: traffic through its alias `Live` keeps the current version/);
  assert.match(output, /run `serverless deploy` to release it gradually, or add --force/);
  assert.doesNotMatch(output, REACHED_AWS, 'stopped before any AWS call');
});

test('lets a function without settings through, silently', async () => {
  const { output } = await deployFunction(['-f', 'untouched']);
  assert.match(output, REACHED_AWS);
  assert.doesNotMatch(output, /serverless-canary/);
});

test('with --force, warns and goes on', async () => {
  const { output } = await deployFunction(['-f', 'hello', '--force']);
  assert.match(output, /Warning: serverless-canary: serverless\.yml:\d+:\d+: warning\[deploy-function-forced\] functions\.hello: `deploy function` updates only \$LATEST of `hello`.*\(--force: \$LATEST is updated anyway\)/);
  assert.doesNotMatch(output, /add --force/, 'not refused');
  assert.match(output, REACHED_AWS);
});
