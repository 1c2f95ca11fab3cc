'use strict';

// lib/template-patch.js, the applier packaging writes the plan into the template with, on the
// services the Rust property test generates (a fixed sample of them in
// fixtures/plan-cases.json, with the template the plan makes of each): from the addon's answer
// alone it must rebuild that template exactly.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const { plan } = require('../lib/native.js');
const { applyPlan } = require('../lib/template-patch.js');
const cases = require('../fixtures/plan-cases.json');

test('the answer rebuilds the planned template of every generated service', () => {
  let patched = 0;
  let created = 0;
  for (const [i, { input, planned }] of cases.entries()) {
    const { template, ...service } = input;
    const resources = structuredClone(template.Resources);
    const answer = plan(service, { Resources: structuredClone(resources) });
    assert.equal(answer.errorReport, null, `case ${i}: ${answer.errorReport}`);
    applyPlan(resources, answer);
    assert.deepEqual(resources, planned, `case ${i}`);
    // Same keys in the same order: the Framework writes the template as the object holds it.
    assert.deepEqual(Object.keys(resources), Object.keys(planned), `case ${i}`);
    patched += answer.patches.length;
    created += Object.keys(answer.created).length;
  }
  // Every kind of edit the applier makes was exercised.
  assert.ok(cases.length >= 50, `${cases.length} cases`);
  assert.ok(patched > 100, `${patched} patches`);
  assert.ok(created > 100, `${created} created resources`);
});

test('a patch copies what it edits: objects the template shares stay as they were', () => {
  const shared = { Uri: { 'Fn::GetAtt': ['HelloLambdaFunction', 'Arn'] } };
  const resources = { A: { Type: 'X', Properties: { Integration: shared } }, B: { Type: 'X', Properties: { Integration: shared } } };
  applyPlan(resources, { removed: [], created: {}, patches: [{ resource: 'A', path: ['Properties', 'Integration', 'Uri'], value: { Ref: 'Alias' } }] });
  assert.deepEqual(resources.A.Properties.Integration.Uri, { Ref: 'Alias' });
  assert.deepEqual(resources.B.Properties.Integration.Uri, { 'Fn::GetAtt': ['HelloLambdaFunction', 'Arn'] });
  assert.equal(resources.B.Properties.Integration, shared);
});

test('a patch without a value deletes the key; one with an empty path replaces the resource', () => {
  const resources = { A: { Type: 'X', DependsOn: 'OldAlias', Properties: { P: 1 } }, B: { Type: 'Y' } };
  applyPlan(resources, {
    removed: [],
    created: {},
    patches: [
      { resource: 'A', path: ['DependsOn'] },
      { resource: 'B', path: [], value: { Type: 'Z' } },
    ],
  });
  assert.deepEqual(resources, { A: { Type: 'X', Properties: { P: 1 } }, B: { Type: 'Z' } });
  assert.ok(!('DependsOn' in resources.A));
});

