'use strict';

// What the packaged template makes CodeDeploy do for each canaried function: the hooks on its
// alias's UpdatePolicy and the alarms its deployment group watches. Read from the template
// alone, through the names docs/configuration.md documents, never through the plugin's code.

const { loadInlineHook } = require('../inline-hook');

/** `a`, `a and b`, `a, b and c`: how the plan names the other functions sharing a composite. */
const listed = (names) => (names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);

const ALARM_TYPES = new Set(['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm']);

/**
 * Function name -> { hooks: [{ kind, detail, when, active }], alarms: [{ name, consulted }],
 * consulted, rollsBackOnCanary }, for every alias CodeDeploy updates. `stack` is `<service>-<stage>`.
 */
function templateView(template, stack) {
  const resources = template.Resources;
  const resource = (id) => {
    if (!resources[id]) throw new Error(`the template names ${id}, which it does not define`);
    return resources[id];
  };
  // The Framework names each function `<service>-<stage>-<key>`.
  const functionKey = (logicalId) => {
    const name = resource(logicalId).Properties.FunctionName;
    return typeof name === 'string' && name.startsWith(`${stack}-`) ? name.slice(stack.length + 1) : undefined;
  };
  const generatedHookConfig = new Map();
  const hookConfig = (logicalId) => {
    if (!generatedHookConfig.has(logicalId)) generatedHookConfig.set(logicalId, loadInlineHook(resource(logicalId).Properties.Code.ZipFile).config);
    return generatedHookConfig.get(logicalId);
  };

  const hook = (when, ref, groupName) => {
    const target = resource(ref.Ref);
    const name = target.Properties.FunctionName;
    if (name === `CodeDeployHook_${stack}-smoke-test`) {
      const tests = hookConfig(ref.Ref)[groupName].smokeTest;
      return { kind: 'smoke test', detail: tests.map((test) => test.name).join(', '), when, active: true };
    }
    if (name === `CodeDeployHook_${stack}-traffic-guard`) {
      return { kind: 'traffic guard', detail: String(hookConfig(ref.Ref)[groupName].minTraffic), when, active: true };
    }
    return { kind: 'function', detail: functionKey(ref.Ref) ?? ref.Ref, when, active: true };
  };

  const isCanaryComposite = (alarm) => alarm?.Properties.AlarmName?.['Fn::Sub'] === `${stack}-canary-composite`;
  /** The composite's members, each `<service>-<stage>-<function>-canary-<name>-v<version>`. */
  const canaryMembers = (composite) => {
    const ids = [...JSON.stringify(composite.Properties.AlarmRule).matchAll(/ALARM\(\$\{(\w+)\}\)/g)].map((match) => match[1]);
    const named = new RegExp(`^${stack}-(.+)-canary-([a-z0-9]+)-v\\$\\{\\w+\\.Version\\}$`);
    return ids.map((id) => {
      const [, functionName, name] = named.exec(resource(id).Properties.AlarmName?.['Fn::Sub'] ?? '') ?? [];
      return { function: functionName ?? id, name };
    });
  };

  /** What the user wrote for an alarm the group watches, from the resource it names. */
  const alarmNames = (entry, key, prefix, functionId, consulted) => {
    if (typeof entry.Name === 'string') return [{ name: entry.Name, consulted }];
    // A name CloudFormation makes (`!Sub ...`) is named by the intrinsic, as written.
    if (!entry.Name.Ref) return [{ name: JSON.stringify(entry.Name), consulted }];
    const id = entry.Name.Ref;
    const alarm = resource(id);
    if (!ALARM_TYPES.has(alarm.Type)) throw new Error(`alarm ${id} is a ${alarm.Type}`);
    if (isCanaryComposite(alarm)) {
      // The stack's canary composite: this function's own canaryAlarms are its members on it,
      // and the other functions whose members it holds roll this one back too.
      const members = canaryMembers(alarm);
      const own = members.filter((member) => member.function === key).map((member) => ({ name: `canaryAlarms ${member.name}`, consulted }));
      const others = [...new Set(members.map((member) => member.function).filter((name) => name !== key))];
      return others.length ? [...own, { name: `canaryAlarms of ${listed(others)}`, consulted }] : own;
    }
    if (id === `${prefix}BaselineErrorRateAlarm`) return [{ name: 'compareToBaseline.errorRate', consulted }];
    if (id === `${prefix}BaselineP99Alarm`) return [{ name: 'compareToBaseline.p99Ratio', consulted }];
    // An inline definition is `<Function><Name>Alarm`, on this function's metrics.
    const inline = new RegExp(`^${prefix}(\\w+)Alarm$`).exec(id);
    if (inline && measures(alarm, functionId)) return [{ name: inline[1], consulted }];
    return [{ name: id, consulted }];
  };

  const view = new Map();
  for (const alias of Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Alias')) {
    const policy = alias.UpdatePolicy?.CodeDeployLambdaAliasUpdate;
    if (!policy) continue;
    const functionId = alias.Properties.FunctionName.Ref;
    const key = functionKey(functionId);
    const prefix = functionId.replace(/LambdaFunction$/, '');
    const group = resource(policy.DeploymentGroupName.Ref).Properties;
    const groupName = group.DeploymentGroupName;
    const hooks = [];
    if (policy.BeforeAllowTrafficHook) hooks.push(hook('beforeAllowTraffic', policy.BeforeAllowTrafficHook, groupName));
    if (policy.AfterAllowTrafficHook) hooks.push(hook('afterAllowTraffic', policy.AfterAllowTrafficHook, groupName));
    const consulted = group.AlarmConfiguration.Enabled === true;
    const alarms = (group.AlarmConfiguration.Alarms ?? []).flatMap((entry) => alarmNames(entry, key, prefix, functionId, consulted));
    // Every canary alarm whose firing rolls this function back, whichever function it is on.
    const composites = (group.AlarmConfiguration.Alarms ?? []).map((entry) => resources[entry.Name.Ref]).filter(isCanaryComposite);
    const rollsBackOnCanary = composites.flatMap(canaryMembers).map((member) => `${member.function} canaryAlarms ${member.name}`);
    view.set(key, { hooks, alarms, consulted: alarms.length ? consulted : 'no alarms', rollsBackOnCanary });
  }
  return view;
}

/** Whether an alarm counts one of `functionId`'s metrics (its FunctionName dimension). */
function measures(alarm, functionId) {
  return JSON.stringify(alarm.Properties).includes(`{"Name":"FunctionName","Value":{"Ref":"${functionId}"}}`);
}

module.exports = { templateView };
