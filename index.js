'use strict';

// The Serverless Framework plugin: registers the schema, and in one hook hands the resolved
// settings and the compiled template to the Rust core, then writes its result back.
// Every decision lives in the Rust crates (crates/); this file only converts and reports.

const fs = require('fs');
const path = require('path');

const { call } = require('./lib/native.js');
const { DeployProgress, pollIntervalMs } = require('./lib/follow.js');
const { showStatus } = require('./lib/status-command.js');
const { applyPlan } = require('./lib/template-patch.js');
const { packageWithoutTrace } = require('./lib/package-without-trace.js');
const { splitStacksPlugin, splitStacksPlan, nestedTemplates } = require('./lib/split-stacks.js');
const { companions } = require('./lib/companions.js');

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
    this.log = log;
    this.writeText = writeText;
    this.progress = progress;
    // Set while `canary:validate` or `canary:plan` runs the packaging: the plan is kept for the
    // command to report (and applied to the template packaging throws away, so that the split
    // stacks are checked too), and for `canary:plan` the release is described.
    this.validation = null;
    // Whether this packaging added canary resources: only then are split stacks checked.
    this.applied = false;
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
      // The event itself, not `after:`: the Framework has merged `resources:` (its own hook
      // comes first), and serverless-plugin-split-stacks, on `after:`, has not moved anything yet.
      'aws:package:finalize:mergeCustomProviderResources': () => this.addCanaryResources(),
      'before:aws:package:finalize:saveServiceState': () => this.checkSplitStacks(),
      'before:deploy:function:initialize': () => this.guardDeployFunction(),
      'canary:validate:validate': () => this.validate(),
      'canary:plan:plan': () => this.plan(),
      'canary:alarm:alarm': () => this.setAlarms(),
      'canary:rollback:rollback': () => this.rollBack(),
      'canary:status:status': () => this.status(),
      'before:aws:deploy:deploy:updateStack': async () => {
        this.announceBypass();
        await this.startDeployProgress();
      },
      'after:aws:deploy:deploy:updateStack': () => this.finishDeployProgress(),
      error: () => this.finishDeployProgress({ failed: true }),
    };
    this.deployProgress = null;
  }

  // The service file as written, when it is YAML (or JSON, which the core reads as YAML): the
  // core points each problem at its line, and finds the unquoted dates the Framework's loader
  // turned into text.
  sourceText() {
    const file = this.serverless.configurationFilename;
    if (!file || !/\.(ya?ml|json)$/.test(file)) return undefined;
    try {
      return { file, text: fs.readFileSync(path.resolve(this.serverless.serviceDir, file), 'utf8') };
    } catch {
      return undefined;
    }
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
      service: service.service,
      stackName: provider.naming.getStackName(),
      template,
      source: this.sourceText(),
      // The Framework uploads the template as it writes it: minified or indented.
      minifyTemplate: Boolean(this.options['minify-template']),
      switches: this.switches(),
      describeRelease: Boolean(this.validation && this.validation.describeRelease),
      accountFacts: this.validation ? this.validation.accountFacts : null,
      splitStacks: splitStacksPlan(this.serverless),
      companions: companions(this.serverless),
    };
    const result = call('plan', input);
    this.applied = false;
    if (this.validation) {
      this.validation.result = result;
      // Applied all the same, so that the split stacks are checked as a deploy would have them.
      if (!result.errorReport) this.applyCanaryResources(template, result);
      return;
    }
    for (const warning of result.warnings) this.log.warning(`serverless-canary: ${warning}`);
    if (result.errorReport) {
      throw new this.serverless.classes.Error(result.errorReport, 'CANARY_INVALID_SETTINGS');
    }
    this.applyCanaryResources(template, result);
    for (const line of result.notices) this.log.notice(`serverless-canary: ${line}`);
    for (const line of result.details) this.log.info(`serverless-canary: ${line}`);
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    this.log.info(`serverless-canary: planned ${Object.keys(input.functions).length} functions in ${elapsedMs.toFixed(1)} ms`);
  }

  applyCanaryResources(template, result) {
    applyPlan(template.Resources, result);
    this.applied = result.patches.length + result.removed.length + Object.keys(result.created).length > 0;
  }

  // After serverless-plugin-split-stacks: the root and nested stacks against CloudFormation's
  // quotas and for dependency cycles. Packaging stops on an error; `canary:validate` lists it.
  checkSplitStacks() {
    const splitStacks = splitStacksPlugin(this.serverless);
    if (!splitStacks || !this.applied) return;
    const { service } = this.serverless;
    const report = call('checkStacks', {
      root: service.provider.compiledCloudFormationTemplate,
      nested: nestedTemplates(splitStacks),
      functions: service.functions,
      source: this.sourceText(),
      minifyTemplate: Boolean(this.options['minify-template']),
    });
    if (this.validation) {
      const { result } = this.validation;
      result.diagnostics = [...result.diagnostics, ...report.diagnostics];
      return;
    }
    this.reportProblems(report.diagnostics, 'CANARY_SPLIT_STACKS_INVALID');
  }

  // `--canary-bypass` and `--canary-skip-hooks`, as given.
  switches() {
    return {
      canaryBypass: Boolean(this.options['canary-bypass']),
      canarySkipHooks: Boolean(this.options['canary-skip-hooks']),
    };
  }

  // Packages as `sls package` would, and answers with the plan, kept instead of applied.
  async packagedPlan({ describeRelease = false, accountFacts = null } = {}) {
    this.validation = { result: null, describeRelease, accountFacts };
    try {
      await packageWithoutTrace(this.serverless, this.log);
      return this.validation.result;
    } finally {
      this.validation = null;
    }
  }

  // `sls canary:validate`: the packaged plan's problems (and AWS's, with --aws).
  async validate() {
    const result = await this.packagedPlan();
    let { diagnostics } = result;
    if (this.options.aws && result.preflight.deploymentGroups.length === 0) {
      this.log.notice('serverless-canary: nothing is canaried in this stage, so AWS was not asked');
    } else if (this.options.aws) {
      diagnostics = [...diagnostics, ...(await this.askAws(result.preflight))];
    }
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = diagnostics.length - errors;
    if (this.options.json) {
      this.writeText(JSON.stringify({ valid: errors === 0, errors, warnings, diagnostics }, null, 2));
    } else {
      for (const diagnostic of diagnostics) this.writeText(diagnostic.rendered);
      this.writeText(`serverless-canary: ${count(errors, 'error')}, ${count(warnings, 'warning')}`);
    }
    if (errors > 0 && this.options.json) {
      // The Framework prints a thrown error on stdout too, which would break the JSON.
      process.exitCode = 1;
    } else if (errors > 0) {
      throw new this.serverless.classes.Error(
        `serverless-canary: ${count(errors, 'error')} in the canary settings (listed above)`,
        'CANARY_VALIDATION_FAILED'
      );
    }
  }

  // `sls canary:plan`: what the next deploy will do, from the same packaging as
  // `canary:validate`; with --aws, what the account adds (first releases, alarms firing).
  async plan() {
    // --aws: the account's facts first, from the settings alone (null when they have an error
    // or nothing is canaried: AWS is not asked), for the packaging's plan to say.
    let accountFacts = null;
    if (this.options.aws) {
      const provider = this.serverless.getProvider('aws');
      accountFacts = await call('releaseFacts', {
        ...this.settingsInput(),
        stackName: provider.naming.getStackName(),
        source: this.sourceText(),
        region: provider.getRegion(),
        profile: provider.getProfile() || undefined,
      });
    }
    const result = await this.packagedPlan({ describeRelease: true, accountFacts });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    const { release } = result;
    if (this.options.json) {
      const rendered = errors.map((d) => d.rendered);
      this.writeText(JSON.stringify({ errors: errors.length, awsErrors: release.awsErrors, problems: rendered, ...release.plan }, null, 2));
      if (errors.length) process.exitCode = 1;
      return;
    }
    if (errors.length) {
      throw new this.serverless.classes.Error(result.errorReport, 'CANARY_INVALID_SETTINGS');
    }
    // What AWS found is part of the plan, not a failure of it: `canary:validate --aws` gates.
    for (const line of release.lines) this.writeText(line);
  }

  // Before the stack update: the template this deploy uploads, which `--package` may have made
  // in another run, says whether the canary is bypassed. Said before anything changes.
  announceBypass() {
    const { service } = this.serverless;
    if (service.provider.shouldNotDeploy) return;
    const answer = call('deployBypass', {
      functions: service.functions,
      template: service.provider.compiledCloudFormationTemplate,
      switches: this.switches(),
    });
    if (answer.error) throw new this.serverless.classes.Error(`serverless-canary: ${answer.error.rendered}`, 'CANARY_BYPASS_NOT_PACKAGED');
    if (answer.notice) this.log.notice(`serverless-canary: ${answer.notice}`);
  }

  // What the commands acting on the deployed stage send: settings, stack, region, profile.
  deployedInput() {
    const provider = this.serverless.getProvider('aws');
    return {
      ...this.settingsInput(),
      stackName: provider.naming.getStackName(),
      function: this.options.function,
      region: provider.getRegion(),
      profile: provider.getProfile() || undefined,
    };
  }

  // `sls canary:alarm`: SetAlarmState on every alarm attached to a canaried function.
  async setAlarms() {
    const { state, reason } = this.options;
    const report = await call('setAlarmState', { ...this.deployedInput(), state, reason });
    for (const alarm of report.set) this.writeText(`serverless-canary: alarm ${alarm.name} is now ${state} (${alarm.path})`);
    if (report.set.length === 0 && report.diagnostics.length === 0) {
      this.writeText('serverless-canary: no alarm is attached to a canaried function in this stage');
    }
    this.reportProblems(report.diagnostics, 'CANARY_ALARM_FAILED');
  }

  // `sls canary:rollback`: StopDeployment with automatic rollback on each deployment in progress.
  async rollBack() {
    const report = await call('rollBack', this.deployedInput());
    for (const stop of report.stopped) {
      const said = stop.message ? `: ${stop.message}` : '';
      this.writeText(`serverless-canary: ${stop.path}: deployment ${stop.deploymentId} stopped with rollback (${stop.status}${said})`);
    }
    this.reportProblems(report.diagnostics, 'CANARY_ROLLBACK_FAILED');
  }

  // `sls canary:status [--watch] [--json]`: the deployments as they stand, or followed to their end.
  async status() {
    const { diagnostics, failed } = await showStatus({
      input: this.deployedInput(),
      options: this.options,
      progress: this.progress,
      writeText: this.writeText,
      warn: (line) => this.log.warning(`serverless-canary: ${line}`),
    });
    if (this.options.json) {
      // The Framework prints a thrown error on stdout too, which would break the JSON.
      if (failed.length || diagnostics.some((d) => d.severity === 'error')) process.exitCode = 1;
      return;
    }
    this.reportProblems(diagnostics, 'CANARY_STATUS_FAILED');
    if (failed.length) {
      throw new this.serverless.classes.Error(
        `serverless-canary: the deployment of ${failed.join(', ')} did not succeed (above)`,
        'CANARY_DEPLOYMENT_NOT_SUCCEEDED'
      );
    }
  }

  // Before CloudFormation updates the stack: follow the deployments it starts, unless told not to.
  // Nothing here may fail the deploy: a problem is a warning.
  async startDeployProgress() {
    const { service } = this.serverless;
    if (service.provider.shouldNotDeploy || this.options['canary-progress'] === false) return;
    const warn = (line) => this.log.warning(`serverless-canary: ${line}`);
    try {
      this.deployProgress = new DeployProgress({
        input: this.deployedInput(),
        intervalMs: pollIntervalMs(),
        progress: this.progress,
        say: (line) => this.log.notice(`serverless-canary: ${line}`),
        info: (line) => this.log.info(`serverless-canary: ${line}`),
        warn,
      });
      await this.deployProgress.start();
    } catch (error) {
      this.deployProgress = null;
      warn(`canary progress is off for this deploy: ${error.message}`);
    }
  }

  async finishDeployProgress(options) {
    if (!this.deployProgress) return;
    const progress = this.deployProgress;
    this.deployProgress = null;
    try {
      await progress.finish(options);
    } catch (error) {
      this.log.warning(`serverless-canary: canary progress could not say how the deployments ended: ${error.message}`);
    }
  }

  // Warnings are logged; errors end the command with all of them.
  reportProblems(diagnostics, code) {
    for (const d of diagnostics) if (d.severity !== 'error') this.log.warning(`serverless-canary: ${d.rendered}`);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) {
      throw new this.serverless.classes.Error(`serverless-canary: ${errors.map((d) => d.rendered).join('\n  ')}`, code);
    }
  }

  // The online checks, with the provider's region and profile; their problems, located.
  async askAws(targets) {
    const provider = this.serverless.getProvider('aws');
    const request = {
      ...targets,
      region: provider.getRegion(),
      profile: provider.getProfile() || undefined,
      source: this.sourceText(),
    };
    return (await call('preflight', request)).diagnostics;
  }

  // `sls deploy function` updates $LATEST only: the canary alias keeps the old version and
  // CodeDeploy never runs. Refuse unless the user insists with the command's own --force.
  guardDeployFunction() {
    const input = { ...this.settingsInput(), function: this.options.function, force: Boolean(this.options.force), source: this.sourceText() };
    const refusal = call('deployFunctionRefusal', input);
    if (refusal === null) return;
    if (!this.options.force) {
      throw new this.serverless.classes.Error(`serverless-canary: ${refusal.rendered}`, 'CANARY_DEPLOY_FUNCTION_BYPASS');
    }
    this.log.warning(`serverless-canary: ${refusal.rendered}`);
  }
}

const count = (n, noun) => `${n} ${noun}${n === 1 ? '' : 's'}`;

module.exports = ServerlessCanary;
