'use strict';

// This machine as napi-rs names platforms, and the platforms with a prebuilt addon on npm.

/** package.json "napi.targets", as platform names. */
const PREBUILT = ['linux-x64-gnu', 'linux-arm64-gnu', 'linux-x64-musl', 'darwin-x64', 'darwin-arm64', 'win32-x64-msvc'];

/** linux-x64-gnu, linux-x64-musl, darwin-arm64, win32-x64-msvc... */
function platformName({ platform, arch } = process) {
  if (platform === 'win32') return `${platform}-${arch}-msvc`;
  if (platform !== 'linux') return `${platform}-${arch}`;
  // Node.js reports the glibc it runs on; on musl (Alpine) there is none.
  const report = typeof process.report?.getReport === 'function' ? process.report.getReport() : null;
  const glibc = Boolean(report && report.header && report.header.glibcVersionRuntime);
  return `${platform}-${arch}-${glibc ? 'gnu' : 'musl'}`;
}

module.exports = { PREBUILT, platformName };
