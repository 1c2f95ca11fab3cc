'use strict';

// `npm run bench`: this plugin against serverless-plugin-canary-deployments 0.8.0 in one run,
// on generated services of 60 to 2000 canaried functions in two shapes (an http event each;
// a mix of event types). For each it measures, several times, the plugin's own hook (timed in
// process by two plugins listed around it, on the same hook), the floor (one JSON round trip of
// the template the hook received, in the same process) and the whole `serverless package` wall
// time, and reports medians and ratios. Also the addon's load time and size, and the AWS calls
// one status poll makes (benches/status-calls.js).
// Prints a table and writes it to benches/results.md. Environment: BENCH_SIZES=60,800
// BENCH_RUNS=3 for a quicker run.

const fs = require('fs');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');

const { frameworkEnv } = require('../__test__/support/framework');
const { statusCalls, describe: describeStatusCalls } = require('./status-calls');

const REPO = path.join(__dirname, '..');
const WORK = path.join(REPO, '.test-work', 'bench');
const SERVERLESS = path.join(REPO, 'node_modules', 'serverless', 'bin', 'serverless.js');
const RESULTS = path.join(__dirname, 'results.md');
const SIZES = (process.env.BENCH_SIZES || '60,200,800,2000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS || 5);
/** The floor, `JSON.parse(JSON.stringify(template))`, is the median of this many in each package. */
const FLOOR_RUNS = 9;
// Each plugin's own hook: this plugin runs on the Framework's merge event itself (so that
// serverless-plugin-split-stacks, on `after:`, finds its resources), the old one on `after:`.
const MERGE = 'aws:package:finalize:mergeCustomProviderResources';
const PLUGINS = [
  { label: 'serverless-canary', name: 'serverless-canary', hook: MERGE },
  { label: 'canary-deployments 0.8.0', name: 'serverless-plugin-canary-deployments', hook: `after:${MERGE}` },
];
/**
 * Budgets: the hook at most 3x the floor at 60 and 800 functions (issue 31), its growth from 200
 * to 2000 (issue 7: the floor ratio is bounded only at 60 and 800, this keeps 2000 linear too);
 * the addon (issue 19).
 */
const BUDGET_FLOOR_RATIO = 3;
const BUDGET_FLOOR_SIZES = [60, 800];
const BUDGET_GROWTH = 12;
const BUDGET_ADDON_BYTES = 8 * 1024 * 1024;

/** The events of function `i`: one http event, or one of six kinds in turn. */
const EVENTS = {
  http: (i) => [`      - http: {path: f${i}, method: get}`],
  mixed: (i) =>
    [
      [`      - http: {path: f${i}, method: get}`],
      [`      - httpApi: {path: /f${i}, method: get}`],
      [`      - sqs: arn:aws:sqs:us-east-1:123456789012:queue-${i}`],
      [`      - sns: topic-${i}`],
      ['      - schedule: rate(1 hour)'],
      [`      - stream: arn:aws:dynamodb:us-east-1:123456789012:table/t${i}/stream/2026-01-01T00:00:00.000`],
    ][i % 6],
};

// Two plugins around the one measured, on its hook: the Framework runs a hook's handlers in
// the order the plugins are listed, so the difference is the measured plugin's own time.
// The start keeps the template's resources as the hook receives them (a shallow copy: the hook
// replaces resources and copies what it edits, it never edits the objects it was given); the
// stop measures the floor on that template, once the hook is done, so that the floor's garbage
// is not collected in the hook's time. The time the floor took is reported, for the wall time.
const timerStart = (hook) => `'use strict';
module.exports = class BenchTimerStart {
  constructor(serverless) {
    this.hooks = { '${hook}': () => {
      const template = serverless.service.provider.compiledCloudFormationTemplate;
      global.benchReceived = { ...template, Resources: { ...template.Resources } };
      global.benchHookStart = process.hrtime.bigint();
    } };
  }
};
`;
const timerStop = (hook) => `'use strict';
const fs = require('fs');
const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];
module.exports = class BenchTimerStop {
  constructor() {
    this.hooks = { '${hook}': () => {
      const hookMs = Number(process.hrtime.bigint() - global.benchHookStart) / 1e6;
      const floors = [];
      for (let i = 0; i < ${FLOOR_RUNS}; i += 1) {
        const started = process.hrtime.bigint();
        JSON.parse(JSON.stringify(global.benchReceived));
        floors.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      const floorSpentMs = floors.reduce((a, b) => a + b, 0);
      fs.writeFileSync(process.env.BENCH_HOOK_OUT, JSON.stringify({ hookMs, floorMs: median(floors), floorSpentMs }));
    } };
  }
};
`;

function writeService(dir, plugin, shape, n) {
  const lines = [
    `service: bench-${shape}-${n}`,
    "frameworkVersion: '3'",
    'plugins:',
    '  - ./timer-start.js',
    `  - ${plugin.name}`,
    '  - ./timer-stop.js',
    'provider:',
    '  name: aws',
    '  runtime: nodejs24.x',
    '  region: us-east-1',
    'package:',
    "  patterns: ['!**', 'handler.js']",
    'functions:',
  ];
  for (let i = 0; i < n; i += 1) {
    lines.push(`  f${i}:`, '    handler: handler.hello', '    events:', ...EVENTS[shape](i));
    lines.push('    deploymentSettings:', '      type: Canary10Percent5Minutes', '      alias: Live', '      alarms: [ErrorsAlarm]');
  }
  lines.push(
    'resources:',
    '  Resources:',
    '    ErrorsAlarm:',
    '      Type: AWS::CloudWatch::Alarm',
    '      Properties:',
    '        Namespace: AWS/Lambda',
    '        MetricName: Errors',
    '        Statistic: Sum',
    '        Period: 60',
    '        EvaluationPeriods: 1',
    '        Threshold: 1',
    '        ComparisonOperator: GreaterThanOrEqualToThreshold'
  );
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'serverless.yml'), `${lines.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'handler.js'), 'module.exports.hello = async () => ({ statusCode: 200 });\n');
  fs.writeFileSync(path.join(dir, 'timer-start.js'), timerStart(plugin.hook));
  fs.writeFileSync(path.join(dir, 'timer-stop.js'), timerStop(plugin.hook));
}

/**
 * One `serverless package`: its wall time (less the floor's measuring), the hook's and the
 * floor's, in milliseconds.
 */
function packageOnce(dir) {
  const hookOut = path.join(dir, 'hook-ms.txt');
  fs.rmSync(hookOut, { force: true });
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [SERVERLESS, 'package'], {
    cwd: dir,
    env: frameworkEnv({ BENCH_HOOK_OUT: hookOut }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`serverless package failed in ${dir}:\n${run.stdout}\n${run.stderr}`);
  const { hookMs, floorMs, floorSpentMs } = JSON.parse(fs.readFileSync(hookOut, 'utf8'));
  return { wallMs: wallMs - floorSpentMs, hookMs, floorMs };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** A package this slow is measured once: its warm-up run is the sample. */
const SLOW_MS = 60_000;

function measure(plugin, shape, n) {
  const dir = path.join(WORK, `${plugin.name}-${shape}-${n}`);
  writeService(dir, plugin, shape, n);
  const warm = packageOnce(dir); // warms the Framework's schema cache and the file cache
  const runs = warm.wallMs > SLOW_MS ? [warm] : Array.from({ length: RUNS }, () => packageOnce(dir));
  const of = (key) => median(runs.map((r) => r[key]));
  return { hookMs: of('hookMs'), floorMs: of('floorMs'), wallMs: of('wallMs'), runs: runs.length };
}

/** The addon: its size, and the median time of `require` in a fresh Node process. */
function addon() {
  const file = fs.readdirSync(REPO).find((name) => name.endsWith('.node'));
  const script = "const t = process.hrtime.bigint(); require('./binding.js'); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));";
  const loads = Array.from({ length: 11 }, () => Number(execFileSync(process.execPath, ['-e', script], { cwd: REPO, encoding: 'utf8' })));
  return { file, bytes: fs.statSync(path.join(REPO, file)).size, loadMs: median(loads) };
}

const ms = (value) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const once = (result) => (result.runs === 1 && RUNS > 1 ? ' (1 run)' : '');

async function main() {
  fs.mkdirSync(WORK, { recursive: true });
  const rows = [];
  for (const shape of Object.keys(EVENTS)) {
    for (const n of SIZES) {
      const [ours, old] = PLUGINS.map((plugin) => {
        const result = measure(plugin, shape, n);
        process.stderr.write(
          `${plugin.label} ${shape} ${n}: floor ${ms(result.floorMs)} ms, hook ${ms(result.hookMs)} ms, package ${ms(result.wallMs)} ms\n`
        );
        return result;
      });
      rows.push({ shape, n, ours, old });
    }
  }
  const { file, bytes, loadMs } = addon();
  const statusLines = describeStatusCalls(await statusCalls());
  const lines = [
    `# serverless-canary vs serverless-plugin-canary-deployments 0.8.0`,
    '',
    `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${require('os').cpus().length} cores; medians of ${RUNS} runs after one warm-up (a package over ${SLOW_MS / 1000} s: its one run); hook = the plugin's own hook, timed in process; floor = \`JSON.parse(JSON.stringify(template))\` of the template this plugin's hook received, median of ${FLOOR_RUNS} in the same process; package = whole \`serverless package\` wall time, less measuring the floor.`,
    '',
    '| shape | functions | floor (ms) | hook: this plugin (ms) | hook / floor | hook: 0.8.0 (ms) | hook: 0.8.0 / this plugin | package: this plugin (ms) | package: 0.8.0 (ms) | package ratio |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(({ shape, n, ours, old }) =>
      `| ${shape} | ${n} | ${ms(ours.floorMs)} | ${ms(ours.hookMs)} | ${(ours.hookMs / ours.floorMs).toFixed(1)}x | ${ms(old.hookMs)}${once(old)} | ${(old.hookMs / ours.hookMs).toFixed(1)}x | ${ms(ours.wallMs)}${once(ours)} | ${ms(old.wallMs)}${once(old)} | ${(old.wallMs / ours.wallMs).toFixed(2)}x |`
    ),
    '',
    `Addon: ${file}, ${bytes.toLocaleString('en')} bytes; \`require\` takes ${ms(loadMs)} ms (median of 11 fresh processes).`,
    '',
    ...statusLines,
    '',
    ...budget(rows, bytes),
  ];
  const text = `${lines.join('\n')}\n`;
  fs.writeFileSync(RESULTS, text);
  process.stdout.write(text);
}

/** The budget lines, when the run has the sizes they name. */
function budget(rows, addonBytes) {
  const hookAt = (n) => (rows.find((r) => r.shape === 'http' && r.n === n) || {}).ours;
  const out = [];
  const atFloorSizes = rows.filter((r) => BUDGET_FLOOR_SIZES.includes(r.n));
  if (atFloorSizes.length) {
    const ratios = atFloorSizes.map(({ shape, n, ours }) => ({ shape, n, ratio: ours.hookMs / ours.floorMs }));
    const ok = ratios.every((r) => r.ratio <= BUDGET_FLOOR_RATIO);
    const said = ratios.map((r) => `${r.shape} ${r.n} ${r.ratio.toFixed(1)}x`).join(', ');
    const sizes = BUDGET_FLOOR_SIZES.join(' and ');
    out.push(`Budget, hook <= ${BUDGET_FLOOR_RATIO}x floor at ${sizes}: ${said}; ${ok ? 'met' : 'MISSED'}.`);
  }
  if (hookAt(200) && hookAt(2000)) {
    const growth = hookAt(2000).hookMs / hookAt(200).hookMs;
    out.push(`Budget, hook growth 2000 vs 200 functions <= ${BUDGET_GROWTH}x: ${growth.toFixed(1)}x, ${growth <= BUDGET_GROWTH ? 'met' : 'MISSED'}.`);
  }
  const fits = addonBytes <= BUDGET_ADDON_BYTES;
  out.push(`Budget, addon <= 8 MiB (${BUDGET_ADDON_BYTES.toLocaleString('en')} bytes): ${addonBytes.toLocaleString('en')} bytes, ${fits ? 'met' : 'MISSED'}.`);
  return out;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
