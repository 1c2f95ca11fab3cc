'use strict';

// `sls deploy function` updates $LATEST only: the canary alias keeps the old version and
// CodeDeploy never runs. It is refused unless the user insists with the command's own --force.

const { call } = require('./native.js');
const { PREFIX } = require('./logger.js');
const { settingsInput } = require('./service-input.js');

/** @param {InstanceType<import('../index.js')>} plugin the plugin, as index.js built it */
function guardDeployFunction(plugin) {
  const { serverless, options, log } = plugin;
  const name = options.function;
  const input = { ...settingsInput(serverless), function: name };
  /** @type {string | null} the alias it would bypass ('' when the settings are too broken to name one), null when it deploys all at once anyway */
  const alias = call('bypassedAlias', input);
  if (alias === null) return;
  const through = alias ? `its alias "${alias}"` : 'its canary alias';
  const bypass =
    `\`deploy function\` updates only $LATEST of "${name}": traffic through ${through} ` +
    'keeps the current version, and no CodeDeploy deployment runs (no gradual shift, no alarms, no rollback).';
  if (!options.force) {
    throw new serverless.classes.Error(
      `${PREFIX}${bypass} Run \`serverless deploy\` to release it gradually, or add --force to update $LATEST anyway.`,
      'CANARY_DEPLOY_FUNCTION_BYPASS'
    );
  }
  log.warning(bypass);
}

module.exports = { guardDeployFunction };
