'use strict';

// The routing oracle (support/routing.js) must catch what it exists to catch; otherwise the
// event fixtures' checks could pass on a template the plugin never touched.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const { routingProblems } = require('./support/routing');

const fn = { id: 'HelloLambdaFunction', aliasId: 'HelloLambdaFunctionAliasLive', alias: 'Live', name: 'svc-dev-hello' };
const arn = { 'Fn::GetAtt': ['HelloLambdaFunction', 'Arn'] };
const alias = { Ref: 'HelloLambdaFunctionAliasLive' };
const permission = (FunctionName, extra = {}) => ({
  Type: 'AWS::Lambda::Permission',
  Properties: { FunctionName, Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', ...extra },
});
const rule = (Arn) => ({ Type: 'AWS::Events::Rule', Properties: { Targets: [{ Id: 'x', Arn }] } });
const problems = (resources, warned = () => false) => routingProblems({ Resources: { HelloLambdaFunction: {}, ...resources } }, fn, warned);

test('a bare invoker is a problem unless warned about', () => {
  const bare = { Rule: rule(arn), Permission: permission(arn) };
  assert.deepEqual(problems(bare).map((p) => p.split(' ')[0]), ['Rule', 'Permission']);
  assert.deepEqual(problems(bare, (id) => id === 'Rule' || id === 'Permission'), []);
});

test('an invoker on the alias needs its permission there, and the other way round', () => {
  assert.deepEqual(problems({ Rule: rule(alias), Permission: permission(alias) }), []);
  assert.match(problems({ Rule: rule(alias), Permission: permission(arn) }).join(), /Permission.*bare|no permission grants it/);
  assert.match(problems({ Rule: rule({ 'Fn::Sub': '${HelloLambdaFunction.Arn}' }), Permission: permission(alias) }).join(), /nothing calls it|bare/);
});

test('literal names and unqualified Fn::Sub ARNs count; qualified ones do not', () => {
  const literal = { Type: 'AWS::StepFunctions::StateMachine', Properties: { Definition: 'arn:aws:lambda:us-east-1:1:function:svc-dev-hello' } };
  assert.equal(problems({ Machine: literal }).length, 1);
  const qualified = { Type: 'AWS::StepFunctions::StateMachine', Properties: { Definition: 'arn:aws:lambda:us-east-1:1:function:svc-dev-hello:Live' } };
  assert.deepEqual(problems({ Machine: qualified }), []);
});

test('permissions pair with the invoker their SourceArn names, not just with the service', () => {
  const ruleArn = (id) => ({ SourceArn: { 'Fn::GetAtt': [id, 'Arn'] } });
  const both = { A: rule(alias), B: rule(alias), PermissionA: permission(alias, ruleArn('A')) };
  assert.match(problems(both).join(), /B calls the alias but no permission grants it there/);
  const narrowed = { A: rule(alias), Elsewhere: permission(alias, { SourceAccount: '210987654321' }) };
  assert.match(problems(narrowed).join(), /Elsewhere was moved to the alias but grants no invoker/);
});

test('a bare call whose permission moved to the alias is denied, even when warned about', () => {
  const byName = { 'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:svc-dev-hello' };
  const twoTargets = { Type: 'AWS::Events::Rule', Properties: { Targets: [{ Id: 'a', Arn: alias }, { Id: 'b', Arn: byName }] } };
  const moved = { Rule: twoTargets, Permission: permission(alias, { SourceArn: { 'Fn::GetAtt': ['Rule', 'Arn'] } }) };
  assert.deepEqual(problems(moved, () => true), ['Rule still calls the bare function, but every permission granting it is on the alias']);
  const kept = { Rule: rule(byName), Permission: permission(arn, { SourceArn: { 'Fn::GetAtt': ['Rule', 'Arn'] } }) };
  assert.deepEqual(problems(kept, () => true), [], 'a bare call with its permission on the function works, warned about');
});

test('a name written alone calls only where AWS or code takes a name', () => {
  const key = { Type: 'AWS::KMS::Key', Properties: { Description: 'svc-dev-hello', Tags: [{ Key: 'owner', Value: 'svc-dev-hello' }] } };
  assert.deepEqual(problems({ Key: key }), []);
  const caller = { Type: 'AWS::Lambda::Function', Properties: { Environment: { Variables: { TARGET: 'svc-dev-hello' } } } };
  assert.deepEqual(problems({ Caller: caller }), ['Caller (AWS::Lambda::Function) still names the bare function at Properties.Environment.Variables.TARGET']);
  const mapping = { Type: 'AWS::Lambda::EventSourceMapping', Properties: { FunctionName: 'svc-dev-hello' } };
  assert.equal(problems({ Mapping: mapping }).length, 1);
});
