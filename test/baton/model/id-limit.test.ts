import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GrpcCode, isBatonError } from '../../../src/baton/errors.js';
import {
  newEntitlementId,
  newGrant,
  newGrantId,
  newGroupResource,
  newResourceId,
} from '../../../src/baton/model/index.js';

const LIMIT = 1024;
const tooLong = (e: unknown): boolean =>
  isBatonError(e) &&
  e.code === GrpcCode.INVALID_ARGUMENT &&
  /1024 bytes/.test(e.message) &&
  /never shortened/.test(e.message);

describe('ids are never shortened', () => {
  test('an id of exactly 1024 bytes is kept whole, multi-byte characters included', () => {
    const ascii = 'a'.repeat(LIMIT);
    assert.equal(newResourceId('user', ascii).resource, ascii);
    const wide = 'é'.repeat(LIMIT / 2); // 2 bytes each
    assert.equal(newResourceId('user', wide).resource, wide);
  });

  test('a resource id over 1024 bytes is refused, not cut (two such ids would collide)', () => {
    const a = `${'p'.repeat(LIMIT)}a`;
    assert.throws(() => newResourceId('user', a), tooLong);
    assert.throws(() => newResourceId('user', 'é'.repeat(LIMIT / 2 + 1)), tooLong);
    assert.throws(() => newGroupResource('G', 'group', a), tooLong);
  });

  test('an entitlement or grant id over 1024 bytes is refused, not cut', () => {
    const rid = newResourceId('group', 'g'.repeat(1015));
    assert.throws(() => newEntitlementId(rid, 'member'), tooLong);
    const group = newGroupResource('G', 'group', 'g'.repeat(900));
    const ent = newEntitlementId(group, 'member');
    assert.equal(ent, `group:${'g'.repeat(900)}:member`);
    assert.throws(() => newGrantId(ent, newResourceId('user', 'u'.repeat(200))), tooLong);
    assert.throws(() => newGrant(group, 'member', newResourceId('user', 'u'.repeat(200))), tooLong);
    const fits = newGrant(group, 'member', newResourceId('user', 'u'.repeat(10)));
    assert.equal(fits.id, `${ent}:user:${'u'.repeat(10)}`);
  });

  test('the error names the id by its first 80 characters only', () => {
    const id = `${'x'.repeat(80)}${'y'.repeat(2000)}`;
    try {
      newResourceId('user', id);
      assert.fail('expected a throw');
    } catch (e) {
      assert.ok(tooLong(e));
      assert.ok((e as Error).message.includes('x'.repeat(80)));
      assert.ok(!(e as Error).message.includes('yy'));
    }
  });
});
