import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseRole } from '../../../src/xmatters/models/role.js';

describe('parseRole', () => {
  test('keeps id, name and description', () => {
    assert.deepEqual(parseRole({ id: 'r1', name: 'Standard User', description: 'd', extra: 1 }), {
      ok: true,
      value: { id: 'r1', name: 'Standard User', description: 'd' },
    });
  });

  test('tolerates an absent description', () => {
    assert.deepEqual(parseRole({ id: 'r1', name: 'Developer' }), {
      ok: true,
      value: { id: 'r1', name: 'Developer' },
    });
  });

  test('rejects a role without a usable id or name', () => {
    assert.deepEqual(parseRole({ name: 'x' }), { ok: false, reason: 'missing id' });
    assert.deepEqual(parseRole({ id: 'r2', name: '' }), { ok: false, reason: 'empty name', id: 'r2' });
    assert.deepEqual(parseRole('role'), { ok: false, reason: 'item is not an object' });
  });
});
