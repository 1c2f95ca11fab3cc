'use strict';

// The package hooks: the resolved settings and the compiled template go to the core's plan
// (native.js), and its answer is written into the template; once serverless-plugin-split-stacks
// has split it, the stacks are checked. `canary:validate` and `canary:plan` package the same
// way but keep the answer for themselves instead of stopping on it.

const { call, plan, preparePlan } = require('./native.js');
const { applyPlan } = require('./template-patch.js');
const { packageWithoutTrace } = require('./package-without-trace.js');
const { splitStacksPlugin, splitStacksPlan, nestedTemplates } = require('./split-stacks.js');
const { companions } = require('./companions.js');
const { sourceText, settingsInput, switches } = require('./service-input.js');
const { reportProblems } = require('./report-problems.js');

class CanaryPackaging {
  constructor({ serverless, options, log }) {
    Object.assign(this, { serverless, options, log });
    // Set while a command packages: the answer is kept for it to report (and applied to the
    // template packaging throws away, so that the split stacks are checked too), and for
    // `canary:plan` the release is described.
    this.keptForCommand = null;
    // Whether this packaging added canary resources: only then are split stacks checked.
    this.applied = false;
  }

  /**
   * Packages as `sls package` would, and resolves with the core's answer, kept instead of
   * applied: a command reports its problems rather than stopping on the first.
   * @returns {Promise<import('./native-answers').PlanAnswer>}
   */
  async packageForCommand({ describeRelease = false, accountFacts = null, preflight = false } = {}) {
    this.keptForCommand = { answer: null, describeRelease, accountFacts, preflight };
    try {
      await packageWithoutTrace(this.serverless, this.log);
      return this.keptForCommand.answer;
    } finally {
      this.keptForCommand = null;
    }
  }

  /**
   * Where packaging starts: most of a small plan's time is the kernel handing out fresh pages,
   * and until the package hook the Framework leaves a core free (it zips and compiles on one).
   */
  prepareForPlan() {
    preparePlan(Object.keys(this.serverless.service.functions || {}).length);
  }

  addCanaryResources() {
    const started = process.hrtime.bigint();
    const { service } = this.serverless;
    const provider = this.serverless.getProvider('aws');
    const template = service.provider.compiledCloudFormationTemplate;
    const input = {
      ...settingsInput(this.serverless),
      service: service.service,
      stackName: provider.naming.getStackName(),
      source: sourceText(this.serverless),
      // The Framework uploads the template as it writes it: minified or indented.
      minifyTemplate: Boolean(this.options['minify-template']),
      switches: switches(this.options),
      describeRelease: Boolean(this.keptForCommand && this.keptForCommand.describeRelease),
      accountFacts: this.keptForCommand ? this.keptForCommand.accountFacts : null,
      // Only `canary:validate --aws` asks AWS what the plan names.
      preflight: Boolean(this.keptForCommand && this.keptForCommand.preflight),
      splitStacks: splitStacksPlan(this.serverless),
      companions: companions(this.serverless),
    };
    /** @type {import('./native-answers').PlanAnswer} */
    const answer = plan(input, template);
    this.applied = false;
    if (this.keptForCommand) {
      this.keptForCommand.answer = answer;
      // Applied all the same, so that the split stacks are checked as a deploy would have them.
      if (!answer.errorReport) this.applyCanaryResources(template, answer);
      return;
    }
    for (const warning of answer.warnings) this.log.warning(warning);
    if (answer.errorReport) {
      throw new this.serverless.classes.Error(answer.errorReport, 'CANARY_INVALID_SETTINGS');
    }
    this.applyCanaryResources(template, answer);
    for (const line of answer.notices) this.log.notice(line);
    this.log.infoLines(answer.details);
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    this.log.info(`planned ${Object.keys(input.functions).length} functions in ${elapsedMs.toFixed(1)} ms`);
  }

  /** @param {import('./native-answers').PlanAnswer} answer */
  applyCanaryResources(template, answer) {
    applyPlan(template.Resources, answer);
    this.applied = answer.patches.length + answer.removed.length + Object.keys(answer.created).length > 0;
  }

  // After serverless-plugin-split-stacks: the root and nested stacks against CloudFormation's
  // quotas and for dependency cycles. Packaging stops on an error; a command lists it.
  checkSplitStacks() {
    const splitStacks = splitStacksPlugin(this.serverless);
    if (!splitStacks || !this.applied) return;
    const { service } = this.serverless;
    /** @type {import('./native-answers').DiagnosticsReport} */
    const report = call('checkStacks', {
      root: service.provider.compiledCloudFormationTemplate,
      nested: nestedTemplates(splitStacks),
      functions: service.functions,
      source: sourceText(this.serverless),
      minifyTemplate: Boolean(this.options['minify-template']),
    });
    if (this.keptForCommand) {
      const { answer } = this.keptForCommand;
      answer.diagnostics = [...answer.diagnostics, ...report.diagnostics];
      return;
    }
    reportProblems(this, report.diagnostics, 'CANARY_SPLIT_STACKS_INVALID');
  }
}

module.exports = { CanaryPackaging };
