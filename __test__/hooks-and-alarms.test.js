'use strict';

// Issue 30: which hooks run and which alarms a group watches are decided once, so every output
// says the same. fixtures/hooks-and-alarms mixes every kind of hook (the user's pre- and
// post-traffic functions, the generated smoke test and traffic guard) and of alarm (inline, a
// stack alarm by logical ID, one outside the stack by name, canaryAlarms, compareToBaseline).
// It is packaged by the real Framework, and planned with `canary:plan --json`, normally, with
// --canary-bypass and with --canary-bypass --canary-skip-hooks. Each output is read on its own
// (support/release-views/), and for every canaried function the template, the plan, the summary
// lines and the bypass warnings must give the same answer to every question they can answer.

const { describe, test, before } = require('node:test');
const assert = require('node:assert/strict');

const { packageService, runFramework, copyFixture, frameworkEnv } = require('./support/framework');
const { templateView } = require('./support/release-views/template');
const { planView } = require('./support/release-views/plan');
const { summaryView, bypassWarningView } = require('./support/release-views/log');

const FIXTURE = 'hooks-and-alarms';
const STACK = 'hooks-and-alarms-dev';

const MODES = [
  { name: 'normal', args: [], bypass: false, skipHooks: false },
  { name: '--canary-bypass', args: ['--canary-bypass'], bypass: true, skipHooks: false },
  { name: '--canary-bypass --canary-skip-hooks', args: ['--canary-bypass', '--canary-skip-hooks'], bypass: true, skipHooks: true },
];

// What the fixture's settings ask for, per function: [lifecycle event, kind, detail] per hook,
// and each alarm as the plan names it.
const EXPECTED = {
  api: {
    hooks: [
      ['beforeAllowTraffic', 'function', 'preCheck'],
      ['afterAllowTraffic', 'function', 'postCheck'],
    ],
    alarms: ['ApiErrors', 'UserErrorsAlarm', 'UserCompositeAlarm', 'team-api-latency'],
  },
  web: {
    hooks: [
      ['beforeAllowTraffic', 'smoke test', 'home, smokeTest[1]'],
      ['afterAllowTraffic', 'traffic guard', '40'],
    ],
    alarms: ['compareToBaseline.errorRate', 'compareToBaseline.p99Ratio', 'canaryAlarms errors', 'canaryAlarms duration', 'canaryAlarms of worker'],
  },
  worker: {
    hooks: [
      ['beforeAllowTraffic', 'function', 'preCheck'],
      ['afterAllowTraffic', 'traffic guard', '20'],
    ],
    alarms: ['UserThrottlesAlarm', 'ApiApiErrorsAlarm', 'team-worker-errors', 'canaryAlarms errorrate', 'canaryAlarms of web'],
  },
  report: {
    hooks: [
      ['beforeAllowTraffic', 'smoke test', 'ping'],
      ['afterAllowTraffic', 'function', 'postCheck'],
    ],
    alarms: ['{"Fn::Sub":"${AWS::StackName}-report-latency"}', 'ReportThrottles', 'compareToBaseline.errorRate'],
  },
  quiet: { hooks: [], alarms: [] },
};

/** Whether a hook of `kind` runs in `mode`: the bypass turns the traffic guard, a canary check, off. */
const runsIn = (mode, kind) => !mode.skipHooks && !(mode.bypass && kind === 'traffic guard');

const sorted = (list) => [...list].sort();
const full = (hook) => `${hook.kind} ${hook.detail}`;
// The bypass warning names the smoke test and the traffic guard by kind only.
const byKind = (hook) => (hook.kind === 'function' ? full(hook) : hook.kind);
// The summary counts a function's own canary alarms; the plan also names the functions sharing
// their composite.
const SHARED = 'canaryAlarms of ';
const counts = (names) => {
  const own = names.filter((name) => name.startsWith('canaryAlarms ') && !name.startsWith(SHARED)).length;
  const attached = names.filter((name) => !name.startsWith('canaryAlarms ')).length;
  return `${attached} attached, ${own} in the canary composite`;
};

/**
 * Each question, and what each output answers to it about one function (undefined: that output
 * cannot say): the template's, the plan's, the summary line's and, with --canary-bypass, the
 * canary-bypassed warning's view of the function.
 */
function answers(mode, { template, plan, summary, warning }) {
  const running = (hooks) => hooks.filter((hook) => hook.active);
  const skipped = (hooks) => hooks.filter((hook) => !hook.active);
  // Without the bypass the log says nothing more: every hook configured runs, every alarm is consulted.
  const summaryHooks = mode.bypass ? undefined : summary.hooks;
  const summaryTotal = summary.attachedAlarms + summary.canaryAlarms;
  return {
    'hooks on the alias, by lifecycle event': {
      template: sorted(template.hooks.map((hook) => `${hook.when}: ${full(hook)}`)),
      plan: sorted(running(plan.hooks).map((hook) => `${hook.when}: ${full(hook)}`)),
    },
    'hooks configured': {
      template: mode.bypass ? undefined : sorted(template.hooks.map(full)),
      plan: sorted(plan.hooks.map(full)),
      summary: sorted(summary.hooks.map(full)),
    },
    'hooks that run': {
      template: sorted(template.hooks.map(byKind)),
      plan: sorted(running(plan.hooks).map(byKind)),
      summary: summaryHooks && sorted(summaryHooks.map(byKind)),
      warning: warning && sorted(running(warning.hooks).map(byKind)),
    },
    'hooks skipped': {
      plan: sorted(skipped(plan.hooks).map(byKind)),
      summary: summaryHooks && [],
      warning: warning && sorted(skipped(warning.hooks).map(byKind)),
    },
    'alarms the group watches': {
      template: sorted(template.alarms.map((alarm) => alarm.name)),
      plan: sorted(plan.alarms.map((alarm) => alarm.name)),
    },
    'alarms as the bypass warning lists them': {
      template: sorted(template.alarms.map((alarm) => alarm.name)),
      plan: sorted(plan.alarms.map((alarm) => alarm.name)),
      warning: warning && sorted(warning.alarms),
    },
    'alarm counts': {
      template: counts(template.alarms.map((alarm) => alarm.name)),
      plan: counts(plan.alarms.map((alarm) => alarm.name)),
      summary: `${summary.attachedAlarms} attached, ${summary.canaryAlarms} in the canary composite`,
    },
    'alarms consulted': {
      template: template.consulted,
      plan: plan.consulted,
      // The package log: a canary-bypassed warning says they are not.
      log: summaryTotal === 0 ? 'no alarms' : !warning,
    },
  };
}

/** Fails naming the two outputs that disagree, and what each says. */
function assertAgree(where, question, bySide) {
  const said = Object.entries(bySide).filter(([, answer]) => answer !== undefined);
  assert.ok(said.length >= 2, `${where}: ${question}: fewer than two outputs answer`);
  const [[first, answer], ...others] = said;
  for (const [side, other] of others) {
    assert.deepEqual(other, answer, `${where}: ${question}: ${side} says ${JSON.stringify(other)}, ${first} says ${JSON.stringify(answer)}`);
  }
}

describe('every kind of hook and alarm: the template, canary:plan --json and the package log agree', () => {
  const runs = new Map();
  before(async () => {
    await Promise.all(
      MODES.map(async (mode) => {
        const [packaged, planned] = await Promise.all([
          packageService(FIXTURE, { args: mode.args }),
          runFramework(['canary:plan', '--json', ...mode.args], { cwd: copyFixture(FIXTURE), env: frameworkEnv() }),
        ]);
        assert.equal(packaged.code, 0, packaged.output);
        assert.equal(planned.code, 0, planned.output);
        runs.set(mode.name, {
          template: templateView(packaged.template, STACK),
          plan: planView(JSON.parse(planned.stdout)),
          summary: summaryView(packaged.output),
          warning: mode.bypass ? bypassWarningView(packaged.output) : undefined,
        });
      })
    );
  });

  for (const mode of MODES) {
    test(`${mode.name}: every output names the same canaried functions`, () => {
      const views = runs.get(mode.name);
      const names = Object.keys(EXPECTED).sort();
      assert.deepEqual(sorted(views.template.keys()), names, 'template');
      assert.deepEqual(sorted(views.plan.keys()), names, 'canary:plan --json');
      assert.deepEqual(sorted(views.summary.keys()), names, 'summary lines');
      if (mode.bypass) assert.deepEqual(sorted(views.warning.keys()), names, 'canary-bypassed warnings');
    });

    test(`${mode.name}: for each function, every output names the same hooks and alarms`, () => {
      const views = runs.get(mode.name);
      for (const name of Object.keys(EXPECTED)) {
        const ofFunction = Object.fromEntries(Object.entries(views).map(([side, view]) => [side, view?.get(name)]));
        for (const [question, bySide] of Object.entries(answers(mode, ofFunction))) assertAgree(`${mode.name} ${name}`, question, bySide);
      }
    });

    test(`${mode.name}: each function gets the hooks and alarms its settings ask for`, () => {
      const { plan } = runs.get(mode.name);
      for (const [name, expected] of Object.entries(EXPECTED)) {
        const hooks = plan.get(name).hooks.map((hook) => [hook.when, hook.kind, hook.detail, hook.active]);
        const expectedHooks = expected.hooks.map(([when, kind, detail]) => [when, kind, detail, runsIn(mode, kind)]);
        assert.deepEqual(sorted(hooks), sorted(expectedHooks), `${name}: hooks`);
        const alarms = plan.get(name).alarms.map((alarm) => [alarm.name, alarm.consulted]);
        assert.deepEqual(sorted(alarms), sorted(expected.alarms.map((alarm) => [alarm, !mode.bypass])), `${name}: alarms`);
      }
    });
  }

  // The stack's one canary composite rolls each function with canaryAlarms back on every
  // function's canary alarms (docs/configuration.md, "Canary alarms"): the plan names them all.
  test('the plan names every function whose canary alarms roll a function back', () => {
    const { template, plan } = runs.get('normal');
    for (const name of Object.keys(EXPECTED)) {
      const canary = plan.get(name).alarms.map((alarm) => alarm.name).filter((alarm) => alarm.startsWith('canaryAlarms '));
      const shared = canary.filter((alarm) => alarm.startsWith(SHARED)).flatMap((alarm) => alarm.slice(SHARED.length).split(/, | and /));
      const planned = [...(canary.length ? [name] : []), ...shared];
      const fromTemplate = new Set(template.get(name).rollsBackOnCanary.map((member) => member.split(' ')[0]));
      assert.deepEqual(sorted(planned), sorted(fromTemplate), name);
    }
  });
});
