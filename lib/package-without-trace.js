'use strict';

// `canary:validate` packages as `sls package` would, so the checks see the compiled template.
// Packaging wipes `.serverless` and writes to `package.path` when set: what they held waits
// outside the service (so it is neither lost nor zipped) and comes back, and nothing new stays
// behind.

const fs = require('fs');
const os = require('os');
const path = require('path');

const { PREFIX } = require('./logger.js');

/** Runs the Framework's `package` lifecycle and leaves its output folders as they were; `log` prefixes. */
async function packageWithoutTrace(serverless, log) {
  const { serviceDir, service } = serverless;
  const packagePath = service.package && service.package.path;
  if (packagePath && within(serviceDir, path.resolve(serviceDir, packagePath))) {
    // `package` empties that folder before writing to it: it would delete the service.
    throw new serverless.classes.Error(
      `${PREFIX}package.path \`${packagePath}\` is the service folder or holds it, and packaging empties it first; point it at a folder of its own`,
      'CANARY_PACKAGE_PATH_HOLDS_SERVICE'
    );
  }
  const outputs = packagingOutputs(serviceDir, packagePath);
  const keep = fs.mkdtempSync(path.join(os.tmpdir(), 'canary-validate-'));
  const kept = [];
  try {
    for (const [i, dir] of outputs.entries()) {
      const aside = fs.existsSync(dir) ? path.join(keep, String(i)) : null;
      if (aside) moveDir(dir, aside);
      kept.push({ dir, aside });
    }
    await serverless.pluginManager.spawn('package');
  } finally {
    let restored = true;
    for (const { dir, aside } of kept) {
      try {
        fs.rmSync(dir, { recursive: true, force: true });
        if (aside) moveDir(aside, dir);
      } catch (error) {
        restored = false;
        log.error(`could not put ${dir} back (${error.message}); what it held is in ${aside}`);
      }
    }
    if (restored) fs.rmSync(keep, { recursive: true, force: true });
  }
}

/** `child` is `parent` or inside it. */
function within(child, parent) {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * The folders packaging writes to: `.serverless` and `package.path`. Never the service folder
 * or one holding it, and a folder inside another one listed travels with that one.
 */
function packagingOutputs(serviceDir, packagePath) {
  const candidates = [path.join(serviceDir, '.serverless')];
  if (packagePath) candidates.push(path.resolve(serviceDir, packagePath));
  return candidates
    .filter((dir) => !within(serviceDir, dir))
    .filter((dir, i, all) => !all.some((other, j) => j !== i && within(dir, other) && (dir !== other || j < i)));
}

/** Moves a folder, across file systems too (the temporary folder may be elsewhere). */
function moveDir(from, to) {
  try {
    fs.renameSync(from, to);
  } catch (error) {
    if (error.code !== 'EXDEV') throw error;
    fs.cpSync(from, to, { recursive: true });
    fs.rmSync(from, { recursive: true, force: true });
  }
}

module.exports = { packageWithoutTrace };
