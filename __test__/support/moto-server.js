'use strict';

// moto's server from the .venv that `npm test` builds from requirements-test.txt, a port where
// AWS cannot be reached, and the few calls the tests use to put state into moto.

const { spawn } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');

const { REPO } = require('./framework');

const MOTO = path.join(REPO, '.venv', 'bin', 'moto_server');

/**
 * Holds a loopback port bound but not listening, as long as its stdin is open: a connection
 * there is refused, and no other process can take the port (Node cannot bind without
 * listening; .venv's Python, which runs moto, can).
 */
const HOLD_PORT = "import socket, sys; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1], flush=True); sys.stdin.read()";

/**
 * A loopback endpoint where AWS cannot be reached: connections are refused, on a port held for
 * the test until `stop`. A port freed for the test could be taken by another test's server in
 * between, which would then answer.
 */
async function unreachableEndpoint() {
  const child = spawn(path.join(REPO, '.venv', 'bin', 'python3'), ['-c', HOLD_PORT], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    let said = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`the port holder exited (${code}) before saying its port`)));
    child.stdout.on('data', (chunk) => {
      said += chunk;
      if (said.includes('\n')) resolve(Number(said.trim()));
    });
  });
  child.removeAllListeners('exit');
  // Nothing here keeps this process alive; when it ends, the holder's stdin closes and it ends.
  child.stdout.destroy();
  child.stdin.unref();
  child.unref();
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => child.stdin.end() };
}

/**
 * Starts moto; resolves with { endpoint, env, stop } once it answers. It binds a port of its own
 * choosing (`-p 0`) and says which: a port picked beforehand could be taken by another test's
 * server in between, and two tests would share one moto.
 */
async function startMoto() {
  if (!fs.existsSync(MOTO)) throw new Error(`${MOTO} is missing: run \`npm test\` once, which installs requirements-test.txt into .venv`);
  const child = spawn(MOTO, ['-H', '127.0.0.1', '-p', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const port = await new Promise((resolve, reject) => {
    let said = '';
    const timer = setTimeout(() => fail(new Error(`moto did not say its port in 30 s:\n${said}`)), 30_000);
    const fail = (error) => {
      clearTimeout(timer);
      child.kill();
      reject(error);
    };
    child.on('exit', (code) => fail(new Error(`moto exited (${code}) before serving:\n${said}`)));
    child.stderr.on('data', (chunk) => {
      said += chunk;
      const running = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(said);
      if (!running) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      // Its request log goes on: keep reading it, or a full pipe would stall moto.
      child.stderr.removeAllListeners('data');
      child.stderr.resume();
      resolve(Number(running[1]));
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await fetch(`${endpoint}/moto-api/`);
      break;
    } catch (error) {
      if (attempt === 100) throw new Error(`moto on ${endpoint} never answered: ${error.message}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await loadBackends(endpoint);
  const env = {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return { endpoint, env, stop: () => child.kill() };
}

/**
 * moto imports a service's backend on its first call, which on a busy machine can outlast the
 * product's 4-second attempt timeout: each service the product calls is loaded before a test
 * starts, by a cheap call waited for to its end, whatever it answers.
 */
async function loadBackends(endpoint) {
  await query(endpoint, 'cloudformation', { Action: 'DescribeStacks', Version: '2010-05-15' });
  await query(endpoint, 'monitoring', { Action: 'DescribeAlarms', Version: '2010-08-01' });
  await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'CodeDeploy_20141006.ListApplications',
      Authorization: signedFor('codedeploy'),
    },
    body: '{}',
  }).then((response) => response.text());
}

/** An Authorization header moto routes to `service` (it checks no signature). */
const signedFor = (service) => `AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=x`;

/** An AWS query-protocol call (CloudWatch): `Action` and its parameters, form-encoded. */
async function query(endpoint, service, params) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: signedFor(service),
    },
    body: new URLSearchParams(params).toString(),
  });
  if (!response.ok) throw new Error(`${params.Action}: ${response.status} ${await response.text()}`);
  return response.text();
}

/** An alarm in moto, optionally forced into `state` (ALARM, OK). */
async function putAlarm(endpoint, name, state) {
  await query(endpoint, 'monitoring', {
    Action: 'PutMetricAlarm',
    Version: '2010-08-01',
    AlarmName: name,
    Namespace: 'AWS/Lambda',
    MetricName: 'Errors',
    Statistic: 'Sum',
    Period: '60',
    EvaluationPeriods: '1',
    Threshold: '1',
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  });
  if (state) {
    await query(endpoint, 'monitoring', {
      Action: 'SetAlarmState',
      Version: '2010-08-01',
      AlarmName: name,
      StateValue: state,
      StateReason: 'test',
    });
  }
}

/**
 * A stack in moto whose resources have these logical and physical IDs. moto's CloudFormation
 * cannot create a CodeDeploy application or an alarm, so each stands in as a log group of
 * that name: the commands read only the IDs.
 */
async function createStack(endpoint, name, resources) {
  const template = {
    Resources: Object.fromEntries(
      Object.entries(resources).map(([logical, physical]) => [logical, { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: physical } }])
    ),
  };
  await query(endpoint, 'cloudformation', { Action: 'CreateStack', Version: '2010-05-15', StackName: name, TemplateBody: JSON.stringify(template) });
}

module.exports = { startMoto, unreachableEndpoint, query, putAlarm, createStack };
