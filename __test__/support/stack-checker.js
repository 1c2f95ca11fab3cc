'use strict';

// An independent checker of packaged stacks: it shares no code with the plugin (whose graph and
// quota checks live in Rust) and reads only the files the Framework and
// serverless-plugin-split-stacks wrote. What it holds them to is what CloudFormation refuses
// beyond the resource schemas, which cfn-lint checks:
// - every Ref, Fn::GetAtt, ${...} of Fn::Sub and DependsOn resolves in its own template (a
//   resource there, a parameter for Ref and Sub, or a pseudo parameter), and every Condition too;
// - no dependency cycle in any template ("Circular dependency between resources");
// - a nested stack gets exactly the parameters its template declares without a default, and
//   every `Outputs.X` read from it is an output of its template;
// - the quotas of "CloudFormation quotas": 500 resources, 200 parameters, 200 outputs, logical
//   IDs of at most 255 alphanumeric characters, 1 MB of template read from S3.

const fs = require('node:fs');
const path = require('node:path');

const QUOTAS = { Resources: 500, Parameters: 200, Outputs: 200 };
const LOGICAL_ID = /^[A-Za-z0-9]{1,255}$/;
const TEMPLATE_BYTES = 1_048_576;

/** `${Name}` and `${Name.Attr}` placeholders of a Sub string; `${!Literal}` is text. */
function subNames(text) {
  const names = [];
  for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
    if (!match[1].startsWith('!')) names.push(match[1].trim());
  }
  return names;
}

/** Every reference in `node`: { kind: 'Ref' | 'GetAtt' | 'Sub', target, attribute }. */
function references(node, out = []) {
  if (Array.isArray(node)) {
    for (const item of node) references(item, out);
  } else if (node && typeof node === 'object') {
    const keys = Object.keys(node);
    if (keys.length === 1 && keys[0] === 'Ref' && typeof node.Ref === 'string') {
      out.push({ kind: 'Ref', target: node.Ref });
      return out;
    }
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      const value = node['Fn::GetAtt'];
      const [target, ...attribute] = Array.isArray(value) ? value : String(value).split('.');
      out.push({ kind: 'GetAtt', target, attribute: attribute.join('.') });
      return out;
    }
    if (keys.length === 1 && keys[0] === 'Fn::Sub') {
      const value = node['Fn::Sub'];
      const [text, variables = {}] = Array.isArray(value) ? value : [value];
      for (const name of subNames(String(text))) {
        const [target, ...attribute] = name.split('.');
        if (!(target in variables)) out.push({ kind: attribute.length ? 'GetAtt' : 'Sub', target, attribute: attribute.join('.') });
      }
      references(variables, out);
      return out;
    }
    for (const key of keys) references(node[key], out);
  }
  return out;
}

const dependsOn = (resource) => [].concat(resource.DependsOn || []);

/** Problems of one template, each a line naming the stack. */
function checkTemplate(name, template, problems) {
  const resources = template.Resources || {};
  const parameters = template.Parameters || {};
  const conditions = template.Conditions || {};
  for (const [section, limit] of Object.entries(QUOTAS)) {
    const count = Object.keys(template[section] || {}).length;
    if (count > limit) problems.push(`${name}: ${count} ${section.toLowerCase()}, over CloudFormation's ${limit}`);
  }
  for (const id of [...Object.keys(resources), ...Object.keys(template.Outputs || {})]) {
    if (!LOGICAL_ID.test(id)) problems.push(`${name}: logical ID ${id} is not 1-255 alphanumeric characters`);
  }
  const edges = new Map();
  for (const [id, resource] of Object.entries(resources)) {
    const waits = new Set();
    for (const ref of references(resource)) {
      if (ref.target.startsWith('AWS::')) continue;
      if (ref.kind !== 'GetAtt' && ref.target in parameters) continue;
      if (!(ref.target in resources)) {
        problems.push(`${name}: ${id} names ${ref.target} (${ref.kind}), which is not in this stack`);
        continue;
      }
      waits.add(ref.target);
    }
    for (const target of dependsOn(resource)) {
      if (target in resources) waits.add(target);
      else problems.push(`${name}: ${id} DependsOn ${target}, which is not in this stack`);
    }
    if (resource.Condition && !(resource.Condition in conditions)) {
      problems.push(`${name}: ${id} has Condition ${resource.Condition}, which is not in this stack`);
    }
    edges.set(id, waits);
  }
  for (const [output, { Value }] of Object.entries(template.Outputs || {})) {
    for (const ref of references(Value)) {
      if (ref.target.startsWith('AWS::') || (ref.kind !== 'GetAtt' && ref.target in parameters)) continue;
      if (!(ref.target in resources)) problems.push(`${name}: output ${output} names ${ref.target}, which is not in this stack`);
    }
  }
  const cycle = findCycle(edges);
  if (cycle) problems.push(`${name}: dependency cycle ${cycle.join(' -> ')}`);
}

/** A cycle of `edges` (id -> ids it waits for) as a list of ids, or null. Iterative DFS. */
function findCycle(edges) {
  const state = new Map(); // id -> 'open' | 'done'
  for (const start of edges.keys()) {
    if (state.has(start)) continue;
    const stack = [[start, [...edges.get(start)]]];
    state.set(start, 'open');
    while (stack.length) {
      const [id, next] = stack[stack.length - 1];
      if (next.length === 0) {
        state.set(id, 'done');
        stack.pop();
        continue;
      }
      const target = next.pop();
      if (state.get(target) === 'open') {
        const from = stack.findIndex(([open]) => open === target);
        return [...stack.slice(from).map(([open]) => open), target];
      }
      if (!state.has(target)) {
        state.set(target, 'open');
        stack.push([target, [...(edges.get(target) || [])]]);
      }
    }
  }
  return null;
}

/**
 * The nested templates split-stacks wrote beside the root template (it writes them to
 * `.serverless`, which `package --package <dir>` then moves), by the root's logical ID.
 */
function nestedTemplates(dir) {
  const found = {};
  if (!fs.existsSync(dir)) return found;
  for (const file of fs.readdirSync(dir)) {
    const match = /^cloudformation-template-(.+)-nested-stack(?:-(\d+))?\.json$/.exec(file);
    if (match) found[`${match[1]}NestedStack${match[2] || ''}`] = { file: path.join(dir, file), template: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) };
  }
  return found;
}

/**
 * Every problem of a packaged service: its root template (at `templatePath`) and the nested
 * stacks beside it. An empty list is a stack CloudFormation would take.
 */
function checkStacks({ templatePath }) {
  const problems = [];
  const root = JSON.parse(fs.readFileSync(templatePath, 'utf8'));
  const nested = nestedTemplates(path.dirname(templatePath));
  for (const [name, file] of [['root', templatePath], ...Object.values(nested).map((n) => [path.basename(n.file), n.file])]) {
    const bytes = fs.statSync(file).size;
    if (bytes > TEMPLATE_BYTES) problems.push(`${name}: ${bytes} bytes, over the ${TEMPLATE_BYTES} CloudFormation reads from S3`);
  }
  checkTemplate('root', root, problems);
  const stacks = Object.entries(root.Resources).filter(([, r]) => r.Type === 'AWS::CloudFormation::Stack');
  for (const [id, stack] of stacks) {
    const child = nested[id];
    if (!child) {
      problems.push(`root: nested stack ${id} has no template beside the root's`);
      continue;
    }
    checkTemplate(id, child.template, problems);
    const given = Object.keys((stack.Properties && stack.Properties.Parameters) || {});
    const declared = child.template.Parameters || {};
    for (const parameter of given) if (!(parameter in declared)) problems.push(`root: ${id} is given ${parameter}, which its template does not declare`);
    for (const [parameter, { Default }] of Object.entries(declared)) {
      if (Default === undefined && !given.includes(parameter)) problems.push(`root: ${id} is not given ${parameter}`);
    }
  }
  for (const template of [root, ...Object.values(nested).map((n) => n.template)]) {
    for (const ref of references(template.Resources || {}).concat(references(template.Outputs || {}))) {
      if (ref.kind !== 'GetAtt' || !ref.attribute.startsWith('Outputs.')) continue;
      const child = nested[ref.target];
      const output = ref.attribute.slice('Outputs.'.length);
      if (child && !(output in (child.template.Outputs || {}))) problems.push(`${ref.target} has no output ${output}`);
    }
  }
  return { problems, nested, root };
}

module.exports = { checkStacks, findCycle, references };
