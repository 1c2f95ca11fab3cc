'use strict';

// Runs the real Serverless Framework (serverless@3, osls@3 or osls@4 from node_modules) against a fixture,
// offline, and returns what it printed and the CloudFormation template it wrote.

const { execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(REPO, 'fixtures');
// Copies live inside the repo: `serverless-canary` resolves through package self-reference,
// which works only for services inside the package folder.
const WORK = path.join(REPO, '.test-work');
const BINS = {
  serverless: path.join(REPO, 'node_modules', 'serverless', 'bin', 'serverless.js'),
  osls: path.join(REPO, 'node_modules', 'osls', 'bin', 'serverless.js'),
  // osls 4, installed as the npm alias `osls4` beside osls 3.
  osls4: path.join(REPO, 'node_modules', 'osls4', 'bin', 'serverless.js'),
};
// osls 4 refuses a service pinned to `frameworkVersion: '3'`, as the fixtures are.
const MAJOR = { serverless: '3', osls: '3', osls4: '4' };

/** `transform` for copyFixture: the service pinned to the version `framework` accepts. */
const pinnedFor = (framework) => (text) => text.replace(/^frameworkVersion: .*$/m, `frameworkVersion: '${MAJOR[framework]}'`);
const TEMPLATE = 'cloudformation-template-update-stack.json';
const TIMEOUT_MS = 120_000;

const scratch = [];
process.on('exit', () => {
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(parent, prefix) {
  fs.mkdirSync(parent, { recursive: true });
  const dir = fs.mkdtempSync(path.join(parent, prefix));
  scratch.push(dir);
  return dir;
}

let home;
function scratchHome() {
  home ??= tempDir(os.tmpdir(), 'sc-home-');
  return home;
}

function fixtureDir(nameOrDir) {
  return path.isAbsolute(nameOrDir) ? nameOrDir : path.join(FIXTURES, nameOrDir);
}

function frameworkEnv(extra) {
  const env = {
    ...process.env,
    HOME: scratchHome(),
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'x',
    // The Framework compiles its config schema into a validator (~2 s) and caches it by hash; the
    // cache is written atomically, so every test process can share one and skip that cost.
    SLS_SCHEMA_CACHE_BASE_DIR: path.join(os.tmpdir(), 'serverless-canary-schema-cache'),
  };
  // The fixtures set their own region; nothing from the caller's AWS setup may leak in.
  for (const key of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE', 'AWS_SESSION_TOKEN']) delete env[key];
  return { ...env, ...extra };
}

// Each Framework run is CPU-bound for 1-3 s; more than two at once per test process only
// thrashes a small machine.
const MAX_RUNNING = 2;
let running = 0;
const waiting = [];

async function run(file, args, options) {
  if (running >= MAX_RUNNING) await new Promise((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await spawnOnce(file, args, options);
  } finally {
    running -= 1;
    if (waiting.length) waiting.shift()();
  }
}

function spawnOnce(file, args, options) {
  return new Promise((resolve) => {
    execFile(file, args, options, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      if (error && typeof error.code !== 'number') stderr += `\n[harness] ${error.message}`;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Runs `serverless <args>` (or osls) in `cwd`, within the concurrency limit.
 * Resolves (never rejects) with { code, stdout, stderr, output }.
 */
async function runFramework(args, { framework = 'serverless', cwd, env = frameworkEnv() }) {
  const bin = BINS[framework];
  if (!bin) throw new Error(`unknown framework '${framework}', expected one of ${Object.keys(BINS).join(', ')}`);
  const { code, stdout, stderr } = await run(process.execPath, [bin, ...args], {
    cwd,
    env,
    timeout: TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code, stdout, stderr, output: stdout + stderr };
}

/**
 * `serverless package` for a fixture (a name under fixtures/ or an absolute folder).
 * Resolves (never rejects) with { code, stdout, stderr, output, template, templatePath, packageDir,
 * serviceDir } (the copy it ran in, where serverless-plugin-split-stacks writes its nested stacks).
 */
async function packageService(service, { framework = 'serverless', stage, args = [], env = {}, config } = {}) {
  const packageDir = tempDir(os.tmpdir(), 'sc-package-');
  const argv = ['package', '--package', packageDir];
  if (stage) argv.push('--stage', stage);
  if (config) argv.push('--config', config);
  argv.push(...args);

  // A private copy: `package` starts by deleting <service>/.serverless, which would break any
  // other run packaging the same folder at the same time.
  const serviceDir = pinned(privateCopy(fixtureDir(service)), framework, config);
  const result = await runFramework(argv, { framework, cwd: serviceDir, env: frameworkEnv(env) });
  const templatePath = path.join(packageDir, TEMPLATE);
  const template = fs.existsSync(templatePath) ? JSON.parse(fs.readFileSync(templatePath, 'utf8')) : null;
  return { ...result, template, templatePath, packageDir, serviceDir };
}

/** Pins the copy's service file to `framework`'s major version. */
function pinned(dir, framework, config = 'serverless.yml') {
  const file = path.join(dir, config);
  if (MAJOR[framework] !== '3' && fs.existsSync(file)) fs.writeFileSync(file, pinnedFor(framework)(fs.readFileSync(file, 'utf8')));
  return dir;
}

function privateCopy(serviceDir) {
  const dir = tempDir(WORK, `${path.basename(serviceDir)}-`);
  fs.cpSync(serviceDir, dir, { recursive: true, filter: (source) => path.basename(source) !== '.serverless' });
  return dir;
}

/**
 * Copies fixtures/<name> to a fresh folder under <repo>/.test-work/ and rewrites its
 * serverless.yml with `transform(text)`. Returns the folder; it is removed when the process exits.
 */
function copyFixture(name, transform = (text) => text) {
  const dir = privateCopy(fixtureDir(name));
  const yml = path.join(dir, 'serverless.yml');
  fs.writeFileSync(yml, transform(fs.readFileSync(yml, 'utf8')));
  return dir;
}

module.exports = { REPO, FIXTURES, BINS, TEMPLATE, frameworkEnv, runFramework, packageService, copyFixture, pinnedFor };
