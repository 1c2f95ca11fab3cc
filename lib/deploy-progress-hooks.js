'use strict';

// `sls deploy` shows the canary deployments while CloudFormation waits on CodeDeploy
// (lib/follow.js follows them). Nothing here may fail the deploy: a problem is a warning.

const { DeployProgress, pollIntervalMs } = require('./follow.js');
const { deployedInput } = require('./service-input.js');

class DeployProgressHooks {
  constructor({ serverless, options, log, progress }) {
    Object.assign(this, { serverless, options, log, progress });
    this.following = null;
  }

  /** Before CloudFormation updates the stack: follow the deployments it starts, unless told not to. */
  async start() {
    const { service } = this.serverless;
    if (service.provider.shouldNotDeploy || this.options['canary-progress'] === false) return;
    const { log } = this;
    try {
      this.following = new DeployProgress({
        input: deployedInput(this.serverless, this.options),
        intervalMs: pollIntervalMs(),
        progress: this.progress,
        say: log.notice,
        info: log.info,
        warn: log.warning,
      });
      await this.following.start();
    } catch (error) {
      this.following = null;
      log.warning(`canary progress is off for this deploy: ${error.message}`);
    }
  }

  /** After the stack update, or on an error: say how the deployments ended. */
  async finish(options) {
    if (!this.following) return;
    const following = this.following;
    this.following = null;
    try {
      await following.finish(options);
    } catch (error) {
      this.log.warning(`canary progress could not say how the deployments ended: ${error.message}`);
    }
  }
}

module.exports = { DeployProgressHooks };
