'use strict';

// What the generated CodeDeploy hooks call and moto does not answer, on loopback: CodeDeploy's
// deployment, its targets and the hook's report, and Lambda's Invoke of one version (moto runs
// no function code without Docker). CloudWatch's GetMetricData goes to moto.

const http = require('http');

/**
 * `deployments`: ID -> { group, functionName, alias, targetVersion, createTime };
 * `versions`: `<function>:<version>` -> async (event) => answer; a throw is a function error,
 * and an answer of TIMED_OUT is what Lambda says when the version runs out of time.
 * Resolves with { endpoint, reports, invocations, stop }: each hook report and each Invoke.
 */
function startHookEndpoints({ deployments = {}, versions = {} }) {
  const reports = [];
  const invocations = [];
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const reply = (status, payload, headers = {}) => {
        response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
        response.end(JSON.stringify(payload));
      };
      const url = new URL(request.url, 'http://loopback');
      const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
      if (invoke) {
        const name = decodeURIComponent(invoke[1]);
        const qualifier = url.searchParams.get('Qualifier');
        const event = JSON.parse(body || 'null');
        invocations.push({ name, qualifier, event });
        const version = versions[`${name}:${qualifier}`];
        if (!version) return reply(404, { Type: 'User', message: `Function not found: ${name}:${qualifier}` }, { 'x-amzn-ErrorType': 'ResourceNotFoundException' });
        try {
          const answer = await version(event);
          if (answer === TIMED_OUT) {
            return reply(200, { errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 6.00 seconds' }, { 'X-Amz-Function-Error': 'Unhandled' });
          }
          return reply(200, answer);
        } catch (error) {
          return reply(200, { errorType: error.name, errorMessage: error.message }, { 'X-Amz-Function-Error': 'Unhandled' });
        }
      }
      const operation = (request.headers['x-amz-target'] || '').split('.').pop();
      const input = body ? JSON.parse(body) : {};
      const deployment = deployments[input.deploymentId];
      if (!deployment) return reply(400, { __type: 'DeploymentDoesNotExistException', message: String(input.deploymentId) });
      switch (operation) {
        case 'GetDeployment':
          return reply(200, {
            deploymentInfo: {
              deploymentId: input.deploymentId,
              deploymentGroupName: deployment.group,
              status: 'InProgress',
              createTime: deployment.createTime / 1000,
            },
          });
        case 'ListDeploymentTargets':
          return reply(200, { targetIds: [`${deployment.functionName}:${deployment.alias}`] });
        case 'BatchGetDeploymentTargets':
          return reply(200, {
            deploymentTargets: [{
              deploymentTargetType: 'LambdaFunction',
              lambdaTarget: {
                deploymentId: input.deploymentId,
                lambdaFunctionInfo: {
                  functionName: deployment.functionName,
                  functionAlias: deployment.alias,
                  currentVersion: deployment.currentVersion,
                  targetVersion: deployment.targetVersion,
                },
              },
            }],
          });
        case 'PutLifecycleEventHookExecutionStatus':
          reports.push(input);
          return reply(200, { lifecycleEventHookExecutionId: input.lifecycleEventHookExecutionId });
        default:
          return reply(400, { __type: 'UnknownOperationException', message: operation });
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ endpoint: `http://127.0.0.1:${server.address().port}`, reports, invocations, stop: () => server.close() });
    });
  });
}

const TIMED_OUT = Symbol('timed out');

module.exports = { startHookEndpoints, TIMED_OUT };
