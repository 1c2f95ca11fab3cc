'use strict';

// `sls canary:plan [--json] [--aws]`: what the next deploy will do, from the same packaging as
// `canary:validate`; with --aws, what the account adds (first releases, alarms firing).

const { call } = require('./native.js');
const { sourceText } = require('./service-input.js');

/**
 * Prints the release plan (lines, or JSON with --json); fails on a settings error.
 * @param {InstanceType<import('../index.js')>} plugin the plugin, as index.js built it
 */
async function planCommand(plugin) {
  const { serverless, options, writeText } = plugin;
  const result = await plugin.packaging.packageForCommand({ describeRelease: true });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  /** @type {import('./native-answers').ReleaseDescription | import('./native-answers').ReleasePlanAnswer} */
  let { release } = result;
  let awsErrors = 0;
  if (errors.length === 0 && options.aws && release.plan.functions.length > 0) {
    const provider = serverless.getProvider('aws');
    release = await call('releasePlan', {
      plan: release.plan,
      preflight: { ...result.preflight, region: provider.getRegion(), profile: provider.getProfile() || undefined, source: sourceText(serverless) },
    });
    awsErrors = release.errors;
  }
  if (options.json) {
    // The problems as `canary:validate --json` gives them, each located and coded.
    writeText(JSON.stringify({ errors: errors.length, awsErrors, problems: errors, ...release.plan }, null, 2));
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
