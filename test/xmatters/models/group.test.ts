import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseGroup } from '../../../src/xmatters/models/group.js';

describe('parseGroup', () => {
  test('keeps the fields the connector uses', () => {
    const r = parseGroup({
      id: '6f1f3c5e-2b7a-4c1e-9b1d-3f5f1c2a9e10',
      targetName: 'Oracle Administrators',
      recipientType: 'GROUP',
      status: 'ACTIVE',
      groupType: 'ON_CALL',
      description: 'DBA on-call rotation',
      externallyOwned: false,
      externalKey: 'AD-1',
      allowDuplicates: true,
      observedByAll: false,
      created: '2023-02-28T19:33:37.521Z',
      site: { id: 's1', links: { self: '/api/xm/1/sites/s1' } },
      supervisors: { count: 0, total: 0, data: [] },
      links: { self: '/api/xm/1/groups/6f1f3c5e-2b7a-4c1e-9b1d-3f5f1c2a9e10' },
    });
    assert.deepEqual(r, {
      ok: true,
      value: {
        id: '6f1f3c5e-2b7a-4c1e-9b1d-3f5f1c2a9e10',
        targetName: 'Oracle Administrators',
        recipientType: 'GROUP',
        status: 'ACTIVE',
        groupType: 'ON_CALL',
        description: 'DBA on-call rotation',
        externalKey: 'AD-1',
        externallyOwned: false,
        observedByAll: false,
        created: '2023-02-28T19:33:37.521Z',
        siteId: 's1',
        supervisors: { ids: [], complete: true },
      },
    });
  });

  test('tolerates absent optional fields and a non-UUID id', () => {
    assert.deepEqual(
      parseGroup({ id: '438e9245-b32d-445f-916bd3e07932c892', targetName: 'G', recipientType: 'GROUP' }),
      {
        ok: true,
        value: { id: '438e9245-b32d-445f-916bd3e07932c892', targetName: 'G', recipientType: 'GROUP' },
      },
    );
  });

  test('rejects items that are not groups or lack required fields', () => {
    assert.equal(parseGroup({ id: 'g', targetName: 'G', recipientType: 'PERSON' }).ok, false);
    assert.equal(parseGroup({ id: 'g', recipientType: 'GROUP' }).ok, false);
    assert.equal(parseGroup(null).ok, false);
  });
});

describe('parseGroup: embedded supervisors', () => {
  const base = { id: 'g', targetName: 'g', recipientType: 'GROUP' };
  const ref = (id: string) => ({ id, targetName: id, recipientType: 'PERSON' });

  test('absent embed: no supervisors field (the caller did not ask)', () => {
    const r = parseGroup(base);
    assert.ok(r.ok);
    assert.equal('supervisors' in r.value, false);
  });

  test('complete when every announced supervisor came and is usable', () => {
    const r = parseGroup({ ...base, supervisors: { count: 2, total: 2, data: [ref('a'), ref('b')] } });
    assert.ok(r.ok);
    assert.deepEqual(r.value.supervisors, { ids: ['a', 'b'], complete: true });
  });

  test('incomplete when count < total, when data is shorter than total, or an item is unusable', () => {
    for (const supervisors of [
      { count: 1, total: 2, data: [ref('a')] },
      { count: 2, total: 2, data: [ref('a')] },
      { total: 2, data: [ref('a')] },
      { count: 2, total: 2, data: [ref('a'), { id: 'b' }] },
    ]) {
      const r = parseGroup({ ...base, supervisors });
      assert.ok(r.ok);
      assert.equal(r.value.supervisors?.complete, false, JSON.stringify(supervisors));
      assert.deepEqual(r.value.supervisors?.ids, ['a']);
    }
  });
});
