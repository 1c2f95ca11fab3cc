'use strict';

// Issue 20: `sls canary:plan` says what the next deploy will do, from the packaging
// `canary:validate` runs: per canaried function its shift and how long it takes (computed from
// its type), its hooks, its alarms and what they watch, what now calls it through the alias
// and what was warned; the release's length; with --aws, first releases and alarms firing.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const fs = require('node:fs');
const path = require('node:path');

const { REPO, runFramework, copyFixture, frameworkEnv } = require('./support/framework');
const { startMoto, putAlarm, createStack } = require('./support/moto-server');
const { startScriptedCodeDeploy } = require('./support/scripted-codedeploy');

const plan = (fixture, args = [], env = {}) => runFramework(['canary:plan', ...args], { cwd: copyFixture(fixture), env: frameworkEnv(env) });
const lines = (stdout) => stdout.trimEnd().split('\n');

/** The release-plan fixture's plan, without AWS; `aws` adds the AWS line(s) of each function. */
function releasePlanLines(aws = {}) {
  const functions = [
    [
      'api: Canary10Percent5Minutes through alias `Live`: 10% for 5 minutes, then the rest (5 minutes)',
      '  hooks: beforeAllowTraffic function checker',
      '  alarms: ApiErrors (Errors of old and new version through the alias)',
      '  through the alias: ApiGatewayMethodOrdersPost (AWS::ApiGateway::Method)',
    ],
    [
      // 10, 20, ... 100: ten steps, nine waits of 2 minutes.
      'worker: Linear10PercentEvery2Minutes through alias `Live`: 10% more every 2 minutes, in 10 steps (18 minutes)',
      '  hooks: none',
      '  alarms: team-worker-errors (outside the stack)',
      '  through the alias: WorkerEventSourceMappingSQSOrders (AWS::Lambda::EventSourceMapping)',
    ],
    [
      // 20, 40, 60, 80, 100: five steps, four waits of 3 minutes.
      'batch: Linear20PercentEvery3Minutes through alias `Live`: 20% more every 3 minutes, in 5 steps (12 minutes)',
      '  hooks: afterAllowTraffic traffic guard, at least 50 invocations of the new version',
      '  alarms: none',
      '  through the alias: BatchEventsRuleSchedule1 (AWS::Events::Rule)',
    ],
    [
      'report: AllAtOnce through alias `Live`: all at once',
      '  hooks: beforeAllowTraffic smoke test ping',
      '  alarms: none',
      '  through the alias: none',
    ],
    [
      'legacy: team-config through alias `Live`: as deployment config `team-config` says (outside the stack)',
      '  hooks: none',
      '  alarms: none',
      '  through the alias: none',
    ],
  ];
  return [
    'release-plan (dev): 5 canaried functions; traffic shifts for 18 minutes in all (longest: worker), plus what the configs outside the stack take (legacy)',
    ...functions.flatMap((described) => {
      const name = described[0].split(':')[0];
      return [...described, ...(aws[name] || []), '  warned: nothing'];
    }),
  ];
}

describe('sls canary:plan', () => {
  test('the example: its one function, line by line, as the README shows it', async () => {
    const { code, stdout, output } = await plan('example');
    assert.equal(code, 0, output);
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    assert.ok(readme.includes(['$ sls canary:plan', ...lines(stdout), '```'].join('\n')), 'README shows this output');
    assert.deepEqual(lines(stdout), [
      'canary-example (dev): 1 canaried function; traffic shifts for 5 minutes in all (longest: hello)',
      'hello: Canary10Percent5Minutes through alias `Live`: 10% for 5 minutes, then the rest (5 minutes)',
      '  hooks: none',
      '  alarms: CanaryCheck (Errors of the new version only)',
      '  through the alias: ApiGatewayMethodHelloGet (AWS::ApiGateway::Method)',
      '  warned: nothing',
    ]);
  });

  test('one function of each type family, line by line', async () => {
    const { code, stdout, output } = await plan('release-plan');
    assert.equal(code, 0, output);
    assert.deepEqual(lines(stdout), releasePlanLines());
    const operations = fs.readFileSync(path.join(REPO, 'docs', 'operations.md'), 'utf8');
    assert.ok(operations.includes(['$ sls canary:plan', ...lines(stdout), '```'].join('\n')), 'docs/operations.md shows this output');
  });

  test('--json for CI: the same plan, with minutes per function and for the release', async () => {
    const { code, stdout, output } = await plan('release-plan', ['--json']);
    assert.equal(code, 0, output);
    const answer = JSON.parse(stdout);
    assert.equal(answer.errors, 0);
    // The keys, in order, each listed in docs/operations.md: a new one is documented there too.
    const releaseKeys = ['service', 'stage', 'functions', 'minutes', 'longest', 'chains', 'unknownLength', 'bypass', 'warnings', 'askedAws'];
    assert.deepEqual(Object.keys(answer), ['errors', 'awsErrors', 'problems', ...releaseKeys]);
    const functionKeys = ['function', 'type', 'alias', 'shift', 'minutes', 'hooks', 'alarms', 'routes', 'warnings', 'firstRelease', 'firing'];
    for (const f of answer.functions) assert.deepEqual(Object.keys(f), functionKeys, f.function);
    assert.deepEqual(Object.keys(answer.functions[0].hooks[0]), ['when', 'runs', 'active']);
    assert.deepEqual(Object.keys(answer.functions[0].routes[0]), ['logicalId', 'type']);
    const operations = fs.readFileSync(path.join(REPO, 'docs', 'operations.md'), 'utf8');
    const documented = operations.slice(operations.indexOf('`--json` prints the plan as one JSON object'), operations.indexOf('`--canary-bypass` plans a bypassed deploy'));
    const undocumented = [...Object.keys(answer), ...functionKeys].filter((key) => !documented.includes(`\`${key}\``));
    assert.deepEqual(undocumented, []);
    assert.deepEqual(
      answer.functions.map((f) => [f.function, f.type, f.minutes]),
      [
        ['api', 'Canary10Percent5Minutes', 5],
        ['worker', 'Linear10PercentEvery2Minutes', 18],
        ['batch', 'Linear20PercentEvery3Minutes', 12],
        ['report', 'AllAtOnce', 0],
        ['legacy', 'team-config', null],
      ]
    );
    assert.deepEqual([answer.minutes, answer.longest, answer.unknownLength, answer.chains], [18, ['worker'], ['legacy'], null]);
    assert.deepEqual(answer.functions[0].alarms, [{ name: 'ApiErrors', watches: 'Errors of old and new version through the alias', consulted: true }]);
  });

  test('capped deployments: the release lasts its longest chain', async () => {
    // fixtures/many-functions: 30 functions, maxConcurrentDeployments 10 (see concurrency.test.js).
    const { code, stdout, output } = await plan('many-functions', ['--json']);
    assert.equal(code, 0, output);
    const answer = JSON.parse(stdout);
    assert.equal(answer.functions.length, 30);
    assert.deepEqual([answer.minutes, answer.chains], [39, 10]);
    const { stdout: text } = await plan('many-functions');
    assert.match(lines(text)[0], /^pc-many \(dev\): 30 canaried functions; traffic shifts for 39 minutes in all, in 10 chains of one deployment at a time \(maxConcurrentDeployments; longest chain: f04, f21\)$/);
  });

  test('--canary-bypass: every function at once, the alarms not consulted, the guard off', async () => {
    const { code, stdout, output } = await plan('release-plan', ['--canary-bypass']);
    assert.equal(code, 0, output);
    const text = lines(stdout);
    assert.deepEqual(text.slice(0, 2), [
      'release-plan (dev): 5 canaried functions; traffic shifts all at once',
      '--canary-bypass: every function shifts all at once in this deploy; no alarm is consulted; hooks run',
    ]);
    assert.equal(text[2], 'api: Canary10Percent5Minutes through alias `Live`: all at once (--canary-bypass)');
    assert.ok(text.includes('  alarms: ApiErrors (Errors of old and new version through the alias, not consulted in this deploy)'), stdout);
    assert.ok(text.includes('  hooks: afterAllowTraffic traffic guard, at least 50 invocations of the new version, skipped in this deploy'), stdout);
  });

  test('broken settings: the errors, and no plan', async () => {
    const dir = copyFixture('example', (text) => text.replace('type: Canary10Percent5Minutes', 'type: Canary10Percent5Minute5'));
    const { code, stdout, output } = await runFramework(['canary:plan'], { cwd: dir, env: frameworkEnv() });
    assert.equal(code, 1, output);
    assert.match(output, /error\[unknown-deployment-type\] functions\.hello\.deploymentSettings\.type/);
    assert.doesNotMatch(stdout, /canaried function/);
  });

  test('broken settings with --json: the errors as canary:validate --json gives them, and exit 1', async () => {
    const broken = (text) => text.replace('type: Canary10Percent5Minutes', 'type: Canary10Percent5Minute5');
    const [planned, validated] = await Promise.all(
      [['canary:plan', '--json'], ['canary:validate', '--json']].map((args) => runFramework(args, { cwd: copyFixture('example', broken), env: frameworkEnv() }))
    );
    assert.equal(planned.code, 1, planned.output);
    const answer = JSON.parse(planned.stdout);
    assert.equal(answer.errors, 1);
    assert.deepEqual(answer.functions, []);
    const [problem] = answer.problems;
    assert.deepEqual(
      [problem.severity, problem.code, problem.path, problem.file],
      ['error', 'unknown-deployment-type', 'functions.hello.deploymentSettings.type', 'serverless.yml']
    );
    assert.match(problem.rendered, /^serverless\.yml:\d+:\d+: error\[unknown-deployment-type\] /);
    assert.deepEqual(answer.problems, JSON.parse(validated.stdout).diagnostics);
  });
});

describe('sls canary:plan --aws against loopback AWS', () => {
  let moto;
  let codedeploy;
  before(async () => {
    [moto, codedeploy] = await Promise.all([startMoto(), startScriptedCodeDeploy({ configs: ['team-config'] })]);
    // Deployed before: api's alias and its alarm, which fires now; the others are new.
    await createStack(moto.endpoint, 'release-plan-dev', {
      ApiLambdaFunctionAliasLive: 'release-plan-dev-api-live',
      ApiApiErrorsAlarm: 'release-plan-dev-ApiErrors',
    });
    await putAlarm(moto.endpoint, 'release-plan-dev-ApiErrors', 'ALARM');
    await putAlarm(moto.endpoint, 'team-worker-errors', 'OK');
  });
  after(() => {
    moto.stop();
    codedeploy.stop();
  });

  test('first releases, and the alarm firing now, each on its function', async () => {
    const { code, stdout, output } = await plan('release-plan', ['--aws'], { ...moto.env, AWS_ENDPOINT_URL_CODEDEPLOY: codedeploy.endpoint });
    assert.equal(code, 0, output);
    const first = ['  AWS: first release: no alias is deployed yet, so CloudFormation creates it on the new version and nothing shifts'];
    assert.deepEqual(
      lines(stdout),
      releasePlanLines({
        api: [
          '  AWS: the alias is deployed: this deploy shifts from its version',
          '  AWS: firing now: release-plan-dev-ApiErrors (CodeDeploy would stop the deployment and roll it back at once)',
        ],
        worker: first,
        batch: first,
        report: first,
        legacy: first,
      })
    );
  });

  test('broken settings: the errors, and nothing of AWS', async () => {
    const dir = copyFixture('release-plan', (text) => text.replace('type: Canary10Percent5Minutes', 'type: Canary10Percent5Minute5'));
    const { code, stdout, output } = await runFramework(['canary:plan', '--aws', '--json'], { cwd: dir, env: frameworkEnv({ ...moto.env, AWS_ENDPOINT_URL_CODEDEPLOY: codedeploy.endpoint }) });
    assert.equal(code, 1, output);
    const answer = JSON.parse(stdout);
    assert.equal(answer.errors, 1);
    assert.match(answer.problems[0].rendered, /error\[unknown-deployment-type\] functions\.api\.deploymentSettings\.type/);
    assert.deepEqual([answer.askedAws, answer.awsErrors], [false, 0]);
    assert.ok(answer.functions.every((f) => f.firstRelease === null && f.firing.length === 0), stdout);
  });
});
