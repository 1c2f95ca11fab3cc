'use strict';

// What the generated CodeDeploy hooks call and moto does not answer, on loopback: CodeDeploy's
// deployment, its targets and the hook's report, and Lambda's Invoke of one version (moto runs
// no function code without Docker). CloudWatch's GetMetricData goes to moto.

const http = require('http');

const { lambdaInvoke, TIMED_OUT } = require('./scripted-lambda');

/**
 * `deployments`: ID -> { group, functionName, alias, targetVersion, createTime };
 * `versions`: Lambda's Invoke of a version, as `lambdaInvoke` scripts it.
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
      const invoked = lambdaInvoke(request.url, versions, (call) => invocations.push(call));
      if (invoked) {
        const [status, payload, headers] = await invoked(body);
        return reply(status, payload, headers);
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

module.exports = { startHookEndpoints, TIMED_OUT };
