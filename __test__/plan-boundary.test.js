'use strict';

// The strings `plan` is given cross into buffers `preparePlan` made ready (crates/napi/src/
// boundary.rs), written in one pass when they fit. V8 writes whole characters only, so a
// string cut at the buffer's end can stop up to three bytes short of it: the addon must tell
// that from a string that fits. Swept here byte by byte across the end, with two four-byte
// characters where it falls, against the same call with no buffers made ready.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const binding = require('../binding.js');
const cases = require('../fixtures/plan-cases.json');

/**
 * What `preparePlan` makes ready per function for the input and the template together
 * (`INCOMING_BYTES_PER_FUNCTION` in boundary.rs).
 */
const READY_BYTES_PER_FUNCTION = 4 << 10;
const EMOJI = '\u{1F600}';

test('a template ending at any byte around the ready buffer is read whole', () => {
  const { input } = cases.find((c) => Object.keys(c.planned).length > Object.keys(c.input.template.Resources).length);
  const { template, ...rest } = input;
  const inputJson = JSON.stringify(rest);
  const bytes = (text) => Buffer.byteLength(text, 'utf8');
  const base = bytes(inputJson) + bytes(JSON.stringify({ ...template, Metadata: { Filler: '' } }));
  const functions = Math.ceil((base + 64) / READY_BYTES_PER_FUNCTION);
  const end = functions * READY_BYTES_PER_FUNCTION;
  let swept = 0;
  for (let past = -12; past <= 12; past += 1) {
    // Two four-byte characters, then the `"}}` that closes the template: `end + past` bytes.
    const filler = 'x'.repeat(end + past - base - 2 * bytes(EMOJI));
    const templateJson = JSON.stringify({ ...template, Metadata: { Filler: filler + EMOJI + EMOJI } });
    assert.equal(bytes(inputJson) + bytes(templateJson), end + past);
    const unprepared = binding.plan(inputJson, templateJson);
    binding.preparePlan(functions);
    const prepared = binding.plan(inputJson, templateJson);
    assert.equal(prepared, unprepared, `${past} bytes past the ready buffer's end`);
    assert.equal(JSON.parse(prepared).errorReport, null);
    swept += 1;
  }
  assert.equal(swept, 25);
});
