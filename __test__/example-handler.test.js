'use strict';

// The README example's handler fails for one user on purpose, so a canary can be rolled back
// with real traffic: those errors are what HelloErrorsAlarm counts.

const { test } = require('node:test');
const assert = require('node:assert/strict');

const { hello } = require('../fixtures/example/handler');

test('answers 200 for an ordinary user', async () => {
  const response = await hello({ headers: { Authorization: 'alice@company.com' } });
  assert.equal(response.statusCode, 200);
  assert.equal(JSON.parse(response.body).message, 'hello');
});

test('throws (a Lambda error) for erroruser@company.com, in either header case', async () => {
  for (const name of ['Authorization', 'authorization']) {
    await assert.rejects(hello({ headers: { [name]: 'erroruser@company.com' } }), /simulated failure/);
  }
});

test('a request without headers is served', async () => {
  assert.equal((await hello({})).statusCode, 200);
});
