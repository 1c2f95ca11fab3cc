'use strict';

// lib/follow.js's own rules, with the status source and the clock in the test's hands (no
// AWS, no wall clock): `--watch` ends after MAX_FAILED_POLLS unreachable polls in a row, and
// the deploy waits for its progress at most DEPLOY_WAIT_MS at the start and at the end.

const { describe, test, mock, afterEach } = require('node:test');
const assert = require('node:assert/strict');

const { watch, DeployProgress, MAX_FAILED_POLLS, DEPLOY_WAIT_MS } = require('../lib/follow.js');

const quietProgress = { get: () => ({ notice() {}, remove() {} }) };
const unreachable = { functions: [], diagnostics: [{ severity: 'error', code: 'aws-unavailable', rendered: 'error[aws-unavailable] cannot reach AWS' }] };
const noStack = { functions: [], diagnostics: [{ severity: 'error', code: 'stack-not-deployed', rendered: 'error[stack-not-deployed] no stack' }] };
const status = (outcome, id = 'd-NEW') => ({
  function: 'hello',
  outcome,
  summary: `hello: ${outcome}`,
  deployment: { id, status: outcome, hooks: [] },
  alarms: [],
});
const report = (outcome) => ({ functions: [status(outcome)], diagnostics: [], firstReleases: [] });

/** A poller answering `answers` in turn, counting its calls. */
function scripted(answers) {
  const poll = async () => {
    poll.calls += 1;
    return answers[Math.min(poll.calls - 1, answers.length - 1)];
  };
  poll.calls = 0;
  return poll;
}

describe('canary:status --watch', () => {
  const run = (poll) => {
    const warned = [];
    const said = [];
    const ended = watch({ input: {}, intervalMs: 0, progress: quietProgress, say: (l) => said.push(l), warn: (l) => warned.push(l), poll });
    return ended.then((last) => ({ last, warned, said }));
  };

  test(`${MAX_FAILED_POLLS} unreachable polls in a row end it, each but the last warned`, async () => {
    const poll = scripted([unreachable]);
    const { last, warned } = await run(poll);
    assert.equal(MAX_FAILED_POLLS, 3);
    assert.equal(poll.calls, 3);
    assert.equal(last, unreachable);
    assert.deepEqual(warned, ['error[aws-unavailable] cannot reach AWS (poll 1 of 3, retrying)', 'error[aws-unavailable] cannot reach AWS (poll 2 of 3, retrying)']);
  });

  test('a poll that answers starts the count again', async () => {
    const poll = scripted([unreachable, unreachable, report('inProgress'), unreachable, unreachable, report('succeeded')]);
    const { last, warned, said } = await run(poll);
    assert.equal(poll.calls, 6);
    assert.equal(last.functions[0].outcome, 'succeeded');
    assert.equal(warned.length, 4);
    assert.deepEqual(said, ['hello: inProgress', 'hello: succeeded']);
  });

  test('any other problem ends it at once', async () => {
    const poll = scripted([noStack]);
    const { last, warned } = await run(poll);
    assert.equal(poll.calls, 1);
    assert.equal(last, noStack);
    assert.deepEqual(warned, []);
  });
});

describe('the deploy waits for its progress at most DEPLOY_WAIT_MS', () => {
  afterEach(() => mock.timers.reset());

  /** Lets every settled promise run its callbacks. */
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  function progressWith(fetch) {
    const warned = [];
    const progress = new DeployProgress({ input: {}, intervalMs: 60_000, progress: quietProgress, say() {}, info() {}, warn: (l) => warned.push(l), fetch });
    return { progress, warned };
  }

  /** Whether `promise` has settled by now. */
  async function settled(promise) {
    let done = false;
    promise.then(() => {
      done = true;
    });
    await settle();
    return done;
  }

  test('at the start: a first look that never answers turns progress off after 5 s', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    assert.equal(DEPLOY_WAIT_MS, 5000);
    const { progress, warned } = progressWith(() => new Promise(() => {}));
    const started = progress.start();
    mock.timers.tick(DEPLOY_WAIT_MS - 1);
    assert.equal(await settled(started), false, 'still waiting at 4.999 s');
    mock.timers.tick(1);
    assert.equal(await settled(started), true, 'done at 5 s');
    assert.equal(warned.length, 1);
    assert.match(warned[0], /AWS did not answer within 5 s/);
  });

  test('after the stack update: a last look that never answers is given up after 5 s, silently', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    let calls = 0;
    const fetch = () => {
      calls += 1;
      // The first look answers; every poll after it hangs.
      return calls === 1 ? Promise.resolve(report('succeeded')) : new Promise(() => {});
    };
    const { progress, warned } = progressWith(fetch);
    await progress.start();
    const finished = progress.finish();
    mock.timers.tick(DEPLOY_WAIT_MS - 1);
    assert.equal(await settled(finished), false, 'still waiting at 4.999 s');
    mock.timers.tick(1);
    assert.equal(await settled(finished), true, 'done at 5 s');
    assert.equal(calls, 2, 'the last look was asked for');
    assert.deepEqual(warned, [], 'once the deploy is over, a late problem is not news');
  });
});
