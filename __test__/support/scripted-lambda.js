'use strict';

// Lambda's Invoke of one version, scripted: moto runs no function code without Docker.


/** What a scripted version answers to say it ran out of time, as Lambda reports a timeout. */
const TIMED_OUT = Symbol('timed out');

/**
 * Lambda's Invoke of a version `versions` scripts (`<function>:<qualifier>` -> async (event) =>
 * answer; a throw is a function error, TIMED_OUT a timeout): a handler for the request, or null
 * for another one. `onInvoke` sees each call as { name, qualifier, event }.
 */
function lambdaInvoke(url, versions, onInvoke = () => {}) {
  const parsed = new URL(url, 'http://loopback');
  const path = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(parsed.pathname);
  if (!path) return null;
  const name = decodeURIComponent(path[1]);
  const qualifier = parsed.searchParams.get('Qualifier');
  const version = versions[`${name}:${qualifier}`];
  if (!version) return null;
  const failed = (errorType, errorMessage) => [200, { errorType, errorMessage }, { 'X-Amz-Function-Error': 'Unhandled' }];
  return async (body) => {
    const event = JSON.parse(body || 'null');
    onInvoke({ name, qualifier, event, payload: body });
    try {
      const answer = await version(event);
      if (answer === TIMED_OUT) return failed('Sandbox.Timedout', 'Task timed out after 6.00 seconds');
      return [200, answer, {}];
    } catch (error) {
      return failed(error.name, error.message);
    }
  };
}

module.exports = { lambdaInvoke, TIMED_OUT };
