'use strict';

// Every line the plugin prints starts with its name, said here once.

const PREFIX = 'serverless-canary: ';

const withPrefix = (line) => `${PREFIX}${line}`;

/** `write`, with each line prefixed. */
const prefixed = (write) => (line) => write(withPrefix(line));

/** The Framework's v3 `log`, with each line prefixed: notice, info, warning, error. */
function prefixedLog(log) {
  return {
    notice: prefixed((line) => log.notice(line)),
    info: prefixed((line) => log.info(line)),
    // Many lines in one call: the Framework's logger costs more per call than per line.
    infoLines: (lines) => lines.length > 0 && log.info(lines.map(withPrefix).join('\n')),
    warning: prefixed((line) => log.warning(line)),
    error: prefixed((line) => log.error(line)),
  };
}

module.exports = { PREFIX, prefixed, prefixedLog };
