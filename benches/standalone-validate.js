'use strict';

// Times the standalone check on a generated 500-function serverless.yml (issue 5's budget:
// 50 ms): in process (read, resolve, check, locate) and end to end (`node bin/... validate`,
// Node start included). A benchmark to run by hand, `node benches/standalone-validate.js`,
// never a timed test.

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const { validateSource } = require('../binding.js');

const FUNCTIONS = Number(process.env.FUNCTIONS || 500);
const RUNS = 20;

/** A service with `n` canaried functions, each with two inline alarms and a few variables. */
function service(n) {
  const lines = [
    'service: bench',
    "frameworkVersion: '3'",
    'provider:',
    '  name: aws',
    '  runtime: nodejs24.x',
    "  stage: ${opt:stage, 'dev'}",
    'custom:',
    '  deploymentSettings:',
    '    type: Canary10Percent5Minutes',
    '    alias: Live',
    'functions:',
  ];
  for (let i = 0; i < n; i += 1) {
    lines.push(
      `  fn${i}:`,
      '    handler: handler.run',
      '    events:',
      `      - http: GET /fn${i}`,
      '    deploymentSettings:',
      `      type: ${i % 2 ? 'Linear10PercentEvery1Minute' : 'Canary10Percent5Minutes'}`,
      '      alias: ${self:custom.deploymentSettings.alias}',
      '      alarms:',
      '        - name: Errors',
      '          metric: Errors',
      '          threshold: 3',
      '          period: 60',
      '          evaluationPeriods: 1',
      '        - name: Latency',
      '          metric: Duration',
      '          statistic: p99',
      '          threshold: 1000'
    );
  }
  return `${lines.join('\n')}\n`;
}

const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];

const text = service(FUNCTIONS);
const input = JSON.stringify({ file: 'serverless.yml', text, options: {}, env: {} });
const report = JSON.parse(validateSource(input));
const problems = report.unreadable ? [report.unreadable] : report.diagnostics;
if (report.errors || report.unreadable) {
  throw new Error(`the generated service has problems:\n${problems.slice(0, 3).map((d) => d.rendered).join('\n')}`);
}

const inProcess = [];
for (let i = 0; i < RUNS; i += 1) {
  const started = process.hrtime.bigint();
  validateSource(input);
  inProcess.push(Number(process.hrtime.bigint() - started) / 1e6);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-bench-'));
const file = path.join(dir, 'serverless.yml');
fs.writeFileSync(file, text);
const cli = path.join(__dirname, '..', 'bin', 'serverless-canary.js');
const endToEnd = [];
for (let i = 0; i < 5; i += 1) {
  const started = process.hrtime.bigint();
  execFileSync(process.execPath, [cli, 'validate', file]);
  endToEnd.push(Number(process.hrtime.bigint() - started) / 1e6);
}
fs.rmSync(dir, { recursive: true, force: true });
// What any `node` run pays before the check starts: the baseline under the end-to-end time.
const startup = [];
for (let i = 0; i < 5; i += 1) {
  const started = process.hrtime.bigint();
  execFileSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(__dirname, '..', 'binding.js'))})`]);
  startup.push(Number(process.hrtime.bigint() - started) / 1e6);
}

console.log(`${FUNCTIONS} functions, ${text.split('\n').length} lines, ${(text.length / 1024).toFixed(0)} KiB`);
console.log(`in process (validateSource): median ${median(inProcess).toFixed(1)} ms of ${RUNS} runs`);
console.log(
  `end to end (node bin/serverless-canary.js validate): median ${median(endToEnd).toFixed(1)} ms of 5 runs, ` +
    `of which Node start and addon load ${median(startup).toFixed(1)} ms`
);
