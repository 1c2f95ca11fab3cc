'use strict';

// `sls deploy function` updates $LATEST only: the canary alias keeps the old version and
// CodeDeploy never runs. It is refused unless the user insists with the command's own --force.

const { call } = require('./native.js');
const { PREFIX } = require('./logger.js');
const { settingsInput, sourceText } = require('./service-input.js');

/** @param {InstanceType<import('../index.js')>} plugin the plugin, as index.js built it */
function guardDeployFunction(plugin) {
  const { serverless, options, log } = plugin;
  const input = { ...settingsInput(serverless), function: options.function, force: Boolean(options.force), source: sourceText(serverless) };
  /** @type {import('./native-answers').Diagnostic | null} null when the function deploys all at once anyway */
  const refusal = call('deployFunctionRefusal', input);
  if (refusal === null) return;
  // The core says which: an error without --force, a warning with it.
  if (refusal.severity === 'error') {
    throw new serverless.classes.Error(`${PREFIX}${refusal.rendered}`, 'CANARY_DEPLOY_FUNCTION_BYPASS');
  }
  log.warning(refusal.rendered);
}

module.exports = { guardDeployFunction };
