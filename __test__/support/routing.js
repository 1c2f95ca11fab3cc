'use strict';

// An independent oracle for issue 4: walks a packaged template and lists every place a
// canaried function is still called bare, and every invoker whose permission went elsewhere.
// It knows CloudFormation, not the plugin: written from the resource types' documentation so
// that a gap in the plugin's routing table shows up here instead of being copied.

// Types that name a function without invoking it.
const BYSTANDERS = new Set([
  'AWS::Lambda::Version',
  'AWS::Lambda::Alias',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::Logs::LogGroup',
  'AWS::CodeDeploy::DeploymentGroup',
]);
// An alarm names the function in its dimensions too; only its actions call (see callingProperties).

// The service principal (first label) whose resource policy lets each invoker type call.
const SERVICE_OF = {
  'AWS::ApiGateway::Method': 'apigateway',
  'AWS::ApiGateway::Authorizer': 'apigateway',
  'AWS::ApiGatewayV2::Integration': 'apigateway',
  'AWS::ApiGatewayV2::Authorizer': 'apigateway',
  'AWS::SNS::Topic': 'sns',
  'AWS::SNS::Subscription': 'sns',
  'AWS::S3::Bucket': 's3',
  'AWS::Events::Rule': 'events',
  'AWS::Logs::SubscriptionFilter': 'logs',
  'AWS::IoT::TopicRule': 'iot',
  'AWS::IoT::ProvisioningTemplate': 'iot',
  'AWS::Cognito::UserPool': 'cognito-idp',
  'AWS::ElasticLoadBalancingV2::TargetGroup': 'elasticloadbalancing',
  'AWS::CloudWatch::Alarm': 'lambda',
};

// Properties by which a permission's SourceArn may spell out a source's name.
const SOURCE_NAMES = ['TopicName', 'BucketName', 'LogGroupName', 'RuleName', 'TemplateName', 'Name'];

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The functions the plugin canaried: every alias it added with a CodeDeploy update policy. */
function canariedFunctions(template) {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Alias' && r.UpdatePolicy && r.UpdatePolicy.CodeDeployLambdaAliasUpdate)
    .map(([aliasId, r]) => {
      const id = r.Properties.FunctionName.Ref;
      return { id, aliasId, alias: r.Properties.Name, name: template.Resources[id].Properties.FunctionName };
    });
}

/** `needle` occurs in `text` at least once where the text after it does not match `continues`. */
function occursAlone(text, needle, continues) {
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    if (!continues.test(text.slice(at + needle.length))) return true;
  }
  return false;
}

/**
 * Whether the name of a function, written alone at `where`, may be what calls it: AWS takes a
 * bare name in `FunctionName` (and in the `...Function`/`...FunctionArn` properties that accept
 * one), and code reads one from an environment variable to pass to Invoke. A description, a tag
 * or another resource's name that happens to read the same calls nothing.
 */
function nameCalls(where) {
  const keys = where.split(/\.|\[\d+\]/).filter(Boolean);
  if (keys.some((key) => key === 'Environment' || key.endsWith('EnvironmentVariables'))) return true;
  return /(Function|FunctionName|FunctionArn)$/.test(keys[keys.length - 1] || '');
}

/** Every path in `value` that names function `fn` unqualified: ARN, Ref, `${...}`, or literal name where a name calls. */
function bareReferences(value, fn, path = '') {
  const found = [];
  // A longer name, or `:qualifier`, continues the function's name into something else.
  const namesLiterally = (text, where) =>
    (text === fn.name && nameCalls(where)) || occursAlone(text, `function:${fn.name}`, /^[:A-Za-z0-9_-]/);
  const visit = (node, where) => {
    if (typeof node === 'string') {
      if (namesLiterally(node, where)) found.push(where);
      return;
    }
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${where}[${i}]`));
    if (!isObject(node)) return;
    const getAtt = node['Fn::GetAtt'];
    if (getAtt && (getAtt[0] === fn.id && getAtt[1] === 'Arn' || getAtt === `${fn.id}.Arn`)) return found.push(where);
    if (node.Ref === fn.id) return found.push(where);
    const join = node['Fn::Join'];
    // `Fn::Join [":", [Arn, qualifier]]` is a version or alias ARN, not the bare function.
    if (join && join[0] === ':' && join[1].length === 2 && isObject(join[1][0])) {
      const inner = join[1][0]['Fn::GetAtt'];
      if (inner && inner[0] === fn.id) return undefined;
    }
    const sub = node['Fn::Sub'];
    const subText = typeof sub === 'string' ? sub : Array.isArray(sub) ? sub[0] : null;
    if (typeof subText === 'string') {
      for (const placeholder of [`\${${fn.id}.Arn}`, `\${${fn.id}}`]) {
        if (occursAlone(subText, placeholder, /^:/)) return found.push(where);
      }
      if (namesLiterally(subText, where)) return found.push(where);
      return undefined;
    }
    for (const [key, item] of Object.entries(node)) visit(item, `${where}.${key}`);
    return undefined;
  };
  visit(value, path);
  return found;
}

const principalService = (principal) => {
  const text = typeof principal === 'string' ? principal : principal && principal['Fn::Join'] && principal['Fn::Join'][1][0];
  return typeof text === 'string' ? text.split('.')[0] : null;
};

/** `value` calls `fn`'s alias: `Ref` of it, `${Alias}` in a `Fn::Sub`, or the ARN joined with its name. */
function targetsAlias(value, fn) {
  const text = JSON.stringify(value ?? null);
  return (
    text.includes(`{"Ref":"${fn.aliasId}"}`) ||
    text.includes(`\${${fn.aliasId}}`) ||
    text.includes(`{"Fn::GetAtt":["${fn.id}","Arn"]},"${fn.alias}"]`)
  );
}

const PSEUDO = /^AWS::/;

/** The distinctive values of an invoker's properties: its `Ref`s and its longer strings. */
function distinctiveValues(properties) {
  const refs = new Set();
  const strings = new Set();
  const visit = (node) => {
    if (typeof node === 'string') {
      if (node.length >= 3 && /[A-Za-z0-9]/.test(node)) strings.add(node);
    } else if (Array.isArray(node)) {
      node.forEach(visit);
    } else if (isObject(node)) {
      if (typeof node.Ref === 'string' && !PSEUDO.test(node.Ref)) refs.add(node.Ref);
      Object.values(node).forEach(visit);
    }
  };
  visit(properties);
  return { refs, strings };
}

/**
 * Whether `permission` lets invoker `id` call, read from AWS's rules: the same service, an
 * invoke action, and a SourceArn naming the invoker (its logical ID, a `Ref` it shares, one of
 * its names ending an ARN segment, or a `prefix*` covering one, also the names of a source it
 * `Ref`s); without a SourceArn, any
 * caller of that service unless narrowed to another account, an organisation or Alexa skill.
 */
function grants(permission, [id, invoker], service, resources) {
  const p = permission.Properties;
  if (principalService(p.Principal) !== service) return false;
  if (!['lambda:InvokeFunction', 'lambda:*', 'lambda:InvokeFunctionUrl'].includes(p.Action)) return false;
  if (p.SourceArn === undefined) {
    // `SourceAccount` of the stack's own account narrows nothing.
    const thisAccount = isObject(p.SourceAccount) && (p.SourceAccount.Ref === 'AWS::AccountId' || p.SourceAccount['Fn::Sub'] === '${AWS::AccountId}');
    const otherAccount = p.SourceAccount !== undefined && !thisAccount;
    return !(otherAccount || p.PrincipalOrgID || p.EventSourceToken);
  }
  const source = JSON.stringify(p.SourceArn);
  if (source.includes(`"${id}"`) || source.includes(`\${${id}`)) return true;
  const { refs, strings } = distinctiveValues(invoker.Properties);
  // A source the invoker `Ref`s (a subscription's topic) is also named by its own name, which
  // identifies it only within this account: an ARN with an account number is another source.
  const withAccount = /(^|[:"])\d{12}([:"]|$)/.test(source);
  for (const ref of refs) {
    for (const [key, value] of Object.entries((resources[ref] && resources[ref].Properties) || {})) {
      if (SOURCE_NAMES.includes(key) && typeof value === 'string' && !withAccount) strings.add(value);
    }
  }
  let named = false;
  const visit = (node) => {
    if (typeof node === 'string') {
      for (const value of strings) {
        if (node === value || node.endsWith(`:${value}`) || node.endsWith(`/${value}`)) named = true;
        if (node.length > 1 && node.endsWith('*') && !node.slice(0, -1).includes('*') && value.startsWith(node.slice(0, -1)) && /[A-Za-z]/.test(node)) named = true;
      }
    } else if (Array.isArray(node)) {
      node.forEach(visit);
    } else if (isObject(node)) {
      const getAtt = node['Fn::GetAtt'];
      const attOf = Array.isArray(getAtt) ? getAtt[0] : typeof getAtt === 'string' ? getAtt.split('.')[0] : null;
      if (refs.has(node.Ref) || refs.has(attOf)) named = true;
      if (typeof node['Fn::Sub'] === 'string' && [...refs].some((ref) => node['Fn::Sub'].includes(`\${${ref}`))) named = true;
      Object.values(node).forEach(visit);
    }
  };
  visit(p.SourceArn);
  return named;
}

/** The invoker's service when it calls through a resource policy, else null. */
function serviceOf(resource) {
  if (resource.Type === 'AWS::Lambda::Url') return resource.Properties.AuthType === 'NONE' ? '*' : null;
  return SERVICE_OF[resource.Type] || null;
}

/** Where a resource type invokes: alarms only through their actions, others anywhere. */
const callingProperties = (resource) =>
  resource.Type === 'AWS::CloudWatch::Alarm'
    ? { AlarmActions: resource.Properties.AlarmActions, OKActions: resource.Properties.OKActions, InsufficientDataActions: resource.Properties.InsufficientDataActions }
    : resource.Properties || {};

/**
 * Problems with `fn`'s routing in `template`, as strings; `warned(id)` tells whether the
 * plugin printed a warning naming resource `id`, which excuses a bare reference.
 */
function routingProblems(template, fn, warned) {
  const problems = [];
  const resources = Object.entries(template.Resources);
  for (const [id, resource] of resources) {
    if (id === fn.id || BYSTANDERS.has(resource.Type)) continue;
    // A URL or async config with a qualifier serves that version or alias, not the bare function.
    const qualifiedHere =
      ['AWS::Lambda::Url', 'AWS::Lambda::EventInvokeConfig'].includes(resource.Type) &&
      ![undefined, '$LATEST'].includes(resource.Properties.Qualifier);
    const bare = bareReferences(callingProperties(resource), fn, 'Properties');
    if (bare.length && !qualifiedHere && !warned(id)) {
      problems.push(`${id} (${resource.Type}) still names the bare function at ${bare.join(', ')}`);
    }
  }
  // Each invoker and every permission that grants it target the same thing.
  const permissions = resources.filter(
    ([, r]) =>
      r.Type === 'AWS::Lambda::Permission' &&
      (targetsAlias(r.Properties.FunctionName, fn) || bareReferences(r.Properties.FunctionName, fn).length > 0)
  );
  const invokers = resources.filter(([, r]) => {
    if (!serviceOf(r)) return false;
    if (r.Type === 'AWS::Lambda::Url') return bareReferences(r.Properties, fn).length > 0;
    return targetsAlias(callingProperties(r), fn) || bareReferences(callingProperties(r), fn).length > 0;
  });
  const onAlias = ([, r]) =>
    r.Type === 'AWS::Lambda::Url' ? r.Properties.Qualifier === fn.alias : targetsAlias(callingProperties(r), fn);
  const grantedToAlias = new Set();
  for (const invoker of invokers) {
    const service = serviceOf(invoker[1]);
    const granting = permissions.filter(([, p]) => grants(p, invoker, service, template.Resources));
    // Lambda checks a call against the policy of the ARN it names: a bare call whose every
    // permission is on the alias is denied, warned about or not.
    const servedByQualifier = invoker[1].Type === 'AWS::Lambda::Url' && ![undefined, '$LATEST'].includes(invoker[1].Properties.Qualifier);
    const callsBare = !servedByQualifier && bareReferences(callingProperties(invoker[1]), fn).length > 0;
    if (callsBare && granting.length && granting.every(([, p]) => targetsAlias(p.Properties.FunctionName, fn))) {
      problems.push(`${invoker[0]} still calls the bare function, but every permission granting it is on the alias`);
    }
    if (!onAlias(invoker)) continue;
    const aliasGrants = granting.filter(([, p]) => targetsAlias(p.Properties.FunctionName, fn));
    aliasGrants.forEach(([pid]) => grantedToAlias.add(pid));
    if (!aliasGrants.length && !warned(invoker[0])) problems.push(`${invoker[0]} calls the alias but no permission grants it there`);
    for (const [pid] of granting.filter((g) => !aliasGrants.includes(g))) {
      if (!warned(pid)) problems.push(`${pid} grants ${invoker[0]}, which calls the alias, on the bare function`);
    }
  }
  for (const [pid, p] of permissions) {
    if (targetsAlias(p.Properties.FunctionName, fn) && !grantedToAlias.has(pid) && !warned(pid)) {
      problems.push(`${pid} was moved to the alias but grants no invoker that calls it`);
    }
  }
  return problems;
}

/** Where function `id` is named, path by path, for comparing a function the plugin must not touch. */
function referencesTo(template, fn) {
  const found = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (id === fn.id) continue;
    const paths = bareReferences(resource.Properties || {}, fn, 'Properties');
    if (paths.length) found[id] = paths;
  }
  return found;
}

/** The plugin's warnings from `sls package` output, one string each, without their `file:line:col: `. */
function pluginWarnings(output) {
  const warning = /serverless-canary: (?:\S+:\d+:\d+: )?(warning\[.*)$/;
  return output
    .split('\n')
    .map((line) => warning.exec(line))
    .filter(Boolean)
    .map((match) => match[1]);
}

module.exports = { canariedFunctions, routingProblems, referencesTo, pluginWarnings };
