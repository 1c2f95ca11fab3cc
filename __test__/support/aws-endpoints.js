'use strict';

// Loopback AWS for the online checks: a moto server from the .venv that `npm test` builds from
// requirements-test.txt, the few calls the tests use to put state into it, and a scripted
// endpoint for the CodeDeploy calls moto does not implement.

const { spawn } = require('node:child_process');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const fs = require('node:fs');

const { REPO } = require('./framework');

const MOTO = path.join(REPO, '.venv', 'bin', 'moto_server');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts moto; resolves with { endpoint, env, stop } once it answers. */
async function startMoto() {
  if (!fs.existsSync(MOTO)) throw new Error(`${MOTO} is missing: run \`npm test\` once, which installs requirements-test.txt into .venv`);
  const port = await freePort();
  const child = spawn(MOTO, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      await fetch(`${endpoint}/moto-api/`);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const env = {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return { endpoint, env, stop: () => child.kill() };
}

/** An AWS query-protocol call (CloudWatch): `Action` and its parameters, form-encoded. */
async function query(endpoint, service, params) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=x`,
    },
    body: new URLSearchParams(params).toString(),
  });
  if (!response.ok) throw new Error(`${params.Action}: ${response.status} ${await response.text()}`);
  return response.text();
}

/** An AWS JSON-protocol call (CodeDeploy): `target` like `CodeDeploy_20141006.CreateApplication`. */
async function json(endpoint, service, target, body) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': target,
      Authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=x`,
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${target}: ${response.status} ${await response.text()}`);
  return response.json();
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
 * A CodeDeploy endpoint for what moto lacks: GetDeploymentConfig for `configs`,
 * ListDeployments answering `inProgress` (group name -> deployment IDs), and StopDeployment,
 * which starts a rollback and is recorded in `stopped`. Resolves with { endpoint, stopped, stop }.
 */
function startScriptedCodeDeploy(configs, inProgress = {}) {
  const stopped = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const target = request.headers['x-amz-target'] || '';
      const input = body ? JSON.parse(body) : {};
      const reply = (status, payload) => {
        response.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(payload));
      };
      if (target.endsWith('.GetDeploymentConfig')) {
        if (configs.includes(input.deploymentConfigName)) {
          return reply(200, { deploymentConfigInfo: { deploymentConfigName: input.deploymentConfigName, computePlatform: 'Lambda' } });
        }
        return reply(400, { __type: 'DeploymentConfigDoesNotExistException', message: `No deployment configuration found for name: ${input.deploymentConfigName}` });
      }
      if (target.endsWith('.ListDeployments')) return reply(200, { deployments: inProgress[input.deploymentGroupName] || [] });
      if (target.endsWith('.StopDeployment')) {
        stopped.push(input);
        return reply(200, { status: 'Pending', statusMessage: 'Stopping deployment; rolling back to the previous version' });
      }
      return reply(400, { __type: 'UnknownOperationException', message: target });
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ endpoint: `http://127.0.0.1:${server.address().port}`, stopped, stop: () => server.close() });
    });
  });
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

module.exports = { startMoto, startScriptedCodeDeploy, createStack, query, json, putAlarm, freePort };
