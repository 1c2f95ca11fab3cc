'use strict';

// How many AWS calls one status poll makes, for 200 canaried functions with no deployment in
// progress and with 10: the deploy's first look, the first poll (`canary:status`, and the
// first of `--watch`) and each later poll of a watch, which reads ended deployments no more:
// the addon's deploymentStatus against moto through the scripted CodeDeploy endpoint, which
// counts every request. Each function has deployed before; the in-progress ones hold at 10%.
// `node benches/status-calls.js` alone, or as part of `npm run bench`.

const { startMoto, createStack } = require('../__test__/support/moto-server');
const { startScriptedCodeDeploy } = require('../__test__/support/scripted-codedeploy');
const { statusPoller } = require('../lib/follow.js');
const { restoreEnv } = require('../__test__/support/env');


const FUNCTIONS = 200;
const STACK = 'pc-bench-dev';
const group = (i) => `${STACK}-F${i}LambdaFunctionDeploymentGroup`;

/**
 * Requests of the deploy's first look (before its stack update), of a watch's first poll and
 * of its third (the second may still see the held deployments start).
 */
async function callsPerPoll(inProgress, functionCount = FUNCTIONS) {
  const moto = await startMoto();
  await createStack(moto.endpoint, STACK, { PcbenchdevDeploymentApplication: 'pc-bench-dev-app' });
  const codedeploy = await startScriptedCodeDeploy({
    deployments: Array.from({ length: functionCount }, (_, i) => ({
      group: group(i),
      id: `d-NEW${i}`,
      previous: `d-OLD${i}`,
      // The rest have deployed before and are idle: their new deployment never begins.
      startsWithUpdate: i >= inProgress,
      hold: true,
    })),
    proxyTo: moto.endpoint,
  });
  const saved = { ...process.env };
  Object.assign(process.env, moto.env, { AWS_ENDPOINT_URL: codedeploy.endpoint });
  try {
    const functions = Object.fromEntries(
      Array.from({ length: functionCount }, (_, i) => [`f${i}`, { handler: 'h.h', deploymentSettings: { type: 'Canary10Percent5Minutes', alias: 'Live' } }])
    );
    const input = { stage: 'dev', stackName: STACK, region: 'us-east-1', functions };
    const counted = async (poll, options) => {
      const report = await poll(options);
      if (report.diagnostics.length) throw new Error(JSON.stringify(report.diagnostics));
      const shifting = report.functions.filter((f) => f.outcome === 'inProgress').length;
      if (shifting !== inProgress) throw new Error(`${shifting} deployments in progress, not ${inProgress}`);
      const counts = codedeploy.takeCounts();
      return { total: Object.values(counts).reduce((sum, n) => sum + n, 0), counts };
    };
    codedeploy.takeCounts();
    const firstLook = await counted(statusPoller(input), { firstLook: true });
    const watch = statusPoller(input);
    const first = await counted(watch);
    await counted(watch);
    return { firstLook, first, later: await counted(watch) };
  } finally {
    restoreEnv(saved);
    codedeploy.stop();
    moto.stop();
  }
}

async function statusCalls() {
  const rows = [];
  for (const inProgress of [0, 10]) rows.push({ inProgress, ...(await callsPerPoll(inProgress)) });
  return rows;
}

function describe(rows) {
  const line = (which, inProgress, { total, counts }) => {
    const each = Object.entries(counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([operation, n]) => `${operation} ${n}`)
      .join(', ');
    return `Status, ${which}, ${FUNCTIONS} functions, ${inProgress} deployments in progress: ${total} calls (${each}).`;
  };
  return rows.flatMap(({ inProgress, firstLook, first, later }) => [
    line("the deploy's first look", inProgress, firstLook),
    line('first poll', inProgress, first),
    line("each later poll of a watch", inProgress, later),
  ]);
}

module.exports = { statusCalls, callsPerPoll, describe };

if (require.main === module) {
  statusCalls().then((rows) => console.log(describe(rows).join('\n')));
}
