'use strict';

// serverless-plugin-split-stacks moves resources into nested stacks on
// `after:aws:package:finalize:mergeCustomProviderResources`. This plugin adds its resources on
// that lifecycle event itself, so whichever of the two `plugins:` lists first, split-stacks
// finds every function still in the root with its alias, deployment group and alarms beside it,
// and moves them together. Once it has split, the stacks are checked as CloudFormation will
// read them: `nested_stacks::check` in the core.

const crypto = require('crypto');

const { pluginNamed } = require('./companions.js');

/** The split-stacks plugin instance of this service, or null, found by its class name. */
const splitStacksPlugin = (serverless) => pluginNamed(serverless, 'ServerlessPluginSplitStacks');

/**
 * What the core needs to know of the split to come, or null without split-stacks: the nested
 * stack each function's resources go to. Its `perFunction` mode makes one stack per function,
 * named after it; `perGroupFunction` spreads them over `nestedStackCount` stacks by a hash of
 * the normalized name (split-stacks 1.15.0, lib/migration-strategy/per-group-function.js);
 * `perFunction` wins when both are set, as it is asked first. Other modes leave functions in
 * the root.
 */
function splitStacksPlan(serverless) {
  if (!splitStacksPlugin(serverless)) return null;
  const config = (serverless.service.custom || {}).splitStacks || {};
  const { naming } = serverless.getProvider('aws');
  const stackOf = (normalized) => {
    if (config.perFunction) return `${normalized}NestedStack`;
    if (config.perGroupFunction && Number.isInteger(config.nestedStackCount) && config.nestedStackCount >= 2) {
      const hash = crypto.createHash('sha1').update(normalized).digest('hex');
      return `${(Number.parseInt(hash.slice(0, 10), 16) % config.nestedStackCount) + 1}NestedStack`;
    }
    return null;
  };
  const functionStacks = {};
  for (const key of Object.keys(serverless.service.functions || {})) {
    const stack = stackOf(naming.getNormalizedFunctionName(key));
    if (stack) functionStacks[key] = stack;
  }
  return { functionStacks };
}

/**
 * The nested templates split-stacks made, by their logical ID in the root
 * (`<Name>NestedStack`): it keeps them in `nestedStacks` under that ID, and writes the same
 * objects to `.serverless/`.
 */
function nestedTemplates(plugin) {
  return { ...(plugin.nestedStacks || {}) };
}

module.exports = { splitStacksPlugin, splitStacksPlan, nestedTemplates };
