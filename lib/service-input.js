'use strict';

// What the core is told about the service, read from the Framework when a hook or a command
// runs (variables are resolved by then): its settings, its file as written, the switches, and
// where the deployed stage lives.

const fs = require('fs');
const path = require('path');

/**
 * The service file as written, when it is YAML (or JSON, which the core reads as YAML): the
 * core points each problem at its line, and finds the unquoted dates the Framework's loader
 * turned into text.
 */
function sourceText(serverless) {
  const file = serverless.configurationFilename;
  if (!file || !/\.(ya?ml|json)$/.test(file)) return undefined;
  try {
    return { file, text: fs.readFileSync(path.resolve(serverless.serviceDir, file), 'utf8') };
  } catch {
    return undefined;
  }
}

/** The resolved settings of this stage. */
function settingsInput(serverless) {
  const { service } = serverless;
  return {
    stage: serverless.getProvider('aws').getStage(),
    custom: service.custom && service.custom.deploymentSettings,
    functions: service.functions,
  };
}

/** `--canary-bypass` and `--canary-skip-hooks`, as given. */
function switches(options) {
  return {
    canaryBypass: Boolean(options['canary-bypass']),
    canarySkipHooks: Boolean(options['canary-skip-hooks']),
  };
}

/** The provider's region and profile, for the calls to AWS. */
function awsAccount(serverless) {
  const provider = serverless.getProvider('aws');
  return { region: provider.getRegion(), profile: provider.getProfile() || undefined };
}

/** What the commands acting on the deployed stage send: settings, stack, region, profile. */
function deployedInput(serverless, options) {
  const provider = serverless.getProvider('aws');
  return {
    ...settingsInput(serverless),
    stackName: provider.naming.getStackName(),
    function: options.function,
    ...awsAccount(serverless),
  };
}

module.exports = { sourceText, settingsInput, switches, awsAccount, deployedInput };
