'use strict';

// maxConcurrentDeployments, packaged by the real Framework: CloudFormation starts an alias
// update (a CodeDeploy deployment) once everything it depends on is done, so the most that can
// run at once is the largest set of aliases none of which waits, directly or not, for another:
// the width of the DependsOn order (Dilworth: the aliases less a maximum matching of the
// "waits for" pairs). Computed here from the template alone, knowing nothing of how the plugin
// builds its chains.

const { describe, test } = require('node:test');
const assert = require('node:assert/strict');

const { packageService, copyFixture } = require('./support/framework');
const { lintErrors } = require('./support/cfn-lint');

const isAlias = (resource) => resource.Type === 'AWS::Lambda::Alias';
const dependsOn = (resource) => [].concat(resource.DependsOn || []);

/** Alias -> every alias it waits for, through any chain of DependsOn over the whole template. */
function aliasWaits(resources) {
  const memo = new Map();
  // CloudFormation refuses a template whose DependsOn has a cycle, so plain recursion ends.
  const reach = (id) => {
    if (memo.has(id)) return memo.get(id);
    const found = new Set();
    for (const dep of dependsOn(resources[id] || {})) {
      if (resources[dep] && isAlias(resources[dep])) found.add(dep);
      for (const further of reach(dep)) found.add(further);
    }
    memo.set(id, found);
    return found;
  };
  return new Map(Object.keys(resources).filter((id) => isAlias(resources[id])).map((id) => [id, reach(id)]));
}

/** The most aliases that can update at once: the width of the partial order (Dilworth). */
function widthOf(waits) {
  const aliases = [...waits.keys()];
  const matchedTo = new Map();
  const augment = (from, visited) => {
    for (const to of waits.get(from)) {
      if (visited.has(to)) continue;
      visited.add(to);
      if (!matchedTo.has(to) || augment(matchedTo.get(to), visited)) {
        matchedTo.set(to, from);
        return true;
      }
    }
    return false;
  };
  const matching = aliases.filter((alias) => augment(alias, new Set())).length;
  return aliases.length - matching;
}

describe('maxConcurrentDeployments: 10 over 30 canaried functions', () => {
  const unlimited = copyFixture('many-functions', (text) => text.replace(/^ {4}maxConcurrentDeployments: 10\n/m, ''));
  const runs = Promise.all([packageService('many-functions'), packageService(unlimited)]);

  test('at most 10 alias updates can run at once, and every alias still deploys', async () => {
    const [limited] = await runs;
    assert.equal(limited.code, 0, limited.output);
    const waits = aliasWaits(limited.template.Resources);
    assert.equal(waits.size, 30);
    assert.equal(widthOf(waits), 10);
    assert.match(limited.output, /maxConcurrentDeployments 10: 30 canaried functions deploy in 10 chains, one deployment at a time in each; traffic shifts for up to \d+ minutes in all, instead of 30 with every deployment at once/);
    assert.deepEqual(await lintErrors(limited.templatePath), []);
  });

  test('without the setting every alias may update at once, the template otherwise the same, and the release is warned about', async () => {
    const [limited, free] = await runs;
    assert.equal(free.code, 0, free.output);
    assert.equal(widthOf(aliasWaits(free.template.Resources)), 30);
    assert.match(free.output, /warning\[many-concurrent-deployments\] custom\.deploymentSettings: 30 canaried functions start 30 CodeDeploy deployments at once/);
    const withoutAliasWaits = (template) => {
      const copy = structuredClone(template.Resources);
      for (const [id, resource] of Object.entries(copy)) {
        if (/^ApiGatewayDeployment\d+$/.test(id)) delete copy[id];
        else if (isAlias(resource)) delete resource.DependsOn;
      }
      return copy;
    };
    const stripped = (template) => JSON.parse(JSON.stringify(withoutAliasWaits(template)).replace(/\/\d{13}-[\d-]+T[\d:.]+Z\//g, '/<time>/'));
    assert.deepEqual(stripped(limited.template), stripped(free.template));
  });
});

describe('the width computation itself', () => {
  test('chains, a diamond and independent aliases', () => {
    const waits = (pairs, ids) => new Map(ids.map((id) => [id, new Set(pairs.filter(([a]) => a === id).map(([, b]) => b))]));
    assert.equal(widthOf(waits([['b', 'a'], ['c', 'b']], ['a', 'b', 'c'])), 1, 'one chain');
    assert.equal(widthOf(waits([['b', 'a'], ['c', 'a'], ['d', 'b'], ['d', 'c']], ['a', 'b', 'c', 'd'])), 2, 'a diamond: b and c together');
    assert.equal(widthOf(waits([], ['a', 'b', 'c'])), 3);
  });
});
