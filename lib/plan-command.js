'use strict';

// `sls canary:plan [--json] [--aws]`: what the next deploy will do, from the same packaging as
// `canary:validate`; with --aws, what the account adds (first releases, alarms firing).

const { call } = require('./native.js');
const { sourceText, settingsInput, awsAccount } = require('./service-input.js');

/**
 * Prints the release plan (lines, or JSON with --json); fails on a settings error.
 * @param {InstanceType<import('../index.js')>} plugin the plugin, as index.js built it
 */
async function planCommand(plugin) {
  const { serverless, options, writeText } = plugin;
  // --aws: the account's facts first, from the settings alone (null when they have an error or
  // nothing is canaried: AWS is not asked), for the packaging's plan to say.
  /** @type {import('./native-answers').AccountFacts | null} */
  const accountFacts = options.aws
    ? await call('releaseFacts', {
        ...settingsInput(serverless),
        stackName: serverless.getProvider('aws').naming.getStackName(),
        source: sourceText(serverless),
        ...awsAccount(serverless),
      })
    : null;
  const result = await plugin.packaging.packageForCommand({ describeRelease: true, accountFacts });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  const { release } = result;
  if (options.json) {
    // The problems as `canary:validate --json` gives them, each located and coded.
    writeText(JSON.stringify({ errors: errors.length, awsErrors: release.awsErrors, problems: errors, ...release.plan }, null, 2));
    if (errors.length) process.exitCode = 1;
    return;
  }
  if (errors.length) {
    throw new serverless.classes.Error(result.errorReport, 'CANARY_INVALID_SETTINGS');
  }
  // What AWS found is part of the plan, not a failure of it: `canary:validate --aws` gates.
  for (const line of release.lines) writeText(line);
}

module.exports = { planCommand };
