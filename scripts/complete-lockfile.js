'use strict';

// Adds the per-platform optional packages that @napi-rs/cli's own tools (lzma, tar, wasm-tools)
// list but the registry mirror on our build machines does not serve. `npm install` there writes a
// lock without them, which `npm ci` then rejects as out of sync. Each added entry carries the
// platform fields napi-rs packages publish, so npm skips it on every machine it does not fit,
// without fetching it. Run after any `npm install` that rewrites package-lock.json.

const fs = require('node:fs');
const path = require('node:path');

const LOCK = path.join(__dirname, '..', 'package-lock.json');

// napi-rs platform package suffix -> the npm fields its package.json declares.
function platformFields(suffix) {
  const [os, arch, abi] = suffix.split('-');
  const cpu = { x64: 'x64', arm64: 'arm64', arm: 'arm', ia32: 'ia32', ppc64: 'ppc64', riscv64: 'riscv64', s390x: 's390x', loong64: 'loong64', universal: ['x64', 'arm64'] }[arch];
  if (suffix === 'wasm32-wasi') return { cpu: ['wasm32'] };
  if (!cpu) return null;
  const fields = { cpu: [].concat(cpu), os: [os] };
  if (os === 'linux') fields.libc = [abi && abi.startsWith('musl') ? 'musl' : 'glibc'];
  return fields;
}

const lock = JSON.parse(fs.readFileSync(LOCK, 'utf8'));
let added = 0;
for (const [location, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies || {})) {
    const target = `node_modules/${name}`;
    if (lock.packages[target] || !name.startsWith(location.replace(/^node_modules\//, '') + '-')) continue;
    const fields = platformFields(name.slice(location.length - 'node_modules/'.length + 1));
    if (!fields) continue;
    lock.packages[target] = { version, dev: entry.dev, optional: true, ...fields, engines: entry.engines };
    added += 1;
  }
}
fs.writeFileSync(LOCK, JSON.stringify(lock, null, 2) + '\n');
console.log(`complete-lockfile: added ${added} platform entries`);
