'use strict';

// Every error code the JavaScript throws (`CANARY_*`, the Framework's error code) is listed in
// docs/codes.md, in the hand-written part after the generated table, and nothing listed there
// is a code no longer thrown.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const fs = require('node:fs');
const path = require('node:path');

const { REPO } = require('./support/framework');

/** index.js, lib/ and bin/: the JavaScript that ships. */
function shippedSources() {
  const under = (dir) =>
    fs.readdirSync(path.join(REPO, dir), { withFileTypes: true }).flatMap((entry) => {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) return under(relative);
      return /\.js$/.test(entry.name) || dir === 'bin' ? [relative] : [];
    });
  return ['index.js', ...under('lib'), ...under('bin')];
}

/** Each `'CANARY_...'` literal, by the files it is written in. */
function thrownCodes() {
  const codes = new Map();
  for (const file of shippedSources()) {
    const text = fs.readFileSync(path.join(REPO, file), 'utf8');
    for (const [, code] of text.matchAll(/['"`](CANARY_[A-Z0-9_]+)['"`]/g)) {
      codes.set(code, [...(codes.get(code) || []), file]);
    }
  }
  return codes;
}

/** The codes docs/codes.md lists, and whether the generator would keep them (after its block). */
function documentedCodes() {
  const page = fs.readFileSync(path.join(REPO, 'docs', 'codes.md'), 'utf8');
  const [generated, handWritten = ''] = page.split('<!-- end of codes -->');
  const listed = (text) => [...text.matchAll(/^\| `(CANARY_[A-Z0-9_]+)` \|/gm)].map(([, code]) => code);
  return { listed: listed(handWritten), inGenerated: listed(generated) };
}

test('docs/codes.md lists every CANARY_ code the plugin throws, and no other', () => {
  const thrown = thrownCodes();
  const { listed, inGenerated } = documentedCodes();
  // The scan itself works: the package hook's code is found where it is thrown.
  assert.ok(thrown.get('CANARY_INVALID_SETTINGS'), 'lib/ throws CANARY_INVALID_SETTINGS');
  assert.deepEqual(inGenerated, [], 'listed after `<!-- end of codes -->`, where the generator keeps them');
  const missing = [...thrown.keys()].filter((code) => !listed.includes(code));
  assert.deepEqual(missing.map((code) => `${code} (${thrown.get(code).join(', ')})`), [], 'thrown but not in docs/codes.md');
  const stale = listed.filter((code) => !thrown.has(code));
  assert.deepEqual(stale, [], 'in docs/codes.md but thrown nowhere');
  assert.equal(new Set(listed).size, listed.length, 'each code listed once');
});
