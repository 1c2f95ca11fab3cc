'use strict';

// `sls canary:validate [--json] [--aws]`: the packaged plan's problems, and AWS's with --aws.

const { call } = require('./native.js');
const { PREFIX } = require('./logger.js');
const { sourceText, awsAccount } = require('./service-input.js');

/**
 * Prints every problem (lines and a count, or JSON with --json) and fails on an error.
 * @param {InstanceType<import('../index.js')>} plugin the plugin, as index.js built it
 */
async function validateCommand(plugin) {
  const { serverless, options, log, writeText } = plugin;
  const answer = await plugin.packaging.packageForCommand({ preflight: Boolean(options.aws) });
  let { diagnostics } = answer;
  if (options.aws && answer.preflight.deploymentGroups.length === 0) {
    log.notice('nothing is canaried in this stage, so AWS was not asked');
  } else if (options.aws) {
    diagnostics = [...diagnostics, ...(await askAws(serverless, answer.preflight))];
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (options.json) {
    writeText(JSON.stringify({ valid: errors === 0, errors, warnings, diagnostics }, null, 2));
  } else {
    for (const diagnostic of diagnostics) writeText(diagnostic.rendered);
    writeText(`${PREFIX}${count(errors, 'error')}, ${count(warnings, 'warning')}`);
  }
  if (errors > 0 && options.json) {
    // The Framework prints a thrown error on stdout too, which would break the JSON.
    process.exitCode = 1;
  } else if (errors > 0) {
    throw new serverless.classes.Error(`${PREFIX}${count(errors, 'error')} in the canary settings (listed above)`, 'CANARY_VALIDATION_FAILED');
  }
}

/**
 * The online checks, with the provider's region and profile; their problems, located.
 * @param {import('./native-answers').PreflightRequest} targets
 * @returns {Promise<import('./native-answers').Diagnostic[]>}
 */
async function askAws(serverless, targets) {
  const request = { ...targets, ...awsAccount(serverless), source: sourceText(serverless) };
  /** @type {import('./native-answers').CheckReport} */
  const report = await call('preflight', request);
  return report.diagnostics;
}

/** `3 errors`, `1 warning`. */
const count = (n, noun) => `${n} ${noun}${n === 1 ? '' : 's'}`;

module.exports = { validateCommand };
