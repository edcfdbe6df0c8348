import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { generateTenant } from '../../src/simulator/generate-tenant.js';
import { memberRefIndex, memberRefType } from '../../src/simulator/member-ref.js';
import { tenantToData } from '../../src/simulator/tenant-file.js';
import type { Tenant } from '../../src/simulator/tenant.js';

const digest = (t: Tenant): string =>
  createHash('sha256')
    .update(JSON.stringify(tenantToData(t)))
    .digest('hex');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('generateTenant', () => {
  test('is deterministic: the same seed and sizes give the same tenant', () => {
    const a = generateTenant({ seed: 9, people: 500, groups: 60 });
    const b = generateTenant({ seed: 9, people: 500, groups: 60 });
    assert.equal(digest(a), digest(b));
    assert.notEqual(digest(a), digest(generateTenant({ seed: 10, people: 500, groups: 60 })));
  });

  test('has the requested sizes, unique ids and unique target names', () => {
    const t = generateTenant({ seed: 1, people: 2000, groups: 200 });
    assert.equal(t.people.length, 2000);
    assert.equal(t.groups.length, 200);
    assert.equal(new Set(t.people.map((p) => p.id)).size, 2000);
    assert.equal(new Set(t.people.map((p) => p.targetName)).size, 2000);
    assert.equal(new Set(t.groups.map((g) => g.id)).size, 200);
    assert.equal(new Set(t.groups.map((g) => g.targetName)).size, 200);
  });

  test('covers the shapes a connector must survive', () => {
    const t = generateTenant({ seed: 4, people: 3000, groups: 400 });
    const sizes = t.groups.map((g) => g.members.length);
    const refs = t.groups.flatMap((g) => g.members);
    const kinds = new Set(refs.map(memberRefType));
    assert.deepEqual([...kinds].sort(), ['DEVICE', 'DYNAMIC_TEAM', 'GROUP', 'PERSON']);
    assert.ok(sizes.filter((s) => s === 0).length >= 60, 'many empty groups');
    assert.ok(Math.max(...sizes) >= 300, 'a very large group');
    assert.ok(t.people.some((p) => p.status === 'INACTIVE'));
    assert.ok(t.groups.some((g) => g.status === 'INACTIVE'));
    assert.ok(
      t.people.some((p) => /[^\x00-\x7f]/.test(p.targetName)),
      'Unicode in names',
    );
    assert.ok(
      t.people.some((p) => p.targetName.includes("'")),
      'quotes in names',
    );
    assert.ok(
      t.people.some((p) => p.targetName.includes('/')),
      'slashes in names',
    );
    assert.ok(t.groups.some((g) => g.targetName.includes('"')));
    assert.ok(
      t.people.some((p) => p.lastLogin?.endsWith('Z')) &&
        t.people.some((p) => p.lastLogin?.endsWith('+0000')),
    );
    assert.ok(
      t.people.some((p) => p.lastLogin === undefined) && t.people.some((p) => p.siteId === undefined),
    );
    assert.ok(
      t.people.some((p) => !UUID.test(p.id)),
      'some non-UUID ids',
    );
    assert.ok(t.people.filter((p) => UUID.test(p.id)).length > 2900);
    for (const d of t.devices) assert.ok(t.people[d.owner] !== undefined, 'every device has an owner');
    // Nested groups only point forward, so there are no cycles; no group lists a member twice.
    t.groups.forEach((g, i) => {
      for (const r of g.members) if (memberRefType(r) === 'GROUP') assert.ok(memberRefIndex(r) > i);
      assert.equal(new Set(g.members).size, g.members.length);
    });
  });

  test('small tenants still hold every member kind, unless a ratio of 0 asks for none', () => {
    const kinds = (t: Tenant) => [...new Set(t.groups.flatMap((g) => g.members).map(memberRefType))].sort();
    const all = ['DEVICE', 'DYNAMIC_TEAM', 'GROUP', 'PERSON'];
    for (const seed of [1, 2, 7, 11]) {
      for (const [people, groups] of [
        [40, 10],
        [120, 30],
        [30, 6],
      ] as const) {
        const t = generateTenant({ seed, people, groups, avgMembersPerGroup: 12 });
        assert.deepEqual(kinds(t), all, `seed ${seed}, ${people} people, ${groups} groups`);
        // The added ones follow the rules of the drawn ones: nested groups point forward, devices have owners.
        t.groups.forEach((g, i) => {
          for (const r of g.members) if (memberRefType(r) === 'GROUP') assert.ok(memberRefIndex(r) > i);
          assert.equal(new Set(g.members).size, g.members.length);
        });
        for (const d of t.devices) assert.ok(t.people[d.owner] !== undefined);
      }
    }
    const plain = generateTenant({
      seed: 7,
      people: 120,
      groups: 30,
      nestedGroupRatio: 0,
      deviceMemberRatio: 0,
      dynamicTeamMemberRatio: 0,
    });
    assert.deepEqual(kinds(plain), ['PERSON']);
    assert.deepEqual(generateTenant({ people: 0, groups: 5 }).devices, []);
  });

  test('some people sign in with a web login other than their target name', () => {
    const t = generateTenant({ seed: 7, people: 120, groups: 0 });
    const other = t.people.filter((p) => p.webLogin !== undefined && p.webLogin !== p.targetName);
    const same = t.people.filter((p) => p.webLogin === p.targetName);
    assert.ok(other.length >= 5 && same.length > other.length, `${other.length} differ, ${same.length} same`);
    assert.ok(
      t.people.some((p) => p.webLogin === undefined),
      'and a few have none',
    );
    assert.equal(new Set(other.map((p) => p.webLogin)).size, other.length, 'web logins are unique');
  });

  test('handles the large profile: 100k people, 10k groups, ~750k memberships, 10k+ member groups', () => {
    const t = generateTenant({ seed: 1, people: 100_000, groups: 10_000 });
    const sizes = t.groups.map((g) => g.members.length);
    const total = sizes.reduce((a, b) => a + b, 0);
    assert.ok(total > 650_000 && total < 850_000, `memberships ${total}`);
    assert.ok(sizes.filter((s) => s >= 10_000).length >= 5, 'a few groups of 10k+ members');
    assert.ok(sizes.filter((s) => s === 0).length >= 1500, 'many empty groups');
  });

  test('handles empty and tiny tenants', () => {
    const none = generateTenant({ people: 0, groups: 3 });
    assert.equal(none.people.length, 0);
    assert.ok(none.groups.every((g) => g.members.length === 0));
    const one = generateTenant({ people: 1, groups: 1 });
    assert.equal(one.groups.length, 1);
  });

  test('ships working default credentials, including a user without permission', () => {
    const t = generateTenant({ people: 1, groups: 0 });
    assert.deepEqual(
      t.credentials.map((c) => [c.username.startsWith('x-api-key-') ? 'api-key' : c.username, c.forbidden]),
      [
        ['sim-user', undefined],
        ['api-key', undefined],
        ['sim-noaccess', ['**']],
      ],
    );
  });
});
