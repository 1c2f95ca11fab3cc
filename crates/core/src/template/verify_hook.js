'use strict';
// serverless-canary's CodeDeploy hooks, deployed inline. `beforeAllowTraffic` invokes the new
// version with each smoke test; `afterAllowTraffic` fails a release the new version served too
// few invocations to judge. Each reports Succeeded or Failed to CodeDeploy, always.
// `exports.config` (appended when packaged) is keyed by deployment group name.
const cd = require('@aws-sdk/client-codedeploy');
const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');
const { CloudWatchClient, GetMetricDataCommand } = require('@aws-sdk/client-cloudwatch');

const codedeploy = new cd.CodeDeployClient({});
const lambda = new LambdaClient({});
const cloudwatch = new CloudWatchClient({});
// Lambda's metrics arrive a minute or two late: the guard asks again before it gives up.
exports.wait = { attempts: 6, delayMs: 30000 };

// The function, alias and target version CodeDeploy is deploying, and its group's config.
async function deployment(deploymentId) {
  const { deploymentInfo: info } = await codedeploy.send(new cd.GetDeploymentCommand({ deploymentId }));
  const { targetIds } = await codedeploy.send(new cd.ListDeploymentTargetsCommand({ deploymentId }));
  const { deploymentTargets } = await codedeploy.send(
    new cd.BatchGetDeploymentTargetsCommand({ deploymentId, targetIds }),
  );
  const fn = deploymentTargets[0].lambdaTarget.lambdaFunctionInfo;
  const config = exports.config[info.deploymentGroupName];
  if (!config) throw new Error(`no checks configured for ${info.deploymentGroupName}`);
  return { config, since: new Date(info.createTime), name: fn.functionName, alias: fn.functionAlias, version: fn.targetVersion };
}

async function run(event, check) {
  let passed = false;
  try {
    passed = await check(await deployment(event.DeploymentId));
  } catch (error) {
    console.log(JSON.stringify({ error: String(error) }));
  }
  await codedeploy.send(
    new cd.PutLifecycleEventHookExecutionStatusCommand({
      deploymentId: event.DeploymentId,
      lifecycleEventHookExecutionId: event.LifecycleEventHookExecutionId,
      status: passed ? 'Succeeded' : 'Failed',
    }),
  );
  return passed ? 'Succeeded' : 'Failed';
}

// One smoke test: a function error (a throw, a timeout) or another status code fails it.
async function smokeTest(target, test) {
  const answer = await lambda.send(
    new InvokeCommand({ FunctionName: target.name, Qualifier: target.version, Payload: JSON.stringify(test.event) }),
  );
  const text = Buffer.from(answer.Payload || []).toString();
  let problem = answer.FunctionError ? `function error: ${text}` : null;
  if (!problem && test.statusCode !== undefined) {
    let status;
    try {
      status = JSON.parse(text).statusCode;
    } catch {
      status = undefined;
    }
    if (status !== test.statusCode) problem = `statusCode ${status}, expected ${test.statusCode}`;
  }
  console.log(JSON.stringify({ smokeTest: test.name, version: target.version, passed: !problem, problem }));
  return !problem;
}

exports.beforeAllowTraffic = (event) =>
  run(event, async (target) => {
    let passed = target.config.smokeTest.length > 0;
    for (const test of target.config.smokeTest) passed = (await smokeTest(target, test)) && passed;
    return passed;
  });

// Invocations of the new version through the alias since the deployment began.
async function invocations(target) {
  const dimensions = [
    { Name: 'FunctionName', Value: target.name },
    { Name: 'Resource', Value: `${target.name}:${target.alias}` },
    { Name: 'ExecutedVersion', Value: target.version },
  ];
  const { MetricDataResults } = await cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(Math.floor(target.since.getTime() / 60000) * 60000),
      EndTime: new Date(),
      MetricDataQueries: [
        {
          Id: 'invocations',
          MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: dimensions }, Period: 60, Stat: 'Sum' },
        },
      ],
    }),
  );
  return (MetricDataResults[0].Values || []).reduce((sum, value) => sum + value, 0);
}

exports.afterAllowTraffic = (event) =>
  run(event, async (target) => {
    const needed = target.config.minTraffic;
    for (let attempt = 1; ; attempt += 1) {
      const served = await invocations(target);
      console.log(JSON.stringify({ minTraffic: needed, served, version: target.version, attempt }));
      if (served >= needed) return true;
      if (attempt >= exports.wait.attempts) return false;
      await new Promise((resolve) => setTimeout(resolve, exports.wait.delayMs));
    }
  });
