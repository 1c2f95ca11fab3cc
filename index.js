'use strict';

// The Serverless Framework plugin: registers the schema, and in one hook hands the resolved
// settings and the compiled template to the Rust core, then writes its result back.
// Every decision lives in the core (src/); this file only converts and reports.

const { plan } = require('./binding.js');

// Loose on purpose: the core checks every key and value and reports all problems at once,
// with the config path and a hint, which the Framework's schema errors cannot do.
const deploymentSettingsSchema = {
  type: ['object', 'null'],
  description: 'serverless-canary: gradual deployment through AWS CodeDeploy',
};

class ServerlessCanary {
  constructor(serverless, options, { log } = {}) {
    this.serverless = serverless;
    this.log = log;
    serverless.configSchemaHandler.defineFunctionProperties('aws', {
      properties: { deploymentSettings: deploymentSettingsSchema },
    });
    serverless.configSchemaHandler.defineCustomProperties({
      properties: { deploymentSettings: deploymentSettingsSchema },
    });
    this.hooks = {
      'after:aws:package:finalize:mergeCustomProviderResources': () => this.addCanaryResources(),
    };
  }

  addCanaryResources() {
    const started = process.hrtime.bigint();
    const { service } = this.serverless;
    const provider = this.serverless.getProvider('aws');
    const template = service.provider.compiledCloudFormationTemplate;
    const input = {
      stage: provider.getStage(),
      stackName: provider.naming.getStackName(),
      custom: service.custom && service.custom.deploymentSettings,
      functions: service.functions,
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
}

module.exports = ServerlessCanary;
