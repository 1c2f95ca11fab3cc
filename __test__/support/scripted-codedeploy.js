'use strict';

// A CodeDeploy endpoint on loopback for the calls moto does not implement, which passes every
// other request on to moto and plays a stack update as CloudFormation does with CodeDeploy.

const http = require('node:http');

const { lambdaInvoke } = require('./scripted-lambda');
const { playDeployment } = require('./scripted-deployment');

/**
 * A CodeDeploy endpoint for what moto lacks, speaking awsJson 1.1 on loopback:
 * - `configs`: the custom deployment configs that exist (the predefined ones always do);
 * - `inProgress`: group name -> IDs ListDeployments reports unfinished;
 * - `deployments`: scripted deployments (see `playDeployment`) that move a step each time
 *   their group is polled, stop when one of their alarms is in ALARM in moto or on
 *   StopDeployment, and then roll back with a deployment of their own, as CodeDeploy does;
 * - `proxyTo` and `stackResources`: every other request goes to moto, and ListStackResources
 *   answers also list `stackResources[<stack name>]`, logical -> physical IDs (moto's
 *   CloudFormation creates neither a CodeDeploy application, an alarm nor an alias). A stack update (ExecuteChangeSet, UpdateStack)
 *   starts the deployments of the stack's groups that have `startsWithUpdate` and, like
 *   CloudFormation, answers only once they have ended; it fails if one did not succeed. Each
 *   group's deployment config, whether its alarms are on, and its tags come from the template
 *   the update carries (its TemplateURL, read from moto's S3), as CodeDeploy takes them from
 *   the group CloudFormation updated first.
 * `versions` scripts Lambda's Invoke of a version (see `lambdaInvoke`). With `latencyMs`, every
 * request waits that long before it is handled, as it would on its way to AWS and back, so
 * that how many a client sends at once shows in `takePeakInFlight`.
 * Resolves with { endpoint, stopped, pollsOf, hookStatusOf, tagsOf, takeCounts, stop }:
 * `stopped` records each StopDeployment request, `pollsOf(group)` counts the polls of a
 * scripted deployment's group, `hookStatusOf(group)` is what its BeforeAllowTraffic hook
 * reported, `tagsOf(group)` the tags its last update gave it, `takeCounts()` the requests by
 * operation since it was last called, `takePeakInFlight()` the most requests it held unanswered at
 * once since it was last called.
 */
function startScriptedCodeDeploy({ configs = [], inProgress = {}, deployments = [], proxyTo, stackResources = {}, versions = {}, latencyMs = 0 } = {}) {
  const stopped = [];
  // Requests by operation (`CodeDeploy.ListDeployments`, `cloudformation.ListStackResources`).
  const counted = new Map();
  const count = (operation) => counted.set(operation, (counted.get(operation) || 0) + 1);
  // Requests received and not yet answered, and the most at once since `takePeakInFlight`.
  let inFlight = 0;
  let peakInFlight = 0;
  const creating = new Set();
  // Stack name -> the TemplateURL of its last CreateChangeSet or UpdateStack.
  const templates = new Map();
  // Group name -> the tags the last template gave it.
  const groupTags = new Map();
  const plays = deployments.map(playDeployment);
  const playOf = (group) => plays.find((play) => play.group === group);
  const playById = (id) => plays.find((play) => play.knows(id));
  const server = http.createServer((request, response) => {
    inFlight += 1;
    peakInFlight = Math.max(peakInFlight, inFlight);
    response.once('close', () => {
      inFlight -= 1;
    });
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', async () => {
      if (latencyMs) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      const raw = Buffer.concat(chunks);
      const body = raw.toString('utf8');
      const reply = (status, payload, type = 'application/x-amz-json-1.1') => {
        response.writeHead(status, { 'Content-Type': type });
        response.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
      };
      const target = request.headers['x-amz-target'] || '';
      const invoked = lambdaInvoke(request.url, versions);
      if (invoked) {
        const [status, payload, headers] = await invoked(body);
        response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
        return response.end(JSON.stringify(payload));
      }
      if (!target.startsWith('CodeDeploy_')) {
        if (!proxyTo) return reply(400, { __type: 'UnknownOperationException', message: 'not CodeDeploy' });
        const form = (request.headers['content-type'] || '').startsWith('application/x-www-form-urlencoded');
        const params = new URLSearchParams(form ? body : '');
        const action = params.get('Action');
        count(`moto.${action || target || `${request.method} ${request.url}`}`);
        // Creating a stack runs no deployment: aliases are created, not updated.
        if (action === 'CreateChangeSet' && params.get('ChangeSetType') === 'CREATE') creating.add(params.get('StackName'));
        if (['CreateChangeSet', 'UpdateStack'].includes(action) && params.get('TemplateURL')) templates.set(params.get('StackName'), params.get('TemplateURL'));
        if (action === 'ExecuteChangeSet' && creating.delete(params.get('StackName'))) {
          // forwarded below as it is
        } else if (['ExecuteChangeSet', 'UpdateStack'].includes(action)) {
          const groups = await groupsOf(templates.get(params.get('StackName')), proxyTo);
          for (const [name, group] of groups) {
            groupTags.set(name, group.tags);
            const play = playOf(name);
            if (play) play.configure(group);
          }
          const failure = await updateWaitsOnDeployments(plays, params.get('StackName'));
          if (failure) return reply(400, cloudFormationError(failure), 'text/xml');
        }
        const answer = await fetch(proxyTo + request.url, { method: request.method, headers: forwardable(request.headers), body: raw.length ? raw : undefined });
        let answered = Buffer.from(await answer.arrayBuffer());
        if (action === 'ListStackResources') answered = Buffer.from(withResources(answered.toString('utf8'), stackResources[params.get('StackName')] || {}));
        response.writeHead(answer.status, forwardable(Object.fromEntries(answer.headers)));
        return response.end(answered);
      }
      const input = body ? JSON.parse(body) : {};
      const operation = target.split('.').pop();
      count(`CodeDeploy.${operation}`);
      const play = playOf(input.deploymentGroupName);
      switch (operation) {
        case 'GetDeploymentConfig':
          if (input.deploymentConfigName.startsWith('CodeDeployDefault.Lambda') || configs.includes(input.deploymentConfigName)) {
            return reply(200, { deploymentConfigInfo: { deploymentConfigName: input.deploymentConfigName, computePlatform: 'Lambda', trafficRoutingConfig: routingOf(input.deploymentConfigName) } });
          }
          return reply(400, { __type: 'DeploymentConfigDoesNotExistException', message: `No deployment configuration found for name: ${input.deploymentConfigName}` });
        case 'ListDeployments':
          if (play && play.hangs) return undefined; // accepted, never answered
          if (play && play.failing()) return reply(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
          if (play) return reply(200, { deployments: await play.listUnfinished() });
          return reply(200, { deployments: inProgress[input.deploymentGroupName] || [] });
        case 'GetDeploymentGroup':
          return reply(200, { deploymentGroupInfo: play ? play.groupInfo() : {} });
        case 'BatchGetDeploymentGroups': {
          // The status poll, which then polls the deployment each group is on by describing it.
          const names = input.deploymentGroupNames || [];
          const asked = names.map(playOf).filter(Boolean);
          if (asked.some((p) => p.hangs)) return undefined; // accepted, never answered
          if (asked.some((p) => p.failing())) return reply(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
          const infos = [];
          for (const name of names) {
            const found = playOf(name);
            if (found) found.asked();
            const busy = (inProgress[name] || [])[0];
            const info = found ? found.groupInfo() : busy ? { lastAttemptedDeployment: { deploymentId: busy, status: 'InProgress' } } : {};
            infos.push({ deploymentGroupName: name, ...info });
          }
          return reply(200, { deploymentGroupsInfo: infos });
        }
        case 'GetDeployment': {
          const found = playById(input.deploymentId);
          if (!found) return reply(400, { __type: 'DeploymentDoesNotExistException', message: input.deploymentId });
          return reply(200, { deploymentInfo: found.info(input.deploymentId) });
        }
        case 'PutLifecycleEventHookExecutionStatus': {
          const found = playById(input.deploymentId);
          if (!found) return reply(400, { __type: 'DeploymentDoesNotExistException', message: input.deploymentId });
          found.hookReported(input.lifecycleEventHookExecutionId, input.status);
          return reply(200, { lifecycleEventHookExecutionId: input.lifecycleEventHookExecutionId });
        }
        case 'BatchGetDeployments': {
          // Each status poll describes the deployment each group is on: that polls it.
          const known = input.deploymentIds.filter(playById);
          if (known.some((id) => playById(id).polledBy(id) && playById(id).failing())) return reply(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
          for (const id of known) await playById(id).described(id);
          return reply(200, { deploymentsInfo: known.map((id) => playById(id).info(id)) });
        }
        case 'ListDeploymentTargets':
          return reply(200, { targetIds: playById(input.deploymentId) ? ['alias-target'] : [] });
        case 'BatchGetDeploymentTargets': {
          const found = playById(input.deploymentId);
          return reply(200, { deploymentTargets: found ? [{ deploymentTargetType: 'LambdaFunction', lambdaTarget: found.target(input.deploymentId) }] : [] });
        }
        case 'StopDeployment': {
          stopped.push(input);
          const found = playById(input.deploymentId);
          if (found) found.stop();
          return reply(200, { status: 'Pending', statusMessage: 'Stopping deployment; rolling back to the previous version' });
        }
        default:
          return reply(400, { __type: 'UnknownOperationException', message: target });
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const pollsOf = (group) => (playOf(group) ? playOf(group).polls() : 0);
      const hookStatusOf = (group) => (playOf(group) ? playOf(group).hookStatus() : null);
      const tagsOf = (group) => groupTags.get(group) || null;
      // Each operation's count since the last call, and a fresh count from here.
      const takeCounts = () => {
        const counts = Object.fromEntries(counted);
        counted.clear();
        return counts;
      };
      // The most requests in flight at once since the last call, and a fresh count from here.
      const takePeakInFlight = () => {
        const peak = peakInFlight;
        peakInFlight = inFlight;
        return peak;
      };
      resolve({ endpoint: `http://127.0.0.1:${server.address().port}`, stopped, pollsOf, hookStatusOf, tagsOf, takeCounts, takePeakInFlight, stop: () => server.close() });
    });
  });
}

/**
 * The deployment groups of the template at `templateUrl` (path style, as the Framework writes
 * it: https://<s3 endpoint>/<bucket>/<key>), read from moto's S3: name -> { config, alarmsOn,
 * tags }. Empty when there is no template to read.
 */
async function groupsOf(templateUrl, s3) {
  if (!templateUrl || !s3) return new Map();
  // moto routes a request by the service its signature names.
  const answer = await fetch(s3 + new URL(templateUrl).pathname, {
    headers: { Authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x' },
  });
  if (!answer.ok) return new Map();
  const template = await answer.json();
  const groups = new Map();
  for (const resource of Object.values(template.Resources || {})) {
    const properties = resource.Properties || {};
    if (resource.Type !== 'AWS::CodeDeploy::DeploymentGroup' || typeof properties.DeploymentGroupName !== 'string') continue;
    groups.set(properties.DeploymentGroupName, {
      config: typeof properties.DeploymentConfigName === 'string' ? properties.DeploymentConfigName : undefined,
      alarmsOn: !properties.AlarmConfiguration || properties.AlarmConfiguration.Enabled !== false,
      tags: properties.Tags || [],
    });
  }
  return groups;
}

/**
 * A followed play that nobody has polled for this long is left where it is: only a guard
 * against a hang, generous so that a busy machine's slow polls never end an update early.
 */
const UNPOLLED_MS = 8000;

/**
 * A stack update as CloudFormation runs it with CodeDeployLambdaAliasUpdate: it starts the
 * deployments of the stack's groups and ends once they have. The plays move only when polled:
 * one the test says nobody follows (`followed: false`: progress off, an endpoint that cannot
 * answer) is left where it begins, and one whose poller stopped is given up on after
 * UNPOLLED_MS. Resolves with the reason the update fails, or null.
 */
async function updateWaitsOnDeployments(plays, stackName) {
  const ours = plays.filter((play) => play.startsWithUpdate && play.group.startsWith(`${stackName}-`));
  for (const play of ours) play.begin();
  const refused = ours.find((play) => play.failsUpdate);
  if (refused) return `Resource handler returned message: "the update of ${refused.group} was refused" (scripted failure)`;
  const followed = ours.filter((play) => play.followed);
  while (followed.some((play) => !play.settled() && Date.now() - play.lastPolled() < UNPOLLED_MS)) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const failed = ours.find((play) => play.settled() && !play.succeeded());
  return failed && `Resource handler returned message: "CodeDeploy deployment ${failed.id} did not succeed" (HelloLambdaFunctionAliasLive UPDATE_FAILED)`;
}

function cloudFormationError(message) {
  return `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>${message}</Message></Error><RequestId>scripted</RequestId></ErrorResponse>`;
}

/** `CodeDeployDefault.LambdaCanary10Percent5Minutes` -> its trafficRoutingConfig; others are 10% canaries of 5 minutes. */
function routingOf(name) {
  const linear = /Linear(\d+)PercentEvery(\d+)Minutes?$/.exec(name);
  if (linear) return { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: +linear[1], linearInterval: +linear[2] } };
  if (name.endsWith('AllAtOnce')) return { type: 'AllAtOnce' };
  const canary = /Canary(\d+)Percent(\d+)Minutes?$/.exec(name) || [null, 10, 5];
  return { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: +canary[1], canaryInterval: +canary[2] } };
}

/** Headers to pass on, without the hop-by-hop ones and those the body's new framing sets. */
function forwardable(headers) {
  const skip = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'content-encoding', 'keep-alive']);
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !skip.has(name)));
}

/** A ListStackResources answer that also lists `resources` (logical -> physical ID). */
function withResources(xml, resources) {
  const members = Object.entries(resources)
    .map(([logical, physical]) => `<member><LogicalResourceId>${logical}</LogicalResourceId><PhysicalResourceId>${physical}</PhysicalResourceId><ResourceType>AWS::CodeDeploy::Application</ResourceType><ResourceStatus>CREATE_COMPLETE</ResourceStatus><LastUpdatedTimestamp>2026-01-01T00:00:00Z</LastUpdatedTimestamp></member>`)
    .join('');
  return xml.replace('</StackResourceSummaries>', `${members}</StackResourceSummaries>`);
}

module.exports = { startScriptedCodeDeploy };
