'use strict';

// `npm run example`: packages fixtures/example with the real Serverless Framework and this
// plugin, offline, then lists what the plugin put in the CloudFormation template.

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { FIXTURES, BINS, TEMPLATE, frameworkEnv } = require('../__test__/support/framework');

const service = path.join(FIXTURES, 'example');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-example-'));

console.log(`$ serverless package   (in fixtures/example, artefacts in ${out})`);
const run = spawnSync(process.execPath, [BINS.serverless, 'package', '--package', out], {
  cwd: service,
  env: frameworkEnv({}),
  stdio: 'inherit',
});
if (run.status !== 0) process.exit(run.status || 1);

const templatePath = path.join(out, TEMPLATE);
const { Resources } = JSON.parse(fs.readFileSync(templatePath, 'utf8'));
const pointsAtAlias = (resource) => /LambdaFunctionAlias/.test(JSON.stringify(resource.Properties || {}));
const ours = /^AWS::(CodeDeploy::|Lambda::Alias$|CloudWatch::Alarm$)|CodeDeploy(ServiceRole|HookPolicy)$/;

console.log('\nserverless-canary added:');
for (const [id, resource] of Object.entries(Resources)) {
  if (ours.test(resource.Type) || ours.test(id)) console.log(`  + ${id.padEnd(44)} ${resource.Type}`);
}
console.log('and now routes through the alias:');
for (const [id, resource] of Object.entries(Resources)) {
  if (resource.Type !== 'AWS::Lambda::Alias' && pointsAtAlias(resource)) {
    console.log(`  ~ ${id.padEnd(44)} ${resource.Type}`);
  }
}
console.log(`\nTemplate: ${templatePath}`);
