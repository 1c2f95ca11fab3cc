'use strict';

// The verification the plugin generates, as deployed: fixtures/verified is packaged by the real
// Framework, and the inline code of its hook functions runs here with the real AWS SDK for
// JavaScript v3 against loopback endpoints (CodeDeploy and Lambda Invoke scripted, CloudWatch
// in moto). The version under test is the example's real handler.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { packageService, copyFixture } = require('./support/framework');
const { lintErrors } = require('./support/cfn-lint');
const { startMoto, query } = require('./support/moto-server');
const { startHookEndpoints, TIMED_OUT } = require('./support/hook-endpoints');
const { hello } = require('../fixtures/verified/handler.js');
const { restoreEnv } = require('./support/env');
const { loadInlineHook } = require('./support/inline-hook');

const FUNCTION = 'pc-verified-dev-hello';
const GROUP = 'pc-verified-dev-HelloLambdaFunctionDeploymentGroup';
const STARTED = Date.now() - 5 * 60_000;

// A smoke test whose event JavaScript could bend: keys an object literal would turn into its
// prototype or shadow, escapes, text beyond ASCII, nesting, numbers large and small. Unnamed,
// it is named by its position.
const ODD_EVENT_YAML = `
        - event:
            __proto__: { admin: true }
            constructor: { prototype: 1 }
            "quote's \\\\ \\"both\\"": "line\\nbreak \\u2028 é ✓ 😀"
            nested: [[1, -2.5, 1.0e+21, 12345678901234567890], [], {}]
            "10": integer-like key
`;
// What that YAML means, as JSON (parsed, so `__proto__` is a key of its own).
const ODD_EVENT = JSON.parse(
  '{"__proto__":{"admin":true},"constructor":{"prototype":1},"quote\'s \\\\ \\"both\\"":"line\\nbreak \\u2028 é ✓ 😀",' +
    '"nested":[[1,-2.5,1e21,12345678901234567890],[],{}],"10":"integer-like key"}'
);


/** `count` invocations of `version` through the alias, as Lambda publishes them, into moto. */
function publishInvocations(moto, version, count) {
  const dimensions = [['FunctionName', FUNCTION], ['Resource', `${FUNCTION}:Live`], ['ExecutedVersion', version]];
  const params = {
    Action: 'PutMetricData',
    Version: '2010-08-01',
    Namespace: 'AWS/Lambda',
    'MetricData.member.1.MetricName': 'Invocations',
    'MetricData.member.1.Value': String(count),
    'MetricData.member.1.Unit': 'Count',
    'MetricData.member.1.Timestamp': new Date(Date.now() - 60_000).toISOString(),
  };
  dimensions.forEach(([name, value], i) => {
    params[`MetricData.member.1.Dimensions.member.${i + 1}.Name`] = name;
    params[`MetricData.member.1.Dimensions.member.${i + 1}.Value`] = value;
  });
  return query(moto.endpoint, 'monitoring', params);
}

describe('fixtures/verified, packaged', () => {
  const run = packageService('verified');

  test('adds both hooks, their role and the comparison alarms, cfn-lint clean', async () => {
    const { code, output, template, templatePath } = await run;
    assert.equal(code, 0, output);
    const resources = template.Resources;
    const update = resources.HelloLambdaFunctionAliasLive.UpdatePolicy.CodeDeployLambdaAliasUpdate;
    assert.deepEqual(update.BeforeAllowTrafficHook, { Ref: 'ServerlessCanarySmokeTestHook' });
    assert.deepEqual(update.AfterAllowTrafficHook, { Ref: 'ServerlessCanaryTrafficGuardHook' });
    assert.deepEqual(resources.HelloLambdaFunctionDeploymentGroup.Properties.AlarmConfiguration.Alarms, [
      { Name: { Ref: 'HelloBaselineErrorRateAlarm' } },
      { Name: { Ref: 'HelloBaselineP99Alarm' } },
    ]);
    assert.equal(resources.ServerlessCanarySmokeTestHook.Properties.FunctionName, 'CodeDeployHook_pc-verified-dev-smoke-test');
    assert.deepEqual(await lintErrors(templatePath), []);
  });
});

describe("the comparison alarms, on docs/configuration.md's worked example", () => {
  const run = packageService('verified');
  // The packaged expression, evaluated as CloudWatch's metric math reads it: IF(condition,
  // then, else), AND, arithmetic. The expressions use nothing else (checked first).
  const evaluate = (expression, values) => {
    assert.match(expression, /^[\w\s()*/+\-.,>=]+$/, expression);
    const names = Object.keys(values);
    const math = new Function(...names, 'IF', `return ${expression.replace(/\bAND\b/g, '&&')};`);
    return math(...Object.values(values), (condition, then, otherwise) => (condition ? then : otherwise));
  };
  const state = async (alarmId, values) => {
    const { Properties: alarm } = (await run).template.Resources[alarmId];
    const [watched] = alarm.Metrics.filter((metric) => metric.ReturnData);
    const value = evaluate(watched.Expression, values);
    return [Math.round(value * 100) / 100, value > alarm.Threshold ? 'ALARM' : 'OK'];
  };

  test('error rate: points above the old version, once enough invocations were served', async () => {
    const minute = (newInvocations, newErrors) => ({ newInvocations, newErrors, allInvocations: 400, allErrors: 7 });
    assert.deepEqual(await state('HelloBaselineErrorRateAlarm', minute(40, 3)), [6.39, 'ALARM'], '7.5% against 1.11%');
    assert.deepEqual(await state('HelloBaselineErrorRateAlarm', minute(40, 1)), [0.83, 'OK'], '2.5% against 1.67%');
    assert.deepEqual(await state('HelloBaselineErrorRateAlarm', minute(12, 3)), [0, 'OK'], 'under minInvocations');
  });

  test("p99: the new version's against the alias's", async () => {
    const minute = (newP99) => ({ newInvocations: 40, newP99, aliasP99: 500 });
    assert.deepEqual(await state('HelloBaselineP99Alarm', minute(900)), [1.8, 'ALARM']);
    assert.deepEqual(await state('HelloBaselineP99Alarm', minute(600)), [1.2, 'OK']);
  });
});

describe('the hooks, run against loopback endpoints', () => {
  let moto;
  let endpoints;
  let hook;
  let guardHook;
  const saved = { ...process.env };
  const deployment = (id, targetVersion) => ({ [id]: { group: GROUP, functionName: FUNCTION, alias: 'Live', currentVersion: '1', targetVersion, createTime: STARTED } });

  before(async () => {
    const { template } = await packageService('verified');
    moto = await startMoto();
    endpoints = await startHookEndpoints({
      deployments: {
        ...deployment('d-PASSES', '2'),
        ...deployment('d-THROWS', '3'),
        ...deployment('d-WRONG', '4'),
        ...deployment('d-TIMEOUT', '5'),
        ...deployment('d-QUIET', '6'),
        ...deployment('d-BUSY', '7'),
        ...deployment('d-EXACT', '8'),
        'd-REHEARSAL': { group: 'rehearsal', functionName: FUNCTION, alias: 'Live', targetVersion: '2', createTime: STARTED },
        'd-UNCHECKED': { group: 'another-stack-group', functionName: FUNCTION, alias: 'Live', targetVersion: '2', createTime: STARTED },
      },
      versions: {
        [`${FUNCTION}:2`]: hello,
        [`${FUNCTION}:3`]: async () => {
          throw new TypeError('Cannot read properties of undefined');
        },
        [`${FUNCTION}:4`]: async () => ({ statusCode: 500, body: 'oops' }),
        [`${FUNCTION}:5`]: async () => TIMED_OUT,
        [`${FUNCTION}:8`]: async () => ({ statusCode: 200 }),
      },
    });
    Object.assign(process.env, moto.env, {
      AWS_ENDPOINT_URL_CODEDEPLOY: endpoints.endpoint,
      AWS_ENDPOINT_URL_LAMBDA: endpoints.endpoint,
      AWS_ENDPOINT_URL_CLOUDWATCH: moto.endpoint,
    });
    hook = loadInlineHook(template.Resources.ServerlessCanarySmokeTestHook.Properties.Code.ZipFile);
    guardHook = loadInlineHook(template.Resources.ServerlessCanaryTrafficGuardHook.Properties.Code.ZipFile);
    guardHook.wait = { attempts: 2, delayMs: 10 };
    await publishInvocations(moto, '6', 40);
    await publishInvocations(moto, '7', 60);
  });

  after(() => {
    endpoints?.stop();
    moto?.stop();
    restoreEnv(saved);
  });

  const reportOf = (id) => endpoints.reports.filter((report) => report.deploymentId === id).map((report) => report.status);
  const smoke = (id) => hook.beforeAllowTraffic({ DeploymentId: id, LifecycleEventHookExecutionId: `hook-${id}` });
  const guard = (id) => guardHook.afterAllowTraffic({ DeploymentId: id, LifecycleEventHookExecutionId: `hook-${id}` });

  test('a passing smoke test invokes the target version with its event and reports Succeeded', async () => {
    assert.equal(await smoke('d-PASSES'), 'Succeeded');
    assert.deepEqual(reportOf('d-PASSES'), ['Succeeded']);
    const [invoked] = endpoints.invocations.filter((call) => call.qualifier === '2');
    const event = { httpMethod: 'GET', path: '/hello', headers: { Authorization: 'smoke@company.com' } };
    assert.deepEqual(invoked, { name: FUNCTION, qualifier: '2', event, payload: JSON.stringify(event) });
    assert.deepEqual(endpoints.reports.find((r) => r.deploymentId === 'd-PASSES').lifecycleEventHookExecutionId, 'hook-d-PASSES');
  });

  for (const [id, what] of [['d-THROWS', 'a version that throws'], ['d-WRONG', 'a wrong status code'], ['d-TIMEOUT', 'a timeout']]) {
    test(`${what} reports Failed`, async () => {
      assert.equal(await smoke(id), 'Failed');
      assert.deepEqual(reportOf(id), ['Failed']);
    });
  }

  test("the rehearsal: the example's error user fails the smoke test", async () => {
    hook.config.rehearsal = {
      smokeTest: [{ name: 'error user', event: { headers: { Authorization: 'erroruser@company.com' } }, statusCode: 200 }],
    };
    assert.equal(await smoke('d-REHEARSAL'), 'Failed');
  });

  test('the payload is the JSON written, `__proto__` and all', async () => {
    const dir = copyFixture('verified', (text) => text.replace('          expect: { statusCode: 200 }\n', (line) => line + ODD_EVENT_YAML));
    const { code, output, template } = await packageService(dir);
    assert.equal(code, 0, output);
    const exact = loadInlineHook(template.Resources.ServerlessCanarySmokeTestHook.Properties.Code.ZipFile);
    assert.equal(exact.config[GROUP].smokeTest[1].name, 'smokeTest[1]', 'named by its position');
    assert.equal(await exact.beforeAllowTraffic({ DeploymentId: 'd-EXACT', LifecycleEventHookExecutionId: 'hook-d-EXACT' }), 'Succeeded');
    const [plain, odd] = endpoints.invocations.filter((call) => call.qualifier === '8');
    assert.equal(plain.payload, JSON.stringify({ httpMethod: 'GET', path: '/hello', headers: { Authorization: 'smoke@company.com' } }));
    assert.equal(odd.payload, JSON.stringify(ODD_EVENT), 'the same text, key order included');
    assert.deepEqual(odd.event, ODD_EVENT);
    assert.ok(Object.hasOwn(odd.event, '__proto__') && Object.getPrototypeOf(odd.event) === Object.prototype);
    assert.deepEqual(odd.event.__proto__, { admin: true });
  });

  test('the guard fails a release below minTraffic and passes one at or above it', async () => {
    assert.equal(await guard('d-QUIET'), 'Failed', '40 of 50');
    assert.equal(await guard('d-BUSY'), 'Succeeded', '60 of 50');
    assert.deepEqual([...reportOf('d-QUIET'), ...reportOf('d-BUSY')], ['Failed', 'Succeeded']);
  });

  test('a deployment whose group has no checks is failed, not passed', async () => {
    assert.equal(await guard('d-UNCHECKED'), 'Failed');
    assert.deepEqual(reportOf('d-UNCHECKED'), ['Failed']);
  });
});
