'use strict';

// The process environment, which the addon (Rust) reads through the C environment: only the
// `process.env` Node starts with writes through to it, so it is changed key by key, never
// replaced.

/** Puts the environment back as `saved` (a copy taken earlier) was: keys set since go. */
function restoreEnv(saved) {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
}

module.exports = { restoreEnv };
