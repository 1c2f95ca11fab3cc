'use strict';

// Follows the canary deployments of a deployed stage by polling the core's `deploymentStatus`:
// a live line per function in the Framework's progress display, a log line each time a
// deployment moves (a hook, a traffic step, an alarm), and its final line when it ends. The
// core says what each deployment is and how it reads; this file only keeps time.

const { deploymentStatus } = require('../binding.js');

const DEFAULT_INTERVAL_SECONDS = 5;
/** `canary:status --watch` gives up after this many failed polls in a row. */
const MAX_FAILED_POLLS = 3;
/** A deploy never waits longer than this for its last look at the deployments. */
const FINAL_POLL_TIMEOUT_MS = 15000;

/** Seconds between polls: `given`, else SLS_CANARY_POLL_INTERVAL, else 5; at least 0.1. */
function pollIntervalMs(given) {
  const seconds = Number(given || process.env.SLS_CANARY_POLL_INTERVAL || DEFAULT_INTERVAL_SECONDS);
  return Math.max(Number.isFinite(seconds) ? seconds : DEFAULT_INTERVAL_SECONDS, 0.1) * 1000;
}

async function fetchStatus(input) {
  return JSON.parse(await deploymentStatus(JSON.stringify(input)));
}

const errorsOf = (report) => report.diagnostics.filter((d) => d.severity === 'error');

/** Everything that makes a function's line worth logging again: all but the clock. */
function stateKey(status) {
  const { deployment: d } = status;
  const traffic = d && d.traffic ? Math.round(d.traffic.newPercent) : null;
  const hooks = d ? d.hooks.map((h) => h.status) : [];
  return JSON.stringify([status.outcome, d && d.id, d && d.status, traffic, hooks, status.alarms.map((a) => a.state)]);
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
    if (status.outcome === 'inProgress') {
      if (!this.items.has(status.function)) {
        this.items.set(status.function, this.progress.get(`serverless-canary-${status.function}`));
      }
      this.items.get(status.function).notice(`serverless-canary: ${status.summary}`);
    } else {
      this.clear(status.function);
    }
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

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * `sls canary:status --watch`: polls until no deployment is in progress and resolves with the
 * last report. A failed poll is warned about and retried; MAX_FAILED_POLLS in a row end it
 * with that report.
 */
async function watch({ input, intervalMs, progress, say, warn }) {
  const lines = new Lines(progress, say);
  let failed = 0;
  try {
    for (;;) {
      const report = await fetchStatus(input);
      if (errorsOf(report).length) {
        failed += 1;
        if (failed >= MAX_FAILED_POLLS || !retryable(report)) return report;
        for (const d of errorsOf(report)) warn(`${d.rendered} (poll ${failed} of ${MAX_FAILED_POLLS}, retrying)`);
      } else {
        failed = 0;
        for (const status of report.functions) lines.show(status);
        if (report.functions.every((status) => status.outcome !== 'inProgress')) return report;
      }
      await sleep(intervalMs);
    }
  } finally {
    lines.clearAll();
  }
}

/** A problem a later poll may not have: AWS unreachable, throttled. Not a missing stack. */
const retryable = (report) => errorsOf(report).every((d) => d.code === 'aws-unavailable');

/**
 * The deploy's live progress: started before CloudFormation updates the stack, it reports the
 * deployments that start after that moment and ends with a final line per function. Its own
 * problems are one warning and the end of the progress, never of the deploy: its timers do
 * not keep the process alive, and `finish` waits a bounded time.
 */
class DeployProgress {
  constructor({ input, intervalMs, progress, say, info, warn }) {
    Object.assign(this, { input, intervalMs, say, info, warn });
    this.lines = new Lines(progress, say);
    this.before = new Map();
    this.ended = new Set();
    this.stopped = false;
    this.disabled = false;
    this.polling = null;
  }

  /** Notes each function's deployment as it stands, then polls in the background. */
  async start() {
    const report = await this.poll();
    if (!report) return;
    for (const status of report.functions) this.before.set(status.function, status.deployment && status.deployment.id);
    this.polling = this.loop();
  }

  async loop() {
    while (!this.stopped) {
      await new Promise((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, this.intervalMs).unref();
      });
      if (this.stopped) return;
      const report = await this.poll();
      if (!report) return;
      this.show(report);
    }
  }

  /** After the stack update (or its failure): one last look, and the final line of each. */
  async finish({ failed = false } = {}) {
    if (this.stopped) return;
    this.stopped = true;
    if (this.wake) this.wake();
    await this.polling;
    const last = await Promise.race([this.poll(), sleep(FINAL_POLL_TIMEOUT_MS).then(() => null)]);
    if (last) {
      this.show(last);
      for (const status of last.functions) {
        if (!this.isNew(status) && !failed) this.info(`${status.function}: no deployment ran, so traffic did not move (the version is unchanged, or the alias is new)`);
      }
    }
    this.lines.clearAll();
  }

  show(report) {
    for (const status of report.functions) {
      if (!this.isNew(status) || this.ended.has(status.function)) continue;
      this.lines.show(status);
      if (status.outcome !== 'inProgress') this.ended.add(status.function);
    }
  }

  /** A deployment that started during this deploy. */
  isNew(status) {
    return Boolean(status.deployment) && status.deployment.id !== this.before.get(status.function);
  }

  /** The report, or null once a problem has been warned about and progress has stopped. */
  async poll() {
    if (this.disabled) return null;
    try {
      const report = await fetchStatus(this.input);
      // Before the first deploy with canaries there is no application yet: nothing to follow.
      const problems = errorsOf(report).filter((d) => d.code !== 'stack-not-deployed');
      if (problems.length === 0) return report;
      this.stop(problems.map((d) => d.rendered).join('; '));
    } catch (error) {
      this.stop(error.message);
    }
    return null;
  }

  stop(reason) {
    this.disabled = true;
    this.stopped = true;
    this.lines.clearAll();
    this.warn(`canary progress stopped (${reason}); the deploy goes on, and \`serverless canary:status\` shows where it stands`);
  }
}

module.exports = { fetchStatus, watch, DeployProgress, pollIntervalMs };
