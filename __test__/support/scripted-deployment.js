'use strict';

// A Lambda deployment as CodeDeploy plays it, step by step, for the scripted CodeDeploy
// endpoint to answer with.

const { query } = require('./moto-server');

/**
 * A Lambda deployment as CodeDeploy plays it, one step per poll: a ListDeployments of its
 * group, or a BatchGetDeployments naming the group's current deployment, which each status
 * poll does once whether or not it asks the group (a rollback is described first in the poll
 * whose step started it, and moves from the next): BeforeAllowTraffic,
 * `canaryPolls` polls at 10% (forever with `hold`), 100% with AfterAllowTraffic, Succeeded.
 * Until it exists (from the start, or with `startsWithUpdate` once its stack is updated) the
 * group's last deployment is `previous`, which succeeded. Before each step it reads its `alarms` in moto (`alarmsAt`), as CodeDeploy
 * does: one in ALARM stops it. A stop (alarm or StopDeployment) starts the rollback deployment
 * `<id>R` (unless `autoRollback: false`), which succeeds on the next poll. Faults on request:
 * `failAfterPolls` polls after it begins, asking about its group and polling it are throttled; with `hangs`, its
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
  // Whether its rollback deployment has been described: the next description polls it.
  let rollbackDescribed = false;
  // The group's last attempted deployment.
  const current = () => (rollback ? rollbackId : begun ? id : previous);
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
    /** A BatchGetDeploymentGroups naming its group: the group was asked about, not polled. */
    asked() {
      lastPolled = Date.now();
    },
    /** Whether a BatchGetDeployments naming `deployment` polls it. */
    polledBy: (deployment) => deployment !== previous && deployment === current() && (deployment !== rollbackId || rollbackDescribed),
    /** A BatchGetDeployments naming `deployment`: a step when it polls. */
    async described(deployment) {
      const polling = this.polledBy(deployment);
      if (deployment === rollbackId) rollbackDescribed = true;
      if (polling) await this.listUnfinished();
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
      const last = current();
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

module.exports = { playDeployment };
