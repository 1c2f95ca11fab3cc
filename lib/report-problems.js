'use strict';

// How a command or hook ends on the core's diagnostics: warnings are logged, errors end it
// with all of them at once.

const { PREFIX } = require('./logger.js');

/** Logs the warnings; throws the errors, rendered, as one ServerlessError with `code`. */
function reportProblems({ serverless, log }, diagnostics, code) {
  for (const d of diagnostics) if (d.severity !== 'error') log.warning(d.rendered);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    throw new serverless.classes.Error(`${PREFIX}${errors.map((d) => d.rendered).join('\n  ')}`, code);
  }
}

module.exports = { reportProblems };
