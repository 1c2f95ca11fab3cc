'use strict';

// Follows the canary deployments of a deployed stage by polling the core's `deploymentStatus`:
// a live line per function in the Framework's progress display, a log line each time a
// deployment moves (a hook, a traffic step, an alarm, a rollback), and its final line when it
// ends. The core says what each deployment is and how it reads; this file only keeps time.

const { call } = require('./native.js');
const { PREFIX } = require('./logger.js');

const DEFAULT_INTERVAL_SECONDS = 5;
/** `canary:status --watch` gives up after this many polls in a row that could not reach AWS. */
const MAX_FAILED_POLLS = 3;
/** The deploy waits at most this long for the progress's first look, and for its last. */
const DEPLOY_WAIT_MS = 5000;

/** Outcomes that end a deployment for good; `inProgress` and `rollingBack` still move. */
const FINAL = new Set(['none', 'succeeded', 'rolledBack', 'stopped']);
/** Outcomes that leave the new version without all the traffic. */
const FAILED = new Set(['rolledBack', 'stopped']);

/** Seconds between polls as milliseconds: `given`, else SLS_CANARY_POLL_INTERVAL, else 5. */
function pollIntervalMs(given) {
  const text = given != null ? given : process.env.SLS_CANARY_POLL_INTERVAL;
  if (text == null || text === '') return DEFAULT_INTERVAL_SECONDS * 1000;
  const seconds = Number(text);
  if (!(seconds >= 0.1 && seconds <= 3600)) {
    throw new Error(`the poll interval \`${text}\` is not a number of seconds from 0.1 to 3600 (--interval, SLS_CANARY_POLL_INTERVAL)`);
  }
  return seconds * 1000;
}

const errorsOf = (report) => report.diagnostics.filter((d) => d.severity === 'error');

/**
 * A function that reads the status, each time anew. What cannot change (deployments that have
 * ended, the stack's resources, the configs) is handed by each poll to the next, which then
 * asks AWS only about the rest: a poll costs calls per deployment in progress, not per
 * function. The core alone reads what it hands on.
 * @returns {(options?: { firstLook?: boolean }) => Promise<Omit<import('./native-answers').StatusReport, 'memory'>>}
 */
function statusPoller(input) {
  let memory = {};
  return async (options = {}) => {
    const { memory: handedOn, ...report } = await call('deploymentStatus', { ...input, ...options, memory });
    if (errorsOf(report).length === 0) memory = handedOn;
    return report;
  };
}

const fetchStatus = (input) => statusPoller(input)();

/** Everything that makes a function's line worth logging again: all but the clock. */
function stateKey(status) {
  const { deployment: d, rollback } = status;
  const traffic = d && d.traffic ? Math.round(d.traffic.newPercent) : null;
  const hooks = d ? d.hooks.map((h) => h.status) : [];
  return JSON.stringify([status.outcome, d && d.id, d && d.status, traffic, hooks, rollback, status.alarms.map((a) => a.state)]);
}

/** The lines of a set of functions: logged when they change, live in the progress display. */
class Lines {
  constructor(progress, say) {
    this.progress = progress;
    this.say = say;
    this.keys = new Map();
    this.items = new Map();
  }

  show(status) {
    const key = stateKey(status);
    if (this.keys.get(status.function) !== key) {
      this.keys.set(status.function, key);
      this.say(status.summary);
    }
    if (FINAL.has(status.outcome)) return this.clear(status.function);
    if (!this.items.has(status.function)) {
      this.items.set(status.function, this.progress.get(`serverless-canary-${status.function}`));
    }
    this.items.get(status.function).notice(`${PREFIX}${status.summary}`);
  }

  clear(name) {
    const item = this.items.get(name);
    if (item) item.remove();
    this.items.delete(name);
  }

  clearAll() {
    for (const name of [...this.items.keys()]) this.clear(name);
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** A pause that never keeps the process alive, and that `wake` ends early. */
function pause(ms) {
  let wake;
  const done = new Promise((resolve) => {
    wake = resolve;
    setTimeout(resolve, ms).unref();
  });
  return { done, wake };
}
/** `promise`, or null after `ms`, without keeping the process alive. */
const within = (promise, ms) => Promise.race([promise, pause(ms).done.then(() => null)]);

/**
 * `sls canary:status --watch`: polls until every deployment has ended and resolves with the
 * last report. A poll that cannot reach AWS is warned about and retried, MAX_FAILED_POLLS in
 * a row end the watch; any other problem (no stack, bad settings) ends it at once. `poll`
 * reads the status; the stage's, through the core, unless another source is given.
 */
async function watch({ input, intervalMs, progress, say, warn, poll = statusPoller(input) }) {
  const lines = new Lines(progress, say);
  let failed = 0;
  try {
    for (;;) {
      const report = await poll();
      const errors = errorsOf(report);
      if (errors.length) {
        failed += 1;
        const retryable = errors.every((d) => d.code === 'aws-unavailable');
        if (!retryable || failed >= MAX_FAILED_POLLS) return report;
        for (const d of errors) warn(`${d.rendered} (poll ${failed} of ${MAX_FAILED_POLLS}, retrying)`);
      } else {
        failed = 0;
        for (const status of report.functions) lines.show(status);
        if (report.functions.every((status) => FINAL.has(status.outcome))) return report;
      }
      await sleep(intervalMs);
    }
  } finally {
    lines.clearAll();
  }
}

/**
 * The deploy's live progress: started before CloudFormation updates the stack, it reports the
 * deployments that start after that moment and ends with a final line per function. Its own
 * problems are one warning and the end of the progress, never of the deploy: its timers do not
 * keep the process alive, and the deploy waits for it at most DEPLOY_WAIT_MS at the start and
 * at the end.
 */
class DeployProgress {
  /** `fetch` reads the status; the stage's, through the core, unless another source is given. */
  constructor({ input, intervalMs, progress, say, info, warn, fetch = statusPoller(input) }) {
    Object.assign(this, { intervalMs, say, info, warn, fetch });
    this.lines = new Lines(progress, say);
    this.before = null;
    this.ended = new Set();
    this.firstReleases = new Set();
    this.stopped = false;
    this.disabled = false;
    this.finishing = false;
    this.running = null;
    this.wake = () => {};
  }

  /**
   * Notes each function's deployment as it stands, then polls in the background. A first look
   * that takes too long could see the new deployment as the old one: progress is off then.
   */
  async start() {
    // It only needs each group's deployment: the old ones are never shown.
    const baseline = this.poll({ firstLook: true }).then((report) => {
      if (this.stopped) return null;
      this.before = new Map((report ? report.functions : []).map((s) => [s.function, s.deployment && s.deployment.id]));
      // An alias this deploy creates starts on the new version: nothing shifts, say so now.
      for (const first of report ? report.firstReleases : []) {
        this.firstReleases.add(first.function);
        this.say(first.line);
      }
      // No canaried function in this stage, or no application yet (the first deploy with
      // canaries creates the aliases, which runs no deployment): nothing to follow.
      if (report && report.functions.length === 0) this.stopped = true;
      return report;
    });
    this.running = baseline
      .then((report) => report && this.loop())
      .catch((error) => this.disable(error.message));
    const answered = await within(baseline.then(() => true), DEPLOY_WAIT_MS);
    if (!answered) this.disable(`AWS did not answer within ${DEPLOY_WAIT_MS / 1000} s`);
  }

  async loop() {
    while (!this.stopped) {
      const wait = pause(this.intervalMs);
      this.wake = wait.wake;
      await wait.done;
      if (this.stopped) return;
      const report = await this.poll();
      // `finish` may have had its last look while this poll was out.
      if (!report || this.stopped) return;
      this.show(report);
    }
  }

  /** After the stack update, or its failure: one last look, and the final line of each. */
  async finish({ failed = false } = {}) {
    if (this.stopped) return;
    this.stopped = true;
    this.finishing = true;
    this.wake();
    const last = await within(
      (async () => {
        await this.running;
        return this.before && !this.disabled ? this.poll() : null;
      })(),
      DEPLOY_WAIT_MS
    );
    if (last) {
      this.show(last);
      for (const status of last.functions) {
        if (!this.isNew(status) && !failed && !this.firstReleases.has(status.function)) {
          this.info(`${status.function}: no deployment ran, so traffic did not move (the version is unchanged)`);
        }
      }
    }
    this.lines.clearAll();
  }

  show(report) {
    for (const status of report.functions) {
      if (!this.isNew(status) || this.ended.has(status.function)) continue;
      this.lines.show(status);
      if (FINAL.has(status.outcome)) this.ended.add(status.function);
    }
  }

  /** A deployment that started during this deploy. */
  isNew(status) {
    return Boolean(status.deployment) && status.deployment.id !== this.before.get(status.function);
  }

  /** The report, or null once a problem has been warned about and progress has stopped. */
  async poll(options) {
    if (this.disabled) return null;
    try {
      const report = await this.fetch(options);
      // Before the first deploy with canaries there is no application yet: nothing to follow.
      const problems = errorsOf(report).filter((d) => d.code !== 'stack-not-deployed');
      if (problems.length === 0) return report;
      this.disable(problems.map((d) => d.rendered).join('; '));
    } catch (error) {
      this.disable(error.message);
    }
    return null;
  }

  disable(reason) {
    if (this.disabled) return;
    this.disabled = true;
    this.stopped = true;
    this.lines.clearAll();
    // Once the deploy is over, a late problem is not news.
    if (this.finishing) return;
    this.warn(`canary progress stopped (${reason}); the deploy goes on, and \`serverless canary:status\` shows where it stands`);
  }
}

module.exports = { fetchStatus, statusPoller, watch, DeployProgress, pollIntervalMs, FAILED, MAX_FAILED_POLLS, DEPLOY_WAIT_MS };
