#!/usr/bin/env node
'use strict';

// `serverless-canary validate [path/to/serverless.yml] [--stage <stage>] [--json] [--aws]`: the
// checks that need no compiled template, on the file as written, without booting the Framework;
// with --aws also what AWS knows (alarms, configs, deployments in progress). It reads YAML and
// JSON service files; serverless.js and .ts it leaves to `serverless canary:validate`.
// Exit codes: 0 no errors, 1 errors, 2 input it cannot read (or a usage mistake). With --json
// every outcome but a usage mistake is JSON on stdout.

const fs = require('fs');
const path = require('path');

const USAGE =
  'usage: serverless-canary validate [path/to/serverless.yml] [--stage <stage>] [--region <region>] [--<option> <value>] [--json] [--aws]';
const SHORT = { s: 'stage', r: 'region', c: 'config', h: 'help' };
// Flags without a value; `verbose` is accepted and changes nothing.
const FLAGS = new Set(['json', 'aws', 'help', 'verbose']);

/** `validate a.yml --stage prod --json` -> { command, file, options, json, aws, help }. */
function parseArgs(argv) {
  const [command, ...rest] = argv;
  const parsed = { command, file: undefined, options: {}, json: false, aws: false, help: false };
  const positional = (arg) => {
    if (parsed.file !== undefined) throw new Error(`unexpected argument \`${arg}\``);
    parsed.file = arg;
  };
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i];
    if (arg === '--') {
      rest.slice(i + 1).forEach(positional);
      break;
    }
    const flag = /^--?([^=]+)(?:=(.*))?$/.exec(arg);
    if (!flag) {
      positional(arg);
      continue;
    }
    const name = SHORT[flag[1]] || flag[1];
    if (FLAGS.has(name)) {
      if (name !== 'verbose') parsed[name] = flag[2] === undefined || !['false', '0', 'no'].includes(flag[2]);
      continue;
    }
    let value = flag[2];
    if (value === undefined) {
      value = rest[i + 1];
      if (value === undefined || value.startsWith('-')) throw new Error(`option --${name} needs a value`);
      i += 1;
    }
    // An empty value counts as not given, as the Framework reads `--stage=`.
    if (value !== '') parsed.options[name] = value;
  }
  if (parsed.options.config !== undefined) {
    if (parsed.file !== undefined) throw new Error('give the service file once, as an argument or with --config');
    parsed.file = parsed.options.config;
    delete parsed.options.config;
  }
  return parsed;
}

// The Framework's service files, in the order it looks for them.
const SERVICE_FILES = ['yml', 'yaml', 'json', 'js', 'mjs', 'cjs', 'ts'].map((extension) => `serverless.${extension}`);

/** The service file to check: the one given, else the first the Framework would find here. */
function serviceFile(given) {
  if (given !== undefined) return given;
  return SERVICE_FILES.find((name) => fs.existsSync(name)) || 'serverless.yml';
}

/** The report as --json prints it. */
const jsonReport = ({ errors, warnings, diagnostics }) =>
  `${JSON.stringify({ valid: errors === 0, errors, warnings, diagnostics }, null, 2)}\n`;

async function main(argv) {
  let args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    process.stderr.write(`serverless-canary: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help || args.command === '--help' || args.command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.command !== 'validate') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const file = serviceFile(args.file);
  let text = '';
  let readError;
  try {
    text = fs.readFileSync(path.resolve(file), 'utf8');
  } catch (error) {
    readError = error.code || error.message;
  }
  const { call } = require('../lib/native.js');
  /** @type {import('../lib/native-answers').CheckReport} */
  const report = call('validateSource', { file, text, readError, options: args.options, env: process.env });
  if (report.unreadable) {
    if (args.json) process.stdout.write(jsonReport({ errors: 1, warnings: 0, diagnostics: [report.unreadable] }));
    else process.stderr.write(`${report.unreadable.rendered}\n`);
    return 2;
  }
  const notes = [];
  if (args.aws && !(report.preflight && report.preflight.deploymentGroups.length)) {
    notes.push(`${file}: nothing is canaried in this stage, so AWS was not asked`);
  } else if (args.aws) {
    /** @type {import('../lib/native-answers').CheckReport} */
    const online = await call('preflight', { ...report.preflight, source: { file, text } });
    report.diagnostics.push(...online.diagnostics);
    report.errors += online.errors;
    report.warnings += online.warnings;
  }
  if (args.json) {
    process.stdout.write(jsonReport(report));
  } else {
    for (const line of [...report.diagnostics.map((d) => d.rendered), ...notes]) process.stdout.write(`${line}\n`);
    process.stdout.write(`${file}: ${count(report.errors, 'error')}, ${count(report.warnings, 'warning')}\n`);
  }
  return report.errors > 0 ? 1 : 0;
}

const count = (n, noun) => `${n} ${noun}${n === 1 ? '' : 's'}`;

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
