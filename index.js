'use strict';

// The Serverless Framework plugin: registers the schema, and in one hook hands the resolved
// settings and the compiled template to the Rust core, then writes its result back.
// Every decision lives in the core (src/); this file only converts and reports.

const { plan, bypassedAlias } = require('./binding.js');

// Loose on purpose: the core checks every key and value and reports all problems at once,
// with the config path and a hint, which the Framework's schema errors cannot do.
const deploymentSettingsSchema = {
  type: ['object', 'null'],
  description: 'serverless-canary: gradual deployment through AWS CodeDeploy',
};

class ServerlessCanary {
  constructor(serverless, options, { log } = {}) {
    this.serverless = serverless;
    this.options = options;
    this.log = log;
    serverless.configSchemaHandler.defineFunctionProperties('aws', {
      properties: { deploymentSettings: deploymentSettingsSchema },
    });
    serverless.configSchemaHandler.defineCustomProperties({
      properties: { deploymentSettings: deploymentSettingsSchema },
    });
    this.hooks = {
      'after:aws:package:finalize:mergeCustomProviderResources': () => this.addCanaryResources(),
      'before:deploy:function:initialize': () => this.guardDeployFunction(),
    };
  }

  // What both hooks tell the core: the resolved settings of this stage.
  settingsInput() {
    const { service } = this.serverless;
    return {
      stage: this.serverless.getProvider('aws').getStage(),
      custom: service.custom && service.custom.deploymentSettings,
      functions: service.functions,
    };
  }

  addCanaryResources() {
    const started = process.hrtime.bigint();
    const { service } = this.serverless;
    const provider = this.serverless.getProvider('aws');
    const template = service.provider.compiledCloudFormationTemplate;
    const input = {
      ...this.settingsInput(),
      stackName: provider.naming.getStackName(),
      template,
    };
    const result = JSON.parse(plan(JSON.stringify(input)));
    for (const warning of result.warnings) this.log.warning(`serverless-canary: ${warning}`);
    if (result.errorReport) {
      throw new this.serverless.classes.Error(result.errorReport, 'CANARY_INVALID_SETTINGS');
    }
    for (const logicalId of result.removed) delete template.Resources[logicalId];
    Object.assign(template.Resources, result.resources);
    for (const line of result.summary) this.log.notice(`serverless-canary: ${line}`);
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    this.log.info(`serverless-canary: planned ${Object.keys(input.functions).length} functions in ${elapsedMs.toFixed(1)} ms`);
  }

  // `sls deploy function` updates $LATEST only: the canary alias keeps the old version and
  // CodeDeploy never runs. Refuse unless the user insists with the command's own --force.
  guardDeployFunction() {
    const name = this.options.function;
    const input = { ...this.settingsInput(), function: name };
    const alias = JSON.parse(bypassedAlias(JSON.stringify(input)));
    if (alias === null) return;
    const through = alias ? `its alias "${alias}"` : 'its canary alias';
    const bypass =
      `serverless-canary: \`deploy function\` updates only $LATEST of "${name}": traffic through ${through} ` +
      'keeps the current version, and no CodeDeploy deployment runs (no gradual shift, no alarms, no rollback).';
    if (!this.options.force) {
      throw new this.serverless.classes.Error(
        `${bypass} Run \`serverless deploy\` to release it gradually, or add --force to update $LATEST anyway.`,
        'CANARY_DEPLOY_FUNCTION_BYPASS'
      );
    }
    this.log.warning(bypass);
  }
}

module.exports = ServerlessCanary;
