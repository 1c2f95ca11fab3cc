'use strict';

// What `canary:plan --json` says each canaried function's deploy runs: functions[].hooks (when,
// runs, active) and functions[].alarms (name, consulted), in the words the other views use.

/** `runs` as a hook descriptor: a function of the service, the smoke test, the traffic guard. */
function described(runs) {
  const user = /^function (.+)$/.exec(runs);
  if (user) return { kind: 'function', detail: user[1] };
  const smoke = /^smoke test (.+)$/.exec(runs);
  if (smoke) return { kind: 'smoke test', detail: smoke[1] };
  const guard = /^traffic guard, at least (\d+) invocations of the new version$/.exec(runs);
  if (guard) return { kind: 'traffic guard', detail: guard[1] };
  return { kind: runs, detail: '' };
}

/** Function name -> { hooks: [{ kind, detail, when, active }], alarms: [{ name, consulted }], consulted }. */
function planView(answer) {
  const view = new Map();
  for (const planned of answer.functions) {
    const hooks = planned.hooks.map(({ when, runs, active }) => ({ ...described(runs), when, active }));
    const alarms = planned.alarms.map(({ name, consulted }) => ({ name, consulted }));
    const consulted = alarms.length ? alarms.every((alarm) => alarm.consulted) : 'no alarms';
    view.set(planned.function, { hooks, alarms, consulted });
  }
  return view;
}

module.exports = { planView };
