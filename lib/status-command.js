'use strict';

// `sls canary:status [--watch] [--json]`: prints each canaried function's deployment as it
// stands, or follows them to their end, and says what should fail the command.

const { fetchStatus, watch, pollIntervalMs, FAILED } = require('./follow.js');

/**
 * Prints the report (lines, or JSON with --json) and resolves with what the command must
 * answer: the error diagnostics, and with --watch the functions whose deployment did not
 * succeed.
 */
async function showStatus({ input, options, progress, writeText, warn }) {
  const { watch: following, json } = options;
  const say = json ? () => {} : (line) => writeText(`serverless-canary: ${line}`);
  const report = following
    ? await watch({ input, intervalMs: pollIntervalMs(options.interval), progress, say, warn })
    : await fetchStatus(input);
  const failed = following ? report.functions.filter((f) => FAILED.has(f.outcome)).map((f) => f.function) : [];
  if (json) {
    writeText(JSON.stringify(report, null, 2));
  } else {
    if (!following) for (const status of report.functions) for (const line of status.details) writeText(line);
    if (report.functions.length === 0 && report.diagnostics.length === 0) {
      writeText('serverless-canary: no function is canaried in this stage');
    }
  }
  return { diagnostics: report.diagnostics, failed };
}

module.exports = { showStatus };
