'use strict';

// `--canary-bypass` at deploy time: said before the stack update, once nothing has changed yet.

const { call } = require('./native.js');
const { PREFIX } = require('./logger.js');
const { switches } = require('./service-input.js');

/**
 * Before the stack update: the template this deploy uploads, which `--package` may have made
 * in another run, says whether the canary is bypassed. Said before anything changes.
 * @param {InstanceType<import('../index.js')>} plugin the plugin, as index.js built it
 */
function announceBypass(plugin) {
  const { serverless, options, log } = plugin;
  const { service } = serverless;
  if (service.provider.shouldNotDeploy) return;
  /** @type {import('./native-answers').DeployBypassAnswer} */
  const answer = call('deployBypass', {
    functions: service.functions,
    template: service.provider.compiledCloudFormationTemplate,
    switches: switches(options),
  });
  if (answer.error) throw new serverless.classes.Error(`${PREFIX}${answer.error.rendered}`, 'CANARY_BYPASS_NOT_PACKAGED');
  if (answer.notice) log.notice(answer.notice);
}

module.exports = { announceBypass };
