'use strict';

// The Serverless Framework plugin: registers the schema, the `canary:*` commands and the hooks.
// Each hook and command lives in lib/; every decision lives in the Rust crates (crates/).

const { prefixedLog } = require('./lib/logger.js');
const { CanaryPackaging } = require('./lib/canary-packaging.js');
const { DeployProgressHooks } = require('./lib/deploy-progress-hooks.js');
const { announceBypass } = require('./lib/bypass-announcement.js');
const { guardDeployFunction } = require('./lib/deploy-function-guard.js');
const { validateCommand } = require('./lib/validate-command.js');
const { planCommand } = require('./lib/plan-command.js');
const { alarmCommand } = require('./lib/alarm-command.js');
const { rollbackCommand } = require('./lib/rollback-command.js');
const { statusCommand } = require('./lib/status-command.js');

// `--canary-bypass` and `--canary-skip-hooks`, which `deploy`, `package` and `canary:plan` take.
const bypassOptions = {
  'canary-bypass': {
    usage: 'For this deploy only: every canaried function shifts all at once and no alarm is consulted (hooks still run)',
    type: 'boolean',
  },
  'canary-skip-hooks': { usage: 'With --canary-bypass: skip the pre- and post-traffic hooks too', type: 'boolean' },
};

// Loose on purpose: the core checks every key and value and reports all problems at once,
// with the config path and a hint, which the Framework's schema errors cannot do. No `type`
// either: the Framework validates with Ajv's `coerceTypes`, which would turn `false`, `''` and
// `0` into null before the plugin sees them, and `false` means "no canary" to the core.
const deploymentSettingsSchema = {
  description: 'serverless-canary: gradual deployment through AWS CodeDeploy (a map of settings, or false for none)',
};

class ServerlessCanary {
  constructor(serverless, options, { log, writeText, progress } = {}) {
    this.serverless = serverless;
    this.options = options;
    this.log = prefixedLog(log);
    this.writeText = writeText;
    this.progress = progress;
    this.packaging = new CanaryPackaging(this);
    this.deployProgress = new DeployProgressHooks(this);
    serverless.configSchemaHandler.defineFunctionProperties('aws', {
      properties: { deploymentSettings: deploymentSettingsSchema },
    });
    serverless.configSchemaHandler.defineCustomProperties({
      properties: { deploymentSettings: deploymentSettingsSchema },
    });
    this.commands = {
      'canary:validate': {
        usage: 'Check deploymentSettings against the compiled template, as a deploy would, without writing artefacts',
        lifecycleEvents: ['validate'],
        options: {
          json: { usage: 'Print the problems as JSON, for CI', type: 'boolean' },
          aws: {
            usage: 'Also ask AWS: alarms exist and are not firing, deployment configs exist, no deployment is in progress',
            type: 'boolean',
          },
        },
      },
      'canary:plan': {
        usage: 'Show what the next deploy will do: each canaried function\'s shift and its length, hooks, alarms and callers, and the release\'s length',
        lifecycleEvents: ['plan'],
        options: {
          json: { usage: 'Print the plan as JSON, for CI', type: 'boolean' },
          aws: { usage: 'Also ask AWS: which functions deploy for the first time, which alarms fire now', type: 'boolean' },
          ...bypassOptions,
        },
      },
      'canary:alarm': {
        usage: 'Set the canary alarms of the deployed stage to ALARM (rehearse a rollback) or OK',
        lifecycleEvents: ['alarm'],
        options: {
          state: { usage: 'ALARM or OK', type: 'string', required: true },
          function: { usage: 'Only the alarms of this function', shortcut: 'f', type: 'string' },
          reason: { usage: 'The reason recorded with the state', type: 'string' },
        },
      },
      'canary:status': {
        usage: 'Show each canaried function\'s current or last deployment: traffic split, time left, hooks, alarms',
        lifecycleEvents: ['status'],
        options: {
          function: { usage: 'Only this function', shortcut: 'f', type: 'string' },
          watch: {
            usage: 'Follow the deployments until they end; exit 1 if one is stopped, rolled back or failed',
            type: 'boolean',
          },
          interval: { usage: 'Seconds between polls with --watch (default 5)', type: 'string' },
          json: { usage: 'Print the report as JSON, for CI', type: 'boolean' },
        },
      },
      'canary:rollback': {
        usage: 'Stop the deployments in progress and roll traffic back to the old version now',
        lifecycleEvents: ['rollback'],
        options: {
          function: { usage: 'Only the deployment of this function', shortcut: 'f', type: 'string' },
        },
      },
      deploy: {
        options: {
          'canary-progress': {
            usage: 'Show canary traffic shifting while CloudFormation waits on CodeDeploy (default: on; --no-canary-progress turns it off)',
            type: 'boolean',
          },
          ...bypassOptions,
        },
      },
      package: { options: bypassOptions },
    };
    this.hooks = {
      'before:package:initialize': () => this.packaging.prepareForPlan(),
      // The event itself, not `after:`: the Framework has merged `resources:` (its own hook
      // comes first), and serverless-plugin-split-stacks, on `after:`, has not moved anything yet.
      'aws:package:finalize:mergeCustomProviderResources': () => this.packaging.addCanaryResources(),
      'before:aws:package:finalize:saveServiceState': () => this.packaging.checkSplitStacks(),
      'before:deploy:function:initialize': () => guardDeployFunction(this),
      'canary:validate:validate': () => validateCommand(this),
      'canary:plan:plan': () => planCommand(this),
      'canary:alarm:alarm': () => alarmCommand(this),
      'canary:rollback:rollback': () => rollbackCommand(this),
      'canary:status:status': () => statusCommand(this),
      'before:aws:deploy:deploy:updateStack': async () => {
        announceBypass(this);
        await this.deployProgress.start();
      },
      'after:aws:deploy:deploy:updateStack': () => this.deployProgress.finish(),
      error: () => this.deployProgress.finish({ failed: true }),
    };
  }
}

module.exports = ServerlessCanary;
