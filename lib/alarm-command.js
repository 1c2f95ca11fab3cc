'use strict';

// `sls canary:alarm --state ALARM|OK`: SetAlarmState on every alarm attached to a canaried
// function of the deployed stage, to rehearse a rollback or end the rehearsal.

const { call } = require('./native.js');
const { prefixed } = require('./logger.js');
const { deployedInput } = require('./service-input.js');
const { reportProblems } = require('./report-problems.js');

/** @param {InstanceType<import('../index.js')>} plugin the plugin, as index.js built it */
async function alarmCommand(plugin) {
  const { serverless, options, writeText } = plugin;
  const { state, reason } = options;
  const say = prefixed(writeText);
  /** @type {import('./native-answers').AlarmReport} */
  const report = await call('setAlarmState', { ...deployedInput(serverless, options), state, reason });
  for (const alarm of report.set) say(`alarm ${alarm.name} is now ${state} (${alarm.path})`);
  if (report.set.length === 0 && report.diagnostics.length === 0) {
    say('no alarm is attached to a canaried function in this stage');
  }
  reportProblems(plugin, report.diagnostics, 'CANARY_ALARM_FAILED');
}

module.exports = { alarmCommand };
