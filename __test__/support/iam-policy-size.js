'use strict';

// What IAM counts against a role's quota of 10,240 characters of inline policy: every inline
// policy document on the role (its own `Policies` and each AWS::IAM::Policy naming it in
// `Roles`), as CloudFormation hands it to IAM, with intrinsics resolved to real names and ARNs,
// whitespace not counted (IAM quotas page). An independent reading of the packaged template:
// nothing here comes from the plugin.

const PARTITION = 'aws';
const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

/** A name CloudFormation generates: `<stack>-<logical ID>-<13 random characters>`, cut to `max`. */
const generated = (stack, id, max) => `${stack}-${id}-ABCDEFGHIJKLM`.slice(0, max);

/** Resolves the intrinsics of a template's values as CloudFormation would in `stack`. */
function resolver(template, stack) {
  const resources = template.Resources;
  const nameOf = (id) => {
    const resource = resources[id];
    if (!resource) throw new Error(`Ref to ${id}, which the template does not have`);
    const props = resource.Properties || {};
    switch (resource.Type) {
      case 'AWS::IAM::Role':
        return props.RoleName || generated(stack, id, 64);
      case 'AWS::Lambda::Function':
        return props.FunctionName || generated(stack, id, 64);
      case 'AWS::CodeDeploy::Application':
        return props.ApplicationName || generated(stack, id, 100);
      case 'AWS::CodeDeploy::DeploymentGroup':
        return props.DeploymentGroupName || generated(stack, id, 100);
      case 'AWS::Logs::LogGroup':
        return props.LogGroupName || generated(stack, id, 512);
      default:
        return generated(stack, id, 64);
    }
  };
  const arnOf = (id) => {
    const name = nameOf(id);
    switch (resources[id].Type) {
      case 'AWS::Lambda::Function':
        return `arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:${name}`;
      case 'AWS::IAM::Role':
        return `arn:${PARTITION}:iam::${ACCOUNT}:role/${name}`;
      case 'AWS::Logs::LogGroup':
        return `arn:${PARTITION}:logs:${REGION}:${ACCOUNT}:log-group:${name}:*`;
      default:
        throw new Error(`no ARN known for ${id} (${resources[id].Type})`);
    }
  };
  const pseudo = {
    'AWS::Partition': PARTITION,
    'AWS::Region': REGION,
    'AWS::AccountId': ACCOUNT,
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': stack,
  };
  const ref = (name) => (name in pseudo ? pseudo[name] : nameOf(name));
  const sub = (text, variables = {}) =>
    text.replace(/\$\{([^}]+)\}/g, (_, name) => {
      if (name in variables) return resolve(variables[name]);
      const [id, attribute] = name.split('.');
      return attribute ? getAtt(id, attribute) : ref(id);
    });
  const getAtt = (id, attribute) => {
    if (attribute !== 'Arn') throw new Error(`Fn::GetAtt ${id}.${attribute} is not resolved here`);
    return arnOf(id);
  };
  function resolve(value) {
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [key] = keys;
      const argument = value[key];
      if (key === 'Ref') return ref(argument);
      if (key === 'Fn::GetAtt') return getAtt(...(Array.isArray(argument) ? argument : argument.split('.')));
      if (key === 'Fn::Sub') return Array.isArray(argument) ? sub(argument[0], argument[1]) : sub(argument);
      if (key === 'Fn::Join') return resolve(argument[1]).join(argument[0]);
      if (key.startsWith('Fn::')) throw new Error(`${key} is not resolved here`);
    }
    return Object.fromEntries(keys.map((key) => [key, resolve(value[key])]));
  }
  return resolve;
}

/** Role logical ID -> characters of inline policy IAM counts for it, for every role in the template. */
function inlinePolicySizes(template, stack) {
  const resolve = resolver(template, stack);
  const size = (document) => JSON.stringify(resolve(document)).replace(/\s/g, '').length;
  const sizes = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Role') continue;
    sizes[id] = (resource.Properties.Policies || []).reduce((sum, policy) => sum + size(policy.PolicyDocument), 0);
  }
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    for (const role of resource.Properties.Roles || []) {
      if (!role.Ref) throw new Error(`a policy on a role outside the template: ${JSON.stringify(role)}`);
      sizes[role.Ref] += size(resource.Properties.PolicyDocument);
    }
  }
  return sizes;
}

module.exports = { inlinePolicySizes, resolver };
