'use strict';

// Packages a fixture with and without the plugin and reports which resources the plugin added,
// changed or removed. Everything it did not report is byte-for-byte what the Framework produced.

const { test, before } = require('node:test');
const assert = require('node:assert/strict');

const { packageService, copyFixture } = require('./framework');
const { lintErrors } = require('./cfn-lint');

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

/**
 * Packages `fixture` once for all tests of the enclosing `describe` (started now, so packaging
 * overlaps other blocks' work) and adds the check every packaged fixture must pass: cfn-lint.
 * Returns the object `before` fills with packageAndDiff's result.
 */
function packagedOnce(fixture, options) {
  const run = {};
  const pending = packageAndDiff(fixture, options);
  pending.catch(() => {}); // awaited (and reported) in `before`
  before(async () => {
    Object.assign(run, await pending);
  });
  test('cfn-lint reports no errors', async () => {
    assert.deepEqual(await lintErrors(run.templatePath), []);
  });
  return run;
}

/** `Ref` of the alias the plugin creates for function `fn` (its normalised name). */
const aliasRef = (fn, alias = 'Live') => ({ Ref: `${fn}LambdaFunctionAlias${alias}` });

module.exports = { normalise, packageAndDiff, packagedOnce, aliasRef };
