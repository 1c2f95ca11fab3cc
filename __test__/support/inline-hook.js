'use strict';

// The code of a hook the plugin generates, as the template holds it inline (`Code.ZipFile`).

const Module = require('node:module');
const path = require('node:path');

const { REPO } = require('./framework');

/** The inline code, loaded as Lambda loads index.js, with the SDK from node_modules. */
function loadInlineHook(code) {
  const file = path.join(REPO, 'index.js');
  const hook = new Module(file, module);
  hook.filename = file;
  hook.paths = Module._nodeModulePaths(REPO);
  hook._compile(code, file);
  return hook.exports;
}

module.exports = { loadInlineHook };
