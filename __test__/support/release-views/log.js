'use strict';

// What `serverless package` prints about each canaried function: its summary line at the default
// level (alarm counts, hook functions, smoke tests, the traffic guard's minimum) and, with
// --canary-bypass, its canary-bypassed warning (the alarms left out, which hooks run).

const SUMMARY = /^serverless-canary: ([\w-]+): .+ through alias `[^`]+` \(\w+, (.*)\)$/;
const BYPASS_WARNING = /^Warning: serverless-canary: .*warning\[canary-bypassed\] functions\.([\w-]+)\.deploymentSettings: (.*)$/;

/** `no alarms`, `1 alarm`, `3 alarms` at the start of `text`; 0 when it starts otherwise. */
function leadingCount(text, what) {
  const match = new RegExp(`^(no|\\d+) ${what}s?\\b`).exec(text);
  return !match || match[1] === 'no' ? 0 : Number(match[1]);
}

/**
 * Function name -> { hooks: [{ kind, detail }], attachedAlarms, canaryAlarms } from each summary
 * line, e.g. `(WebLambdaFunctionDeploymentGroup, 2 alarms, 2 canary alarms in the stack's
 * composite (comparing it with the old version), smoke test: home, at least 40 invocations)`.
 */
function summaryView(output) {
  const view = new Map();
  for (const [, name, extras] of output.split('\n').map((line) => SUMMARY.exec(line)).filter(Boolean)) {
    const canary = /(?:^|, )(\d+) canary alarms? in the stack's composite/.exec(extras);
    const userHooks = /, hooks: (.+?)(?=, smoke test: |, at least \d+ invocations$|$)/.exec(extras);
    const smokeTests = /, smoke test: (.+?)(?=, at least \d+ invocations$|$)/.exec(extras);
    const guard = /, at least (\d+) invocations$/.exec(extras);
    const hooks = [
      ...(userHooks ? userHooks[1].split(', ').map((detail) => ({ kind: 'function', detail })) : []),
      ...(smokeTests ? [{ kind: 'smoke test', detail: smokeTests[1] }] : []),
      ...(guard ? [{ kind: 'traffic guard', detail: guard[1] }] : []),
    ];
    view.set(name, { hooks, attachedAlarms: leadingCount(extras, 'alarm'), canaryAlarms: canary ? Number(canary[1]) : 0 });
  }
  return view;
}

/**
 * Function name -> { hooks: [{ kind, detail, active }], alarms: [names] } from each
 * canary-bypassed warning. It names hook functions; the smoke test and traffic guard only by kind.
 */
function bypassWarningView(output) {
  const view = new Map();
  for (const [, name, message] of output.split('\n').map((line) => BYPASS_WARNING.exec(line)).filter(Boolean)) {
    const alarms = /its alarms \((.*?)\) are not consulted/.exec(message);
    const hooks = [];
    const userHooks = /its hooks (run|are skipped) \((.*?)\)/.exec(message);
    if (userHooks) for (const detail of userHooks[2].split(', ')) hooks.push({ kind: 'function', detail, active: userHooks[1] === 'run' });
    const smokeTest = /its smoke test (runs|is skipped)/.exec(message);
    if (smokeTest) hooks.push({ kind: 'smoke test', active: smokeTest[1] === 'runs' });
    if (/its traffic guard is off/.test(message)) hooks.push({ kind: 'traffic guard', active: false });
    view.set(name, { hooks, alarms: alarms ? alarms[1].split(', ') : [] });
  }
  return view;
}

module.exports = { summaryView, bypassWarningView };
