'use strict';

// Packages a fixture with and without the plugin and reports which resources the plugin added,
// changed or removed. Everything it did not report is byte-for-byte what the Framework produced.

const { packageService, copyFixture } = require('./framework');

// Per-run values the Framework puts in every template: the artifact key's timestamp and the
// REST API deployment's logical ID. They would differ between two runs without any plugin.
function normalise(template) {
  const resources = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    const copy = structuredClone(resource);
    if (copy.Properties && copy.Properties.Code) delete copy.Properties.Code.S3Key;
    resources[id.replace(/^ApiGatewayDeployment\d+$/, 'ApiGatewayDeployment')] = copy;
  }
  return resources;
}

function diffTemplates(baseline, template) {
  const before = normalise(baseline);
  const after = normalise(template);
  const added = Object.keys(after).filter((id) => !(id in before));
  const removed = Object.keys(before).filter((id) => !(id in after));
  const changed = Object.keys(after).filter(
    (id) => id in before && JSON.stringify(before[id]) !== JSON.stringify(after[id])
  );
  return { added, removed, changed };
}

const withoutPlugin = (text) => text.replace(/^\s*- serverless-canary\s*$/m, '');

/** Packages `fixture` as written and without serverless-canary; resolves with both and the diff. */
async function packageAndDiff(fixture, options = {}) {
  const [result, baseline] = await Promise.all([
    packageService(fixture, options),
    packageService(copyFixture(fixture, withoutPlugin), options),
  ]);
  if (result.code !== 0) throw new Error(`packaging ${fixture} failed:\n${result.output}`);
  if (baseline.code !== 0) throw new Error(`packaging ${fixture} without the plugin failed:\n${baseline.output}`);
  return { ...result, baseline: baseline.template, diff: diffTemplates(baseline.template, result.template) };
}

module.exports = { diffTemplates, packageAndDiff };
