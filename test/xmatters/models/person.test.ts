import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parsePerson } from '../../../src/xmatters/models/person.js';

const full = {
  id: 'a3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  targetName: 'mmcbride',
  recipientType: 'PERSON',
  externallyOwned: true,
  externalKey: 'HR-000417',
  status: 'ACTIVE',
  firstName: 'Mary',
  lastName: 'McBride',
  language: 'en',
  timezone: 'US/Pacific',
  webLogin: 'mmcbride',
  phoneLogin: '23423',
  licenseType: 'FULL_USER',
  site: { id: 'f0c572a8', links: { self: '/api/xm/1/sites/f0c572a8' } },
  properties: { Department: 'IT' },
  lastLogin: '2025-06-14T22:17:31.450Z',
  whenCreated: '2019-01-01T00:00:00.000+0000',
  roles: {
    count: 2,
    total: 2,
    data: [
      { id: 'r1', name: 'Standard User' },
      { id: 'r2', name: 'Group Supervisor' },
    ],
  },
  links: { self: '/api/xm/1/people/a3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d' },
};

describe('parsePerson', () => {
  test('keeps the fields the connector uses, and only those', () => {
    const r = parsePerson(full);
    assert.ok(r.ok);
    assert.deepEqual(r.value, {
      id: full.id,
      targetName: 'mmcbride',
      recipientType: 'PERSON',
      status: 'ACTIVE',
      firstName: 'Mary',
      lastName: 'McBride',
      webLogin: 'mmcbride',
      language: 'en',
      timezone: 'US/Pacific',
      licenseType: 'FULL_USER',
      siteId: 'f0c572a8',
      externalKey: 'HR-000417',
      externallyOwned: true,
      lastLogin: '2025-06-14T22:17:31.450Z',
      whenCreated: '2019-01-01T00:00:00.000+0000',
      roles: [
        { id: 'r1', name: 'Standard User' },
        { id: 'r2', name: 'Group Supervisor' },
      ],
    });
  });

  test('tolerates every optional field being absent', () => {
    assert.deepEqual(parsePerson({ id: 'legacy-9', targetName: 'x', recipientType: 'PERSON' }), {
      ok: true,
      value: { id: 'legacy-9', targetName: 'x', recipientType: 'PERSON', roles: [] },
    });
  });

  test('treats optional fields of the wrong type as absent', () => {
    const r = parsePerson({
      id: 'p',
      targetName: 't',
      recipientType: 'PERSON',
      firstName: 42,
      site: 'x',
      roles: 'nope',
      externallyOwned: 'yes',
    });
    assert.ok(r.ok);
    // Roles that are not a collection are not a mere optional field: losing them loses grants, so the
    // reason is kept for a warning.
    assert.deepEqual(r.value, {
      id: 'p',
      targetName: 't',
      recipientType: 'PERSON',
      roles: [],
      invalidRoles: ['roles is string, expected a pagination object'],
    });
  });

  test('accepts roles as a bare array and skips invalid role entries', () => {
    const r = parsePerson({
      id: 'p',
      targetName: 't',
      recipientType: 'PERSON',
      roles: [{ id: 'r1', name: 'A' }, { id: '' }],
    });
    assert.ok(r.ok);
    assert.deepEqual(r.value.roles, [{ id: 'r1', name: 'A' }]);
  });

  const invalid: [string, unknown, string][] = [
    ['a missing id', { targetName: 't', recipientType: 'PERSON' }, 'missing id'],
    ['an empty id', { id: '', targetName: 't', recipientType: 'PERSON' }, 'empty id'],
    ['a numeric id', { id: 7, targetName: 't', recipientType: 'PERSON' }, 'id is number, expected a string'],
    ['a missing targetName', { id: 'p1', recipientType: 'PERSON' }, 'missing targetName'],
    ['a blank targetName', { id: 'p1', targetName: '  ', recipientType: 'PERSON' }, 'empty targetName'],
    ['a missing recipientType', { id: 'p1', targetName: 't' }, 'missing recipientType'],
    [
      'another recipientType',
      { id: 'p1', targetName: 't', recipientType: 'GROUP' },
      'recipientType "GROUP" is not PERSON',
    ],
    ['a non-object', ['p1'], 'item is not an object'],
  ];
  for (const [what, raw, reason] of invalid) {
    test(`rejects ${what}`, () => {
      const r = parsePerson(raw);
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.reason, reason);
    });
  }

  test('reports the id of a rejected item when it has one', () => {
    assert.deepEqual(parsePerson({ id: 'p1', recipientType: 'PERSON' }), {
      ok: false,
      reason: 'missing targetName',
      id: 'p1',
    });
  });
});

describe('parsePerson: embedded roles cut short, unusable roles, devices', () => {
  const base = { id: 'p', targetName: 'p', recipientType: 'PERSON' };

  test('roles with count < total keep what came and note the total', () => {
    const r = parsePerson({ ...base, roles: { count: 1, total: 3, data: [{ id: 'r1', name: 'A' }] } });
    assert.ok(r.ok);
    assert.deepEqual(r.value.roles, [{ id: 'r1', name: 'A' }]);
    assert.equal(r.value.rolesTotal, 3);
  });

  test('a complete embed has no rolesTotal; an unusable role item is reported, not silently lost', () => {
    const r = parsePerson({
      ...base,
      roles: { count: 2, total: 2, data: [{ id: 'r1', name: 'A' }, { id: 'r2' }] },
    });
    assert.ok(r.ok);
    assert.equal(r.value.rolesTotal, undefined);
    assert.deepEqual(r.value.invalidRoles, ['missing name (id r2)']);
  });

  test('roles that are not a collection are reported', () => {
    const r = parsePerson({ ...base, roles: 'not-a-collection' });
    assert.ok(r.ok);
    assert.deepEqual(r.value.roles, []);
    assert.deepEqual(r.value.invalidRoles, ['roles is string, expected a pagination object']);
  });

  test('EMAIL devices only, and only when asked: phones and others are never read', () => {
    const devices = {
      count: 4,
      total: 4,
      data: [
        { id: 'd1', deviceType: 'VOICE', phoneNumber: '+15555550100', sequence: 1 },
        { id: 'd2', deviceType: 'EMAIL', emailAddress: 'mary@example.com', sequence: 2 },
        { id: 'd3', deviceType: 'TEXT_PHONE', phoneNumber: '+15555550100', sequence: 3 },
        { id: 'd4', deviceType: 'EMAIL', emailAddress: ' ', sequence: 4 },
      ],
    };
    const on = parsePerson({ ...base, devices }, { devices: true });
    assert.ok(on.ok);
    assert.deepEqual(on.value.emails, [{ address: 'mary@example.com', sequence: 2 }]);
    const off = parsePerson({ ...base, devices });
    assert.ok(off.ok);
    assert.equal('emails' in off.value, false);
  });
});
