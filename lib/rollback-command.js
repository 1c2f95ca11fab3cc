'use strict';

// `sls canary:rollback`: StopDeployment with automatic rollback on each deployment in progress.

const { call } = require('./native.js');
const { prefixed } = require('./logger.js');
const { deployedInput } = require('./service-input.js');
const { reportProblems } = require('./report-problems.js');

/** @param {InstanceType<import('../index.js')>} plugin the plugin, as index.js built it */
async function rollbackCommand(plugin) {
  const { serverless, options, writeText } = plugin;
  const say = prefixed(writeText);
  /** @type {import('./native-answers').RollbackReport} */
  const report = await call('rollBack', deployedInput(serverless, options));
  for (const stop of report.stopped) {
    const said = stop.message ? `: ${stop.message}` : '';
    say(`${stop.path}: deployment ${stop.deploymentId} stopped with rollback (${stop.status}${said})`);
  }
  reportProblems(plugin, report.diagnostics, 'CANARY_ROLLBACK_FAILED');
}

module.exports = { rollbackCommand };
