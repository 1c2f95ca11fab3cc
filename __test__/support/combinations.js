'use strict';

// Generated services that combine every feature of the plugin with each other and with the
// companion plugins users run beside it, one per seed: the same seed writes the same service.
// Each is described by what it combines, so a run can count the combinations it covered, and
// says whether it plants a cycle of the user's own (a function naming an alias that names it
// back), which packaging must refuse.

const fs = require('node:fs');
const path = require('node:path');

const { copyFixture } = require('./framework');

/** mulberry32: a small seeded generator, the same sequence on every machine. */
function random(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    shuffle: (items) => {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i -= 1) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    },
  };
}

const TYPES = {
  canary: ['Canary10Percent5Minutes', 'Canary10Percent15Minutes'],
  linear: ['Linear10PercentEvery1Minute', 'Linear10PercentEvery3Minutes'],
  allAtOnce: ['AllAtOnce'],
  customCanary: ['Canary20Percent3Minutes'],
  customLinear: ['Linear25PercentEvery2Minutes'],
};
const SPLIT_MODES = {
  perFunction: { perFunction: true, perType: false },
  perType: { perType: true },
  perGroupFunction: { perGroupFunction: true, perType: false, nestedStackCount: 3 },
};

const upper = (name) => name[0].toUpperCase() + name.slice(1);
const fnId = (name) => `${upper(name)}LambdaFunction`;

/**
 * The service of `seed`: { dir, args, framework, features, plantsCycle }: whether its own
 * references close a cycle, which packaging must refuse. `features` names each
 * combination it holds (`type:linear`, `companion:split-stacks:perType`, `alarm:inline`, ...).
 */
function generateService(seed) {
  const r = random(seed);
  const features = new Set();
  const framework = r.pick(['serverless', 'serverless', 'osls', 'osls4']);
  features.add(`framework:${framework}`);
  const name = `gen${seed}`;
  const count = r.int(2, 6);
  const canaried = Array.from({ length: count }, (_, i) => `fn${i}`);
  const companions = {
    splitStacks: r.chance(0.35) ? r.pick(Object.keys(SPLIT_MODES)) : null,
    stepFunctions: r.chance(0.3),
    appSync: r.chance(0.25),
    iamRolesPerFunction: r.chance(0.3),
    warmup: r.chance(0.25) ? r.pick(['latest', 'alias']) : null,
    prune: r.chance(0.25) ? r.pick([0, 2]) : null,
  };
  // Under split-stacks, a `!Ref` to another function's alias makes their stacks wait for each
  // other whenever the split puts them apart; users name the alias by its ARN there.
  const refByArn = companions.splitStacks !== null;
  // Decided up front: a reference to an alias must name the one the function will have.
  const provisioned = new Set(canaried.filter(() => r.chance(0.2)));
  const frameworkAlias = provisioned.size > 0 ? r.pick(['replace', 'reuse', null]) : null;
  const aliasId = (fn) => (frameworkAlias === 'reuse' && provisioned.has(fn) ? `${upper(fn)}ProvConcLambdaAlias` : `${fnId(fn)}AliasLive`);
  const aliasRef = (fn) =>
    refByArn
      ? { 'Fn::Sub': `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${name}-dev-${fn}:Live` }
      : { Ref: aliasId(fn) };

  const resources = {
    UserErrorsAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        // By the function's name, as users write it: a `Ref` to a function that another
        // function's group waits for would close a cycle of the user's own.
        Dimensions: [{ Name: 'FunctionName', Value: `${name}-dev-probe` }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      },
    },
    DeployTopic: { Type: 'AWS::SNS::Topic' },
    Jobs: { Type: 'AWS::SQS::Queue' },
  };
  const functions = {
    hookPre: { handler: 'handler.hello' },
    hookPost: { handler: 'handler.hello' },
    probe: { handler: 'handler.hello' },
  };
  const custom = { deploymentSettings: { alias: 'Live' } };

  // Functions whose inline alarm `Check` the next one also watches, by its logical ID.
  const withInlineAlarm = new Set();
  for (const [i, fn] of canaried.entries()) {
    const family = r.pick(Object.keys(TYPES));
    features.add(`type:${family}`);
    const settings = { type: r.pick(TYPES[family]) };
    const alarms = [];
    if (r.chance(0.4)) {
      // Every other one with an extended statistic, drawing nothing more from `r`, so each
      // seed keeps the service it had.
      const statistic = i % 2 ? 'tm99' : 'Sum';
      alarms.push({ name: 'Check', namespace: 'AWS/Lambda', metric: 'Errors', threshold: 3, statistic, period: 60, evaluationPeriods: 1, comparisonOperator: 'GreaterThanOrEqualToThreshold' });
      features.add('alarm:inline');
      if (statistic !== 'Sum') features.add('alarm:extended-statistic');
      withInlineAlarm.add(fn);
    }
    // By logical ID only without split-stacks: apart, the two stacks may wait for each other,
    // which packaging refuses (`dependency-cycle` names them); users name the alarm there.
    const previous = canaried[i - 1];
    if (previous && withInlineAlarm.has(previous) && !refByArn) {
      alarms.push(`${upper(previous)}CheckAlarm`);
      features.add('alarm:other-function');
    }
    if (r.chance(0.3)) {
      alarms.push('UserErrorsAlarm');
      features.add('alarm:referenced');
    }
    if (r.chance(0.2)) {
      alarms.push({ name: 'team-errors' });
      features.add('alarm:by-name');
    }
    if (alarms.length) settings.alarms = alarms;
    if (r.chance(0.3)) {
      settings.canaryAlarms = [{ preset: 'errors' }];
      features.add('canaryAlarms');
    }
    if (r.chance(0.3)) {
      settings.smokeTest = [{ name: 'up', event: { path: '/' } }];
      features.add('smokeTest');
    } else if (r.chance(0.3)) {
      settings.preTrafficHook = 'hookPre';
      features.add('hook:pre');
    }
    if (r.chance(0.3)) {
      settings.minTraffic = 10;
      features.add('minTraffic');
    } else if (r.chance(0.3)) {
      settings.postTrafficHook = 'hookPost';
      features.add('hook:post');
    }
    if (r.chance(0.3)) {
      settings.compareToBaseline = { errorRate: 2 };
      features.add('compareToBaseline');
    }
    if (r.chance(0.25)) {
      settings.triggerConfigurations = [{ TriggerName: 'deploys', TriggerTargetArn: { Ref: 'DeployTopic' }, TriggerEvents: ['DeploymentFailure'] }];
      features.add('triggers');
    }
    const fnConfig = { handler: 'handler.hello', deploymentSettings: settings, events: [] };
    const event = r.pick(['http', 'sqs', 'schedule', 'none']);
    features.add(`event:${event}`);
    if (event === 'http') fnConfig.events.push({ http: { path: fn, method: 'get' } });
    if (event === 'sqs') fnConfig.events.push({ sqs: { arn: { 'Fn::GetAtt': ['Jobs', 'Arn'] } } });
    if (event === 'schedule') fnConfig.events.push({ schedule: 'rate(1 hour)' });
    if (provisioned.has(fn)) {
      fnConfig.provisionedConcurrency = 1;
      features.add('provisionedConcurrency');
    }
    // A reference to a later function's alias: the chains must run that one first.
    if (i + 1 < count && r.chance(0.4)) {
      fnConfig.environment = { NEXT: aliasRef(canaried[r.int(i + 1, count - 1)]) };
      features.add(refByArn ? 'reference:env-arn' : 'reference:env-ref');
    }
    if (companions.iamRolesPerFunction && r.chance(0.5)) {
      fnConfig.iamRoleStatements = [{ Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: { 'Fn::GetAtt': ['Jobs', 'Arn'] } }];
      features.add('companion:iam-roles-per-function');
    }
    if (companions.warmup === 'alias' && r.chance(0.5)) fnConfig.warmup = { default: { alias: 'Live' } };
    functions[fn] = fnConfig;
  }
  // A user cycle, now and then: the last function names the first one's alias, which names it.
  if (!refByArn && count >= 2 && r.chance(0.08)) {
    functions.fn0.environment = { NEXT: aliasRef(canaried[count - 1]) };
    functions[canaried[count - 1]].environment = { BACK: aliasRef('fn0') };
    features.add('reference:planted-cycle');
  }
  // The hook function names a canaried alias whose function it does not gate.
  const ungated = canaried.find((fn) => functions[fn].deploymentSettings.preTrafficHook !== 'hookPre');
  if (ungated && r.chance(0.4)) {
    functions.hookPre.environment = { WATCH: aliasRef(ungated) };
    features.add('reference:hook');
  }
  // A custom resource, run by a function of the service, that names a canaried alias.
  if (r.chance(0.35)) {
    resources.Probe = {
      Type: 'Custom::Probe',
      Properties: { ServiceToken: { 'Fn::GetAtt': [fnId('probe'), 'Arn'] }, Target: aliasRef(r.pick(canaried)) },
    };
    features.add('reference:custom-resource');
  }
  if (r.chance(0.4)) {
    custom.deploymentSettings.maxConcurrentDeployments = r.int(1, 3);
    features.add('maxConcurrentDeployments');
  }
  if (frameworkAlias) {
    custom.deploymentSettings.frameworkAlias = frameworkAlias;
    features.add(`frameworkAlias:${frameworkAlias}`);
  }

  const plugins = ['serverless-canary'];
  const extra = {};
  if (companions.splitStacks) {
    plugins.push('serverless-plugin-split-stacks');
    custom.splitStacks = SPLIT_MODES[companions.splitStacks];
    features.add(`companion:split-stacks:${companions.splitStacks}`);
  }
  if (companions.stepFunctions) {
    plugins.push('serverless-step-functions');
    const [a, b] = [r.pick(canaried), r.pick(canaried)];
    extra.stepFunctions = {
      stateMachines: {
        flow: {
          definition: {
            StartAt: 'First',
            States: {
              First: { Type: 'Task', Resource: { 'Fn::GetAtt': [a, 'Arn'] }, Next: 'Second' },
              Second: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: { 'Fn::GetAtt': [b, 'Arn'] }, 'Payload.$': '$' }, End: true },
            },
          },
        },
      },
    };
    features.add('companion:step-functions');
  }
  if (companions.appSync) {
    plugins.push('serverless-appsync-plugin');
    extra.appSync = {
      name: name,
      authentication: { type: 'API_KEY' },
      apiKeys: [{ name: 'default' }],
      resolvers: { 'Query.order': { kind: 'UNIT', dataSource: 'orders' }, 'Query.product': { kind: 'UNIT', dataSource: 'catalog' } },
      dataSources: {
        orders: { type: 'AWS_LAMBDA', config: { functionName: r.pick(canaried) } },
        catalog: { type: 'AWS_LAMBDA', config: { functionName: 'probe' } },
      },
    };
    features.add('companion:appsync');
  }
  if (companions.iamRolesPerFunction) plugins.push('serverless-iam-roles-per-function');
  if (companions.warmup) {
    plugins.push('serverless-plugin-warmup');
    custom.warmup = { default: { enabled: true } };
    features.add(`companion:warmup:${companions.warmup}`);
  }
  if (companions.prune !== null) {
    plugins.push('serverless-prune-plugin');
    custom.prune = { automatic: true, number: companions.prune };
    features.add(`companion:prune:${companions.prune}`);
  }
  const args = [];
  if (r.chance(0.15)) {
    args.push('--canary-bypass');
    features.add('canary-bypass');
  }

  if (plugins.length > 2) features.add('plugins:shuffled');

  const service = {
    service: name,
    frameworkVersion: framework === 'osls4' ? '4' : '3',
    plugins: r.shuffle(plugins),
    provider: { name: 'aws', runtime: 'nodejs20.x', region: 'us-east-1' },
    package: { excludeDevDependencies: false, patterns: ['!**', 'handler.js', 'schema.graphql'] },
    custom,
    functions,
    resources: { Resources: resources },
    ...extra,
  };
  // JSON is YAML: the service file is written as it would be read.
  const dir = copyFixture('events-appsync', () => `${JSON.stringify(service, null, 2)}\n`);
  fs.copyFileSync(path.join(__dirname, '..', '..', 'fixtures', 'example', 'handler.js'), path.join(dir, 'handler.js'));
  const plantsCycle = userCycle(functions, canaried, refByArn);
  if (plantsCycle) features.add('reference:user-cycle');
  return { dir, args, framework, features: [...features], plantsCycle };
}

/**
 * Whether the service's own references close a cycle, from what the plugin documents it
 * generates: a function waits for each alias it names by `Ref`; an alias for its function and
 * its hooks (and a hook for each alias it names); and the deployment group of a function with
 * `canaryAlarms` watches the stack's composite alarm, which waits for every canary alarm, each
 * waiting for its function. Under split-stacks the references are ARNs, which wait for nothing.
 */
function userCycle(functions, canaried, refByArn) {
  if (refByArn) return false;
  const named = (config) => Object.values((config && config.environment) || {}).map((v) => v.Ref).filter(Boolean);
  const aliasOf = new Map(canaried.flatMap((fn) => [[`${fnId(fn)}AliasLive`, fn], [`${upper(fn)}ProvConcLambdaAlias`, fn]]));
  const withAlarms = canaried.filter((fn) => functions[fn].deploymentSettings.canaryAlarms);
  const edges = new Map();
  const add = (from, to) => edges.set(from, [...(edges.get(from) || []), to]);
  for (const fn of canaried) {
    for (const id of named(functions[fn])) add(`fn:${fn}`, `alias:${aliasOf.get(id)}`);
    add(`alias:${fn}`, `fn:${fn}`);
    const { preTrafficHook, postTrafficHook, canaryAlarms, alarms = [] } = functions[fn].deploymentSettings;
    for (const hook of [preTrafficHook, postTrafficHook].filter(Boolean)) add(`alias:${fn}`, `fn:${hook}`);
    if (canaryAlarms) for (const other of withAlarms) add(`alias:${fn}`, `fn:${other}`);
    // Watching another function's inline alarm: the group waits for it, and it names that function.
    for (const other of canaried) if (other !== fn && alarms.includes(`${upper(other)}CheckAlarm`)) add(`alias:${fn}`, `fn:${other}`);
  }
  for (const hook of ['hookPre', 'hookPost']) for (const id of named(functions[hook])) add(`fn:${hook}`, `alias:${aliasOf.get(id)}`);
  const state = new Map();
  const visit = (node) => {
    if (state.get(node) === 'open') return true;
    if (state.get(node) === 'done') return false;
    state.set(node, 'open');
    const found = (edges.get(node) || []).some(visit);
    state.set(node, 'done');
    return found;
  };
  return [...edges.keys()].some(visit);
}

module.exports = { generateService };
