import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatonError, GrpcCode, isBatonError } from '../src/baton/errors.js';

test('BatonError carries its gRPC code', () => {
  const e = new BatonError(GrpcCode.UNAUTHENTICATED, 'bad credentials');
  assert.equal(e.code, 16);
  assert.ok(isBatonError(e));
  assert.ok(!isBatonError(new Error('x')));
});
