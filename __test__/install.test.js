'use strict';

// Installs as a user without Rust would: this package as the release publishes it (packed,
// with `napi pre-publish` listing the platform packages as optional dependencies) and this
// machine's platform package (npm/<platform> with the addon `npm run build` made), installed
// offline into an empty project whose PATH has no cargo or rustc, then the real
// `serverless package` of the example service in that project. Also the error when no addon
// fits the machine.

const { describe, test, before } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');

const { REPO, frameworkEnv, runFramework } = require('./support/framework');
const { PREBUILT, platformName } = require('../lib/platform.js');

const PLATFORM = platformName();
const ADDON = `serverless-canary.${PLATFORM}.node`;
// Node.js and npm, and the system's tools; nothing from ~/.cargo.
const PATH_WITHOUT_RUST = [...new Set([path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'])].join(path.delimiter);

const onPath = (command, PATH) => spawnSync('sh', ['-c', `command -v ${command}`], { env: { PATH } }).status === 0;

const NAPI = path.join(REPO, 'node_modules', '.bin', 'napi');

function npm(args, cwd) {
  return execFileSync('npm', args, {
    cwd,
    env: { ...process.env, PATH: PATH_WITHOUT_RUST, npm_config_update_notifier: 'false' },
    encoding: 'utf8',
  });
}

/** `npm pack` of `dir` into `into`: the tarball's path and npm's report of it. */
function pack(dir, into) {
  fs.mkdirSync(into, { recursive: true });
  const [report] = JSON.parse(npm(['pack', '--json', '--pack-destination', into], dir));
  return { tarball: path.join(into, report.filename), report };
}

describe(`installed from npm pack on ${PLATFORM}, without Rust`, () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sc-install-'));
  const project = path.join(work, 'project');
  const packs = {};

  before(() => {
    assert.ok(fs.existsSync(path.join(REPO, ADDON)), `${ADDON} is built (npm run build)`);
    // The platform package as the release assembles it: npm/<platform> plus its addon.
    const platformDir = path.join(work, PLATFORM);
    fs.cpSync(path.join(REPO, 'npm', PLATFORM), platformDir, { recursive: true });
    fs.copyFileSync(path.join(REPO, ADDON), path.join(platformDir, ADDON));
    // The main package as `npm publish` sends it: packed, then given its optional
    // dependencies by `napi pre-publish` (prepublishOnly), without publishing anything.
    const staged = path.join(work, 'main');
    fs.mkdirSync(staged);
    execFileSync('tar', ['-xzf', pack(REPO, work).tarball, '-C', staged, '--strip-components=1']);
    fs.cpSync(path.join(REPO, 'npm'), path.join(staged, 'npm'), { recursive: true });
    execFileSync(NAPI, ['pre-publish', '-t', 'npm', '--no-gh-release', '--skip-optional-publish'], { cwd: staged, stdio: 'pipe' });
    fs.rmSync(path.join(staged, 'npm'), { recursive: true });
    packs.main = pack(staged, path.join(work, 'main-packed'));
    packs.platform = pack(platformDir, work);

    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'install-check', private: true }));
    for (const file of ['serverless.yml', 'handler.js']) {
      fs.copyFileSync(path.join(REPO, 'fixtures', 'example', file), path.join(project, file));
    }
    npm(['install', '--offline', '--no-audit', '--no-fund', packs.main.tarball, packs.platform.tarball], project);
  });

  test('the main package carries no addon; the platform package carries only its own', () => {
    const mainFiles = packs.main.report.files.map((f) => f.path);
    assert.deepEqual(mainFiles.filter((f) => f.endsWith('.node')), []);
    assert.ok(mainFiles.includes('lib/native.js') && mainFiles.includes('binding.js'), mainFiles.join(', '));
    assert.deepEqual(packs.platform.report.files.map((f) => f.path).sort(), ['README.md', ADDON, 'package.json'].sort());
  });

  test('the main package lists every platform package as an optional dependency', () => {
    const installed = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', 'serverless-canary', 'package.json'), 'utf8'));
    const expected = Object.fromEntries(PREBUILT.map((platform) => [`serverless-canary-${platform}`, installed.version]));
    assert.deepEqual(installed.optionalDependencies, expected);
  });

  test('the project has no Rust toolchain on its PATH', () => {
    assert.equal(onPath('node', PATH_WITHOUT_RUST), true);
    assert.equal(onPath('cargo', PATH_WITHOUT_RUST), false);
    assert.equal(onPath('rustc', PATH_WITHOUT_RUST), false);
  });

  test('`serverless package` runs the installed plugin on its prebuilt addon', async () => {
    const result = await runFramework(['package'], { cwd: project, env: frameworkEnv({ PATH: PATH_WITHOUT_RUST }) });
    assert.equal(result.code, 0, result.output);
    assert.match(result.output, /serverless-canary: hello: Canary10Percent5Minutes through alias `Live`/);
    const template = JSON.parse(
      fs.readFileSync(path.join(project, '.serverless', 'cloudformation-template-update-stack.json'), 'utf8')
    );
    assert.equal(template.Resources.HelloLambdaFunctionDeploymentGroup.Type, 'AWS::CodeDeploy::DeploymentGroup');
    assert.equal(template.Resources.HelloLambdaFunctionAliasLive.Type, 'AWS::Lambda::Alias');
  });

  /** `require('serverless-canary')` in a copy of the project that `change` breaks first. */
  function requireIn(name, change, prelude = '') {
    const copy = path.join(work, name);
    fs.cpSync(project, copy, { recursive: true });
    change(path.join(copy, 'node_modules', `serverless-canary-${PLATFORM}`));
    const run = spawnSync(process.execPath, ['-e', `${prelude}require('serverless-canary')`], { cwd: copy, encoding: 'utf8' });
    assert.notEqual(run.status, 0);
    return run;
  }

  test('without its platform package, the error names the platform and the fix', () => {
    const run = requireIn('without-addon', (platformPackage) => fs.rmSync(platformPackage, { recursive: true }));
    assert.match(run.stderr, new RegExp(`no native addon loads on this machine \\(${PLATFORM}, Node\\.js v`));
    assert.match(run.stderr, new RegExp(`optional dependency serverless-canary-${PLATFORM}\\. Install again without --no-optional`));
    assert.match(run.stderr, /npm ci && npm run build/);
  });

  test('with a platform package whose addon does not load, the error says why', () => {
    const run = requireIn('broken-addon', (platformPackage) => fs.writeFileSync(path.join(platformPackage, ADDON), 'not an addon'));
    assert.match(run.stderr, new RegExp(`Its prebuilt addon, serverless-canary-${PLATFORM}, is installed but did not load \\(.*(invalid ELF header|too short)`));
  });

  test('on a platform with no prebuilt addon, the error says so', () => {
    // The same process, seen as a RISC-V machine before the plugin loads.
    const run = requireIn('riscv', () => {}, "Object.defineProperty(process, 'arch', { value: 'riscv64' }); ");
    assert.match(run.stderr, new RegExp(`There is no prebuilt addon for ${process.platform}-riscv64\\b.*\\(there is for linux-x64-gnu, linux-arm64-gnu`));
  });
});
