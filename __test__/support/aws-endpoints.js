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
 * `versions` scripts Lambda's Invoke of a version (see `lambdaInvoke`).
 * Resolves with { endpoint, stopped, pollsOf, hookStatusOf, tagsOf, takeCounts, stop }:
 * `stopped` records each StopDeployment request, `pollsOf(group)` counts the polls of a
 * scripted deployment's group, `hookStatusOf(group)` is what its BeforeAllowTraffic hook
 * reported, `tagsOf(group)` the tags its last update gave it, `takeCounts()` the requests by
 * operation since it was last called.
 */
function startScriptedCodeDeploy({ configs = [], inProgress = {}, deployments = [], proxyTo, stackResources = {}, versions = {} } = {}) {
  const stopped = [];
  // Requests by operation (`CodeDeploy.ListDeployments`, `cloudformation.ListStackResources`).
  const counted = new Map();
  const count = (operation) => counted.set(operation, (counted.get(operation) || 0) + 1);
  const creating = new Set();
  // Stack name -> the TemplateURL of its last CreateChangeSet or UpdateStack.
  const templates = new Map();
  // Group name -> the tags the last template gave it.
  const groupTags = new Map();
  const plays = deployments.map(playDeployment);
  const playOf = (group) => plays.find((play) => play.group === group);
  const playById = (id) => plays.find((play) => play.knows(id));
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', async () => {
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
          // The status poll: each group asked is polled, as ListDeployments polls it.
          const names = input.deploymentGroupNames || [];
          const asked = names.map(playOf).filter(Boolean);
          if (asked.some((p) => p.hangs)) return undefined; // accepted, never answered
          if (asked.some((p) => p.failing())) return reply(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
          const infos = [];
          for (const name of names) {
            const found = playOf(name);
            if (found) await found.listUnfinished();
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
        case 'BatchGetDeployments':
          return reply(200, { deploymentsInfo: input.deploymentIds.filter(playById).map((id) => playById(id).info(id)) });
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
      resolve({ endpoint: `http://127.0.0.1:${server.address().port}`, stopped, pollsOf, hookStatusOf, tagsOf, takeCounts, stop: () => server.close() });
    });
  });
}

/** What a scripted version answers to say it ran out of time, as Lambda reports a timeout. */
const TIMED_OUT = Symbol('timed out');

/**
 * Lambda's Invoke of a version `versions` scripts (`<function>:<qualifier>` -> async (event) =>
 * answer; a throw is a function error, TIMED_OUT a timeout): a handler for the request, or null
 * for another one. `onInvoke` sees each call as { name, qualifier, event }.
 */
function lambdaInvoke(url, versions, onInvoke = () => {}) {
  const parsed = new URL(url, 'http://loopback');
  const path = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(parsed.pathname);
  if (!path) return null;
  const name = decodeURIComponent(path[1]);
  const qualifier = parsed.searchParams.get('Qualifier');
  const version = versions[`${name}:${qualifier}`];
  if (!version) return null;
  const failed = (errorType, errorMessage) => [200, { errorType, errorMessage }, { 'X-Amz-Function-Error': 'Unhandled' }];
  return async (body) => {
    const event = JSON.parse(body || 'null');
    onInvoke({ name, qualifier, event, payload: body });
    try {
      const answer = await version(event);
      if (answer === TIMED_OUT) return failed('Sandbox.Timedout', 'Task timed out after 6.00 seconds');
      return [200, answer, {}];
    } catch (error) {
      return failed(error.name, error.message);
    }
  };
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

/**
 * A Lambda deployment as CodeDeploy plays it, one step per poll of its group
 * (ListDeployments, or a BatchGetDeploymentGroups naming it): BeforeAllowTraffic,
 * `canaryPolls` polls at 10% (forever with `hold`), 100% with AfterAllowTraffic, Succeeded.
 * Until it exists (from the start, or with `startsWithUpdate` once its stack is updated) the
 * group's last deployment is `previous`, which succeeded. Before each step it reads its `alarms` in moto (`alarmsAt`), as CodeDeploy
 * does: one in ALARM stops it. A stop (alarm or StopDeployment) starts the rollback deployment
 * `<id>R` (unless `autoRollback: false`), which succeeds on the next poll. Faults on request:
 * `failAfterPolls` polls after it begins, polling its group is throttled; with `hangs`, its
 * group's ListDeployments is never answered; with `failsUpdate`, its stack update fails at once.
 * With `beforeAllowTraffic`, it calls that hook as CodeDeploy calls a hook function, and waits
 * for its PutLifecycleEventHookExecutionStatus: anything but Succeeded fails the deployment
 * before any traffic moves. `functionName` is what its Lambda target names; `followed: false`
 * says nobody polls it while its stack updates. With `shiftAge`,
 * the shift is reported as begun that many seconds before each answer, so the time left a
 * reader computes depends on the type and that age only, not on how long the test took.
 */
function playDeployment({ group, id, previous, alarms = [], alarmsAt, startsWithUpdate = false, canaryPolls = 2, hold = false, autoRollback = true, failAfterPolls = Infinity, hangs = false, failsUpdate = false, config: scriptedConfig = 'CodeDeployDefault.LambdaCanary10Percent5Minutes', oldVersion = '1', newVersion = '2', functionName, beforeAllowTraffic, shiftAge, followed = true }) {
  let config = scriptedConfig;
  // CodeDeploy reads the group's alarms only while its alarm configuration is enabled.
  let alarmsOn = true;
  const stepsOf = (name) => ['before', ...Array(name === 'CodeDeployDefault.LambdaAllAtOnce' ? 0 : canaryPolls).fill('canary'), 'after', 'succeeded'];
  let steps = stepsOf(config);
  const seconds = () => Math.floor(Date.now() / 1000);
  const rollbackId = `${id}R`;
  let begun = !startsWithUpdate;
  let created = seconds();
  let polls = 0;
  let pollsSinceBegin = 0;
  let lastPolled = Date.now();
  let step = -1;
  let shiftStarted = null;
  let ended = null;
  let rollback = null;
  // The BeforeAllowTraffic hook's report, once it has run: `Succeeded` or `Failed`.
  let hookStatus = null;
  const phase = () => (ended ? ended.status : steps[Math.max(step, 0)]);
  // When the shift began, as this answer tells it (seconds since the epoch, as CodeDeploy).
  const shiftStart = () => (shiftAge !== undefined && shiftStarted !== null ? seconds() - shiftAge : shiftStarted || created);

  async function firing() {
    const names = [];
    for (const name of alarms) {
      const xml = await query(alarmsAt, 'monitoring', { Action: 'DescribeAlarms', Version: '2010-08-01', 'AlarmNames.member.1': name });
      if (/<StateValue>ALARM<\/StateValue>/.test(xml)) names.push(name);
    }
    return names;
  }

  function end(status, error) {
    ended = { status, error };
    if (status !== 'Succeeded' && autoRollback) rollback = { status: 'InProgress', created: seconds() };
  }

  async function advance() {
    if (rollback && rollback.status === 'InProgress') rollback.status = 'Succeeded';
    if (ended) return;
    const fired = alarmsAt && alarmsOn ? await firing() : [];
    if (fired.length) {
      return end('Stopped', {
        code: 'ALARM_ACTIVE',
        message: `One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: ${fired.map((n) => `<${n}>`).join(' ')}`,
      });
    }
    if (steps[step] === 'before' && beforeAllowTraffic && hookStatus === null) {
      // CodeDeploy invokes the hook and waits for its report before any traffic moves.
      await beforeAllowTraffic({ DeploymentId: id, LifecycleEventHookExecutionId: `${id}-before` });
      if (hookStatus !== 'Succeeded') {
        return end('Failed', {
          code: 'HOOK_EXECUTION_FAILURE',
          message: 'The deployment failed because a specified lifecycle event hook failed (BeforeAllowTraffic).',
        });
      }
    }
    const holding = hold && steps[step] === 'canary';
    if (!holding && step < steps.length - 1) step += 1;
    if (steps[step] === 'canary' && shiftStarted === null) shiftStarted = seconds();
    if (steps[step] === 'succeeded') end('Succeeded');
  }

  const events = () => {
    const p = phase();
    if (p === 'Stopped') return [['BeforeAllowTraffic', 'Succeeded'], ['AllowTraffic', 'Failed'], ['AfterAllowTraffic', 'Skipped']];
    if (p === 'Failed') return [['BeforeAllowTraffic', 'Failed'], ['AllowTraffic', 'Skipped'], ['AfterAllowTraffic', 'Skipped']];
    const at = { before: 0, canary: 1, after: 2, Succeeded: 3 }[p];
    return ['BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic'].map((name, i) => [name, i < at ? 'Succeeded' : i === at ? 'InProgress' : 'Pending']);
  };
  const succeededEvents = [['BeforeAllowTraffic', 'Succeeded'], ['AllowTraffic', 'Succeeded'], ['AfterAllowTraffic', 'Succeeded']];

  return {
    group,
    id,
    startsWithUpdate,
    followed,
    hangs,
    failsUpdate,
    polls: () => polls,
    lastPolled: () => lastPolled,
    knows: (asked) => [previous, id, rollback && rollbackId].includes(asked),
    /** The group as the stack update left it: its config (when named) and its alarms. */
    configure(updated) {
      if (updated.config) config = updated.config;
      alarmsOn = updated.alarmsOn;
      steps = stepsOf(config);
    },
    begin() {
      begun = true;
      created = seconds();
      lastPolled = Date.now();
    },
    settled: () => Boolean(ended) && (!rollback || rollback.status !== 'InProgress'),
    succeeded: () => Boolean(ended) && ended.status === 'Succeeded',
    failing: () => pollsSinceBegin >= failAfterPolls,
    hookStatus: () => hookStatus,
    hookReported(_executionId, status) {
      hookStatus = status;
    },
    async listUnfinished() {
      polls += 1;
      lastPolled = Date.now();
      if (!begun) return [];
      pollsSinceBegin += 1;
      await advance();
      if (rollback && rollback.status === 'InProgress') return [rollbackId];
      return ended ? [] : [id];
    },
    groupInfo() {
      const last = rollback ? rollbackId : begun ? id : previous;
      return last ? { lastAttemptedDeployment: { deploymentId: last } } : {};
    },
    info(asked) {
      if (asked === previous) return { deploymentId: previous, status: 'Succeeded', deploymentConfigName: config, createTime: created - 3600, completeTime: created - 3000 };
      if (asked === rollbackId) {
        return { deploymentId: rollbackId, status: rollback.status, deploymentConfigName: config, createTime: rollback.created, creator: 'codeDeployRollback', rollbackInfo: { rollbackTriggeringDeploymentId: id } };
      }
      const info = { deploymentId: id, deploymentGroupName: group, status: ended ? ended.status : 'InProgress', deploymentConfigName: config, createTime: created };
      if (ended && ended.error) info.errorInformation = ended.error;
      if (rollback) info.rollbackInfo = { rollbackDeploymentId: rollbackId };
      return info;
    },
    target(asked) {
      const old = asked === previous;
      const weight = old ? 1 : { canary: 0.1, after: 1, Succeeded: 1 }[phase()] || 0;
      return {
        deploymentId: asked,
        targetId: 'alias-target',
        status: old ? 'Succeeded' : 'InProgress',
        lastUpdatedAt: created,
        lifecycleEvents: (old ? succeededEvents : events()).map(([lifecycleEventName, status]) => ({
          lifecycleEventName,
          status,
          startTime: lifecycleEventName === 'AllowTraffic' && !old ? shiftStart() : created,
        })),
        lambdaFunctionInfo: { functionName, functionAlias: 'Live', currentVersion: old ? '0' : oldVersion, targetVersion: old ? oldVersion : newVersion, targetVersionWeight: weight },
      };
    },
    stop() {
      if (!ended) end('Stopped', { code: 'MANUAL_STOP', message: 'The deployment was stopped by a user' });
    },
  };
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

module.exports = { startMoto, startScriptedCodeDeploy, createStack, query, json, putAlarm, unreachableEndpoint, lambdaInvoke, TIMED_OUT };
