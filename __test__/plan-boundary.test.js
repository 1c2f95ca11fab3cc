'use strict';

// The strings a plan is given cross into buffers `preparePlan` made ready (crates/napi/src/
// boundary.rs), written in one pass when they fit. V8 writes whole characters only, so a
// string cut at its buffer's end can stop up to three bytes short of it: the addon must tell
// that from a string that fits. Swept here byte by byte across the end of the input's buffer
// and of the template's, with two four-byte characters where it falls, against the same call
// with no buffers made ready. And the two steps of a plan, used out of turn.

const fs = require('node:fs');
const { test } = require('node:test');
const assert = require('node:assert/strict');

const binding = require('../binding.js');
const cases = require('../fixtures/plan-cases.json');

/**
 * What `preparePlan` makes ready per function for the input and for the template
 * (`INPUT_BYTES_PER_FUNCTION` and `TEMPLATE_BYTES_PER_FUNCTION` in boundary.rs).
 */
const INPUT_BYTES_PER_FUNCTION = 1 << 10;
const TEMPLATE_BYTES_PER_FUNCTION = 3 << 10;
const EMOJI = '\u{1F600}';
const bytes = (text) => Buffer.byteLength(text, 'utf8');

const { input } = cases.find((c) => Object.keys(c.planned).length > Object.keys(c.input.template.Resources).length);
const { template, ...service } = input;

const planned = (inputJson, templateJson) => binding.finishPlan(binding.startPlan(inputJson), templateJson);

/**
 * For each `past` around `end`, plans `withFiller(filler)`, the `[inputJson, templateJson]`
 * whose string `which` (0 or 1) is `end + past` bytes long with a filler that ends in two
 * four-byte characters: once with no buffers and once with buffers for `functions`. Both
 * answers must be the same and without error.
 */
function sweep({ functions, end, base, which, withFiller }) {
  let swept = 0;
  for (let past = -12; past <= 12; past += 1) {
    const filler = 'x'.repeat(end + past - base - 2 * bytes(EMOJI)) + EMOJI + EMOJI;
    const [inputJson, templateJson] = withFiller(filler);
    assert.equal(bytes([inputJson, templateJson][which]), end + past);
    const unprepared = planned(inputJson, templateJson);
    binding.preparePlan(functions);
    const prepared = planned(inputJson, templateJson);
    assert.equal(prepared, unprepared, `${past} bytes past the ready buffer's end`);
    assert.equal(JSON.parse(prepared).errorReport, null);
    swept += 1;
  }
  return swept;
}

test('a template ending at any byte around its ready buffer is read whole', () => {
  const inputJson = JSON.stringify(service);
  const templateJsonWith = (filler) => JSON.stringify({ ...template, Metadata: { Filler: filler } });
  const base = bytes(templateJsonWith(''));
  const functions = Math.ceil((base + 64) / TEMPLATE_BYTES_PER_FUNCTION);
  const end = functions * TEMPLATE_BYTES_PER_FUNCTION;
  const withFiller = (filler) => [inputJson, templateJsonWith(filler)];
  assert.equal(sweep({ functions, end, base, which: 1, withFiller }), 25);
});

test('an input ending at any byte around its ready buffer is read whole', () => {
  const templateJson = JSON.stringify(template);
  // The core reads what it knows of the input and leaves the rest.
  const inputJsonWith = (filler) => JSON.stringify({ ...service, filler });
  const base = bytes(inputJsonWith(''));
  const functions = Math.ceil((base + 64) / INPUT_BYTES_PER_FUNCTION);
  const end = functions * INPUT_BYTES_PER_FUNCTION;
  const withFiller = (filler) => [inputJsonWith(filler), templateJson];
  assert.equal(sweep({ functions, end, base, which: 0, withFiller }), 25);
});

/**
 * The threads of this process that plan (Linux names them: `canary-plan` in plan.rs). Those
 * of finished plans end on their own time, so a test only asks that no new one stays.
 */
const planThreads = () =>
  new Set(fs.readdirSync('/proc/self/task').filter((task) => fs.readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim() === 'canary-plan'));
const noneNew = (before) => [...planThreads()].every((task) => before.has(task));

test('a plan answers once, or is cancelled; one never finished keeps no later plan from answering', () => {
  const inputJson = JSON.stringify(service);
  const templateJson = JSON.stringify(template);
  const expected = planned(inputJson, templateJson);
  const pending = binding.startPlan(inputJson);
  assert.equal(binding.finishPlan(pending, templateJson), expected);
  assert.throws(() => binding.finishPlan(pending, templateJson), /^Error: serverless-canary: this plan has ended/);
  assert.throws(() => binding.finishPlan(binding.startPlan(inputJson), 42), /take the input and the template as strings of JSON/);
  assert.throws(() => binding.finishPlan(binding.startPlan('{"stage": '), templateJson), /^Error: serverless-canary: invalid input: EOF/);
  assert.throws(
    () => binding.finishPlan(binding.startPlan(inputJson), '{"Resources": '),
    /^Error: serverless-canary: invalid input: the template: EOF/
  );
  // Cancelled, its thread has ended and freed what it held when cancelPlan returns.
  const before = planThreads();
  const cancelled = binding.startPlan(inputJson);
  binding.cancelPlan(cancelled);
  assert.ok(noneNew(before));
  assert.throws(() => binding.finishPlan(cancelled, templateJson), /this plan has ended/);
  // Left waiting for a template that never comes: its thread still holds the arena.
  binding.startPlan(inputJson);
  assert.equal(planned(inputJson, templateJson), expected);
});

test('a template JSON cannot hold ends its plan at once', () => {
  const { plan } = require('../lib/native.js');
  const circular = { Resources: {} };
  circular.Resources.Self = circular;
  const before = planThreads();
  assert.throws(() => plan(service, circular), (error) => error instanceof TypeError && /circular/.test(error.message));
  assert.ok(noneNew(before));
});
