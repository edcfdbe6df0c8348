import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { memberRefType } from '../../src/simulator/member-ref.js';
import { SAMPLE_CREDENTIALS, sampleTenant } from '../../src/simulator/sample-tenant.js';

describe('sampleTenant', () => {
  test('is a small tenant covering every path the demo shows', () => {
    const t = sampleTenant();
    assert.equal(t.people.length, 25);
    assert.equal(t.groups.length, 8);
    assert.ok(t.people.some((p) => p.status === 'INACTIVE'));
    assert.ok(t.groups.some((g) => g.status === 'INACTIVE'));
    assert.ok(
      t.groups.some((g) => g.members.length === 0),
      'an empty group',
    );
    const kinds = new Set(t.groups.flatMap((g) => g.members.map(memberRefType)));
    assert.deepEqual([...kinds].sort(), ['DEVICE', 'DYNAMIC_TEAM', 'GROUP', 'PERSON']);
    assert.ok(t.people.some((p) => p.firstName === 'Zoë') && t.people.some((p) => p.lastName === "O'Brien"));
    assert.ok(t.people.some((p) => p.targetName.includes('/')));
  });

  test('returns a fresh copy each time', () => {
    const a = sampleTenant();
    a.people.pop();
    assert.equal(sampleTenant().people.length, 25);
  });

  test('has the documented demo credentials, an API key pair and a user without access', () => {
    const t = sampleTenant();
    assert.deepEqual(
      t.credentials.map((c) => [c.username, c.password, c.forbidden]),
      [
        ['demo', 'demo-password', undefined],
        [SAMPLE_CREDENTIALS.apiKey, 'demo-api-secret', undefined],
        ['noaccess', 'noaccess-password', ['**']],
      ],
    );
    assert.match(SAMPLE_CREDENTIALS.apiKey, /^x-api-key-[0-9a-f-]{36}$/);
  });
});
