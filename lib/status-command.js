'use strict';

// `sls canary:status [--watch] [--json]`: prints each canaried function's deployment as it
// stands, or follows them to their end, and fails when one did not succeed.

const { fetchStatus, watch, pollIntervalMs, FAILED } = require('./follow.js');
const { PREFIX, prefixed } = require('./logger.js');
const { deployedInput } = require('./service-input.js');
const { reportProblems } = require('./report-problems.js');

/** @param {InstanceType<import('../index.js')>} plugin the plugin, as index.js built it */
async function statusCommand(plugin) {
  const { serverless, options, log } = plugin;
  const { diagnostics, failed } = await showStatus({
    input: deployedInput(serverless, options),
    options,
    progress: plugin.progress,
    writeText: plugin.writeText,
    warn: log.warning,
  });
  if (options.json) {
    // The Framework prints a thrown error on stdout too, which would break the JSON.
    if (failed.length || diagnostics.some((d) => d.severity === 'error')) process.exitCode = 1;
    return;
  }
  reportProblems(plugin, diagnostics, 'CANARY_STATUS_FAILED');
  if (failed.length) {
    throw new serverless.classes.Error(
      `${PREFIX}the deployment of ${failed.join(', ')} did not succeed (above)`,
      'CANARY_DEPLOYMENT_NOT_SUCCEEDED'
    );
  }
}

/**
 * Prints the report (lines, or JSON with --json) and resolves with what the command must
 * answer: the error diagnostics, and with --watch the functions whose deployment did not
 * succeed.
 */
async function showStatus({ input, options, progress, writeText, warn }) {
  const { watch: following, json } = options;
  const say = json ? () => {} : prefixed(writeText);
  /** @type {import('./native-answers').StatusReport} */
  const report = following
    ? await watch({ input, intervalMs: pollIntervalMs(options.interval), progress, say, warn })
    : await fetchStatus(input);
  const failed = following ? report.functions.filter((f) => FAILED.has(f.outcome)).map((f) => f.function) : [];
  if (json) {
    writeText(JSON.stringify(report, null, 2));
  } else {
    if (!following) for (const status of report.functions) for (const line of status.details) writeText(line);
    if (report.functions.length === 0 && report.diagnostics.length === 0) {
      say('no function is canaried in this stage');
    }
  }
  return { diagnostics: report.diagnostics, failed };
}

module.exports = { statusCommand };
