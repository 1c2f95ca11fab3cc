'use strict';

// How many AWS calls one status poll makes (`canary:status`, each poll of `--watch` and of the
// deploy's progress), for 200 canaried functions with no deployment in progress and with 10:
// the addon's deploymentStatus against moto through the scripted CodeDeploy endpoint, which
// counts every request. Each function has deployed before; the in-progress ones hold at 10%.
// `node benches/status-calls.js` alone, or as part of `npm run bench`.

const { startMoto, startScriptedCodeDeploy, createStack } = require('../__test__/support/aws-endpoints');
const { call } = require('../lib/native.js');
const { restoreEnv } = require('../__test__/support/env');


const FUNCTIONS = 200;
const STACK = 'pc-bench-dev';
const group = (i) => `${STACK}-F${i}LambdaFunctionDeploymentGroup`;

/** Requests of one poll (the second: the first also finds the deployments starting). */
async function callsPerPoll(inProgress) {
  const moto = await startMoto();
  await createStack(moto.endpoint, STACK, { PcbenchdevDeploymentApplication: 'pc-bench-dev-app' });
  const codedeploy = await startScriptedCodeDeploy({
    deployments: Array.from({ length: FUNCTIONS }, (_, i) => ({
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
      Array.from({ length: FUNCTIONS }, (_, i) => [`f${i}`, { handler: 'h.h', deploymentSettings: { type: 'Canary10Percent5Minutes', alias: 'Live' } }])
    );
    const input = { stage: 'dev', stackName: STACK, region: 'us-east-1', functions };
    await call('deploymentStatus', input);
    codedeploy.takeCounts();
    const report = await call('deploymentStatus', input);
    if (report.diagnostics.length) throw new Error(JSON.stringify(report.diagnostics));
    const counts = codedeploy.takeCounts();
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    return { total, counts };
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
  return rows.map(({ inProgress, total, counts }) => {
    const each = Object.entries(counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([operation, n]) => `${operation} ${n}`)
      .join(', ');
    return `Status, one poll, ${FUNCTIONS} functions, ${inProgress} deployments in progress: ${total} calls (${each}).`;
  });
}

module.exports = { statusCalls, describe };

if (require.main === module) {
  statusCalls().then((rows) => console.log(describe(rows).join('\n')));
}
