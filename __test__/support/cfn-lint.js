'use strict';

// Lints a packaged CloudFormation template with cfn-lint (the repo's pinned one in .venv, or $CFN_LINT).

const { execFile } = require('node:child_process');
const path = require('node:path');

const { REPO } = require('./framework');
const CFN_LINT = process.env.CFN_LINT || path.join(REPO, '.venv', 'bin', 'cfn-lint');


/**
 * Resolves with cfn-lint's matches (objects with Level 'Error' | 'Warning' | 'Informational', Rule.Id,
 * Message, Location.Path). Rejects when cfn-lint itself fails.
 */
function lintTemplate(templatePath, { regions = ['us-east-1'] } = {}) {
  // Every check runs, the runtime lifecycle ones included: what users copy must still deploy.
  // Several templates go in one run: cfn-lint's start is most of its time.
  const args = ['--format', 'json', '--regions', ...regions, '--', ...[].concat(templatePath)];
  return new Promise((resolve, reject) => {
    execFile(CFN_LINT, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      // Exit status is a bit mask: 2 errors, 4 warnings, 8 informational; anything else is a failure.
      const status = error ? error.code : 0;
      if (typeof status !== 'number' || (status & ~(2 | 4 | 8)) !== 0) {
        reject(new Error(`${CFN_LINT} failed (${error.message}):\n${stderr}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(new Error(`${CFN_LINT} printed no JSON:\n${stdout}\n${stderr}`));
      }
    });
  });
}

/**
 * Only the matches of level Error, with a one-line summary each, for assert.deepEqual(..., []).
 * `templatePath` may be a list of templates: each line then names its file.
 */
async function lintErrors(templatePath, options) {
  const matches = await lintTemplate(templatePath, options);
  const file = (match) => (Array.isArray(templatePath) ? `${path.basename(match.Filename)}: ` : '');
  return matches
    .filter((match) => match.Level === 'Error')
    .map((match) => `${file(match)}${match.Rule.Id} ${(match.Location.Path || []).join('/')}: ${match.Message}`);
}

module.exports = { lintErrors };
