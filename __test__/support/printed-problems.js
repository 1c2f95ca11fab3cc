'use strict';

// What `serverless package` printed about the canary settings, line by line, as the
// fixtures/invalid files state it: each warning (the Framework prefixes it with `Warning: `),
// then the error report's header and each of its problems.

const WARNING = /^Warning: serverless-canary: (.*\bwarning\[[a-z-]+\] .*)$/;
const HEADER = /^serverless-canary found \d+ problems? in deploymentSettings:$/;

function printedProblems(output) {
  const lines = output.split('\n');
  const warnings = lines.map((line) => WARNING.exec(line)).filter(Boolean).map((match) => match[1]);
  const at = lines.findIndex((line) => HEADER.test(line));
  if (at < 0) return warnings;
  const errors = [];
  for (const line of lines.slice(at + 1)) {
    if (!line.startsWith('  ')) break;
    errors.push(line.slice(2));
  }
  return [...warnings, lines[at], ...errors];
}

module.exports = { printedProblems };
