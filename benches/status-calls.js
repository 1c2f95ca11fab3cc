'use strict';

// How many AWS calls one status poll makes, for 200 canaried functions with no deployment in
// progress and with 10, and how many it has in flight at once: the deploy's first look, the
// first poll (`canary:status`, and the first of `--watch`) and each later poll of a watch,
// which carries from one poll to the next what cannot change: the addon's deploymentStatus
// against moto through the scripted CodeDeploy endpoint, which counts every request (CodeDeploy,
// CloudFormation, CloudWatch). Each function has deployed before; the in-progress ones hold at
// 10%, so CloudWatch is asked what their versions served. Issue 31's bounds are printed beside
// the counts. `node benches/status-calls.js` alone, or as part of `npm run bench`.

const { startMoto, createStack } = require('../__test__/support/moto-server');
const { startScriptedCodeDeploy } = require('../__test__/support/scripted-codedeploy');
const { statusPoller } = require('../lib/follow.js');
const { restoreEnv } = require('../__test__/support/env');

const FUNCTIONS = 200;
const STACK = 'pc-bench-dev';
const group = (i) => `${STACK}-F${i}LambdaFunctionDeploymentGroup`;
/** The stack's listing is not counted against the bound: it is read once, whatever the size. */
const LISTING = 'moto.ListStackResources';
/** Calls per poll besides the listing: 10, and 3 more per deployment in progress. */
const callBound = (inProgress) => 10 + 3 * inProgress;
/** Requests in flight at once, CodeDeploy and CloudWatch together. */
const IN_FLIGHT_BOUND = 8;
/** Each request's round trip at the scripted endpoint. */
const LATENCY_MS = 20;

/**
 * Requests of the deploy's first look (before its stack update), of a watch's first poll and
 * of its third (the second may still see the held deployments start), each with the most it
 * had in flight at once.
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
      functionName: `${STACK}-f${i}`,
    })),
    proxyTo: moto.endpoint,
    // As far as AWS is: requests pile up as they would, and the peak in flight shows.
    latencyMs: LATENCY_MS,
    // Deployed before: every alias is in the stack.
    stackResources: {
      [STACK]: Object.fromEntries(Array.from({ length: functionCount }, (_, i) => [`F${i}LambdaFunctionAliasLive`, `${STACK}-f${i}:Live`])),
    },
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
      const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
      return { total, listing: counts[LISTING] || 0, counts, peakInFlight: codedeploy.takePeakInFlight() };
    };
    codedeploy.takeCounts();
    codedeploy.takePeakInFlight();
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

const verdict = (ok) => (ok ? 'met' : 'MISSED');

function describe(rows) {
  const line = (which, inProgress, { total, listing, counts, peakInFlight }) => {
    const each = Object.entries(counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([operation, n]) => `${operation} ${n}`)
      .join(', ');
    const calls = total - listing;
    const bound = callBound(inProgress);
    return (
      `Status, ${which}, ${FUNCTIONS} functions, ${inProgress} deployments in progress: ${total} calls (${each}); ` +
      `besides the stack's listing ${calls} <= ${bound}, ${verdict(calls <= bound)}; ` +
      `${peakInFlight} in flight at most <= ${IN_FLIGHT_BOUND}, ${verdict(peakInFlight <= IN_FLIGHT_BOUND)}.`
    );
  };
  return rows.flatMap(({ inProgress, firstLook, first, later }) => [
    line("the deploy's first look", inProgress, firstLook),
    line('first poll', inProgress, first),
    line('each later poll of a watch', inProgress, later),
  ]);
}

module.exports = { statusCalls, callsPerPoll, describe };

if (require.main === module) {
  statusCalls().then((rows) => console.log(describe(rows).join('\n')));
}
