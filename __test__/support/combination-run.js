'use strict';

// Packages one generated service (support/combinations.js) with the real Framework and judges
// what it wrote with the independent checker and cfn-lint: accepted, every stack must deploy;
// refused, the only refusal allowed is for a cycle the service's own references close
// (support/combinations.js models them), named as such.

const { packageService } = require('./framework');
const { generateService } = require('./combinations');
const { checkStacks } = require('./stack-checker');
const { lintErrors } = require('./cfn-lint');

const ERROR = /error\[([a-z-]+)\]/g;

/**
 * { seed, features, accepted, problems }: `problems` is empty when the outcome is right.
 * `env` reaches AWS (split-stacks asks CloudFormation while packaging).
 */
async function runCombination(seed, { env, lint = true }) {
  const service = generateService(seed);
  const run = await packageService(service.dir, { framework: service.framework, args: service.args, env });
  const result = { seed, features: service.features, accepted: run.code === 0, problems: [], stacks: 0, cycles: 0, unresolved: 0 };
  if (run.code !== 0) {
    const codes = [...run.output.matchAll(ERROR)].map((m) => m[1]);
    const expected = service.plantsCycle && codes.length > 0 && codes.every((code) => code === 'dependency-cycle');
    if (!expected) result.problems.push(`refused (${codes.join(', ') || 'no diagnostic'}):\n${run.output.slice(-3000)}`);
    return result;
  }
  if (service.plantsCycle) result.problems.push('a planted cycle was accepted');
  const checked = checkStacks(run);
  result.stacks = 1 + Object.keys(checked.nested).length;
  result.cycles = checked.problems.filter((p) => p.includes('dependency cycle')).length;
  result.unresolved = checked.problems.filter((p) => p.includes('not in this stack') || p.includes('has no output')).length;
  result.problems.push(...checked.problems);
  if (lint) {
    const files = [run.templatePath, ...Object.values(checked.nested).map((n) => n.file)];
    for (const error of await lintErrors(files)) result.problems.push(`cfn-lint ${error}`);
  }
  return result;
}

module.exports = { runCombination };
