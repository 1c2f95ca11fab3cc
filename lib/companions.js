'use strict';

// What the companion plugins loaded beside this one will do to a canary, read from them as they
// resolved their settings, for the core to judge (crates/core/src/companions.rs):
// serverless-plugin-warmup's warmed functions and the alias each warmer invokes, and
// serverless-prune-plugin's `custom.prune.number`.

/**
 * The loaded plugin of class `className`, or null. Companions are plugins the service lists,
 * which the Framework also keeps apart as `externalPlugins` (serverless 3, osls 3 and 4): a
 * handful, where `plugins` holds some sixty built-in ones too, each of its own class, and
 * reading a property of each cost more than the rest of building the core's input.
 */
function pluginNamed(serverless, className) {
  const { externalPlugins, plugins } = serverless.pluginManager;
  for (const plugin of externalPlugins || plugins) {
    if (plugin && plugin.constructor && plugin.constructor.name === className) return plugin;
  }
  return null;
}

/** Each function a warmer pings in this stage: { function, warmer, alias, path }. */
function warmedFunctions(serverless) {
  const warmup = pluginNamed(serverless, 'WarmUp');
  // Resolved on `after:package:initialize`, before the template is compiled.
  if (!warmup || !warmup.configsByWarmer) return [];
  const { service } = serverless;
  const keyOf = new Map(Object.keys(service.functions || {}).map((key) => [service.getFunction(key).name, key]));
  const warmed = [];
  for (const [warmer, config] of Object.entries(warmup.configsByWarmer)) {
    for (const { name, config: resolved } of config.functions || []) {
      const key = keyOf.get(name);
      if (!key) continue;
      const own = ((service.functions[key].warmup || {})[warmer] || {}).alias;
      const shared = (((service.custom || {}).warmup || {})[warmer] || {}).alias;
      let at = `custom.warmup.${warmer}`;
      if (own !== undefined) at = `functions.${key}.warmup.${warmer}.alias`;
      else if (shared !== undefined) at = `custom.warmup.${warmer}.alias`;
      warmed.push({ function: key, warmer, alias: resolved.alias || null, path: at });
    }
  }
  return warmed;
}

/** serverless-prune-plugin's `custom.prune`, read as it reads it, when it is loaded. */
function pruneSettings(serverless) {
  if (!pluginNamed(serverless, 'Prune')) return null;
  const prune = (serverless.service.custom || {}).prune || {};
  const number = Number.parseInt(prune.number, 10);
  return { number: Number.isNaN(number) ? null : number };
}

function companions(serverless) {
  return { warmed: warmedFunctions(serverless), prune: pruneSettings(serverless) };
}

module.exports = { companions, pluginNamed };
