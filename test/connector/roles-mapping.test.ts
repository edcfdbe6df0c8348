import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { anyUnpack } from '@bufbuild/protobuf/wkt';
import { toJson } from '@bufbuild/protobuf';
import { RoleTraitSchema, UserTraitSchema } from '../../src/baton/gen/c1/connector/v2/annotation_trait_pb.js';
import { Entitlement_PurposeValue } from '../../src/baton/gen/c1/connector/v2/entitlement_pb.js';
import { ResourceType_Trait } from '../../src/baton/gen/c1/connector/v2/resource_pb.js';
import { groupResource, supervisorEntitlement } from '../../src/connector/group-resource.js';
import { ROLE_RESOURCE_TYPE } from '../../src/connector/resource-types.js';
import { assignedEntitlement, roleResource } from '../../src/connector/role-resource.js';
import { personEmails, userResource } from '../../src/connector/user-resource.js';
import type { SyncContext } from '../../src/baton/sync/connector.js';
import { RoleHoldings } from '../../src/connector/role-holdings.js';
import { RoleSyncer } from '../../src/connector/role-syncer.js';
import type { Person, XmattersClient } from '../../src/xmatters/index.js';

describe('role → role resource and assigned entitlement', () => {
  test('the role type is "Role" with TRAIT_ROLE and no skip annotation', () => {
    assert.equal(ROLE_RESOURCE_TYPE.id, 'role');
    assert.equal(ROLE_RESOURCE_TYPE.displayName, 'Role');
    assert.deepEqual(ROLE_RESOURCE_TYPE.traits, [ResourceType_Trait.ROLE]);
    assert.deepEqual(ROLE_RESOURCE_TYPE.annotations, []);
  });

  test('id = the xMatters role id; RoleTrait whose profile (name and id) is also on the resource', () => {
    const r = roleResource({ id: 'r-9', name: 'Company Supervisor', description: 'Runs the company' });
    assert.deepEqual(
      { type: r.id?.resourceType, id: r.id?.resource, name: r.displayName, desc: r.description },
      { type: 'role', id: 'r-9', name: 'Company Supervisor', desc: 'Runs the company' },
    );
    const any = r.annotations.find((a) => a.typeUrl.endsWith('RoleTrait'));
    assert.ok(any, 'a role carries its RoleTrait');
    const trait = anyUnpack(any, RoleTraitSchema);
    assert.ok(trait?.profile);
    assert.deepEqual((toJson(RoleTraitSchema, trait) as { profile?: unknown }).profile, {
      role_id: 'r-9',
      role_name: 'Company Supervisor',
    });
    assert.deepEqual(r.profile, trait.profile);
    assert.equal(roleResource({ id: 'r-1', name: 'Standard User' }).description, '');
  });

  test('assigned is an assignment grantable to users, with its public id and texts', () => {
    const r = roleResource({ id: 'r-9', name: 'Company Supervisor' });
    const e = assignedEntitlement(r);
    assert.equal(e.id, 'role:r-9:assigned');
    assert.equal(e.slug, 'assigned');
    assert.equal(e.purpose, Entitlement_PurposeValue.ASSIGNMENT);
    assert.equal(e.displayName, 'Company Supervisor Role');
    assert.equal(e.description, 'Has the Company Supervisor role in xMatters');
    assert.deepEqual(
      e.grantableTo.map((t) => t.id),
      ['user'],
    );
    assert.equal(e.resource, r);
  });
});

describe('group supervisor entitlement', () => {
  test('a permission grantable to users, `group:<gid>:supervisor`', () => {
    const g = groupResource({ id: 'g-1', targetName: 'Oracle "DBA"', recipientType: 'GROUP' });
    const e = supervisorEntitlement(g);
    assert.equal(e.id, 'group:g-1:supervisor');
    assert.equal(e.slug, 'supervisor');
    assert.equal(e.purpose, Entitlement_PurposeValue.PERMISSION);
    assert.equal(e.displayName, 'Oracle "DBA" Group Supervisor');
    assert.equal(e.description, 'Can manage the Oracle "DBA" group in xMatters');
    assert.deepEqual(
      e.grantableTo.map((t) => t.id),
      ['user'],
    );
  });
});

describe('EMAIL devices → user trait emails', () => {
  const person = (over: Partial<Person>): Person => ({
    id: 'p-1',
    targetName: 'mmcbride',
    recipientType: 'PERSON',
    roles: [],
    ...over,
  });
  const emailsOf = (p: Person) => {
    const any = userResource(p).annotations.find((a) => a.typeUrl.endsWith('UserTrait'));
    return anyUnpack(any!, UserTraitSchema)!.emails.map((e) => [e.address, e.isPrimary]);
  };

  test('primary is the lowest sequence, not the first served; the rest follow in sequence order', () => {
    assert.deepEqual(
      emailsOf(
        person({
          emails: [
            { address: 'home@example.net', sequence: 3 },
            { address: 'work@example.com', sequence: 1 },
            { address: 'other@example.org' },
          ],
        }),
      ),
      [
        ['work@example.com', true],
        ['home@example.net', false],
        ['other@example.org', false],
      ],
    );
  });

  test('without sequences the served order decides; an address repeated is kept once', () => {
    assert.deepEqual(
      personEmails([{ address: 'a@x' }, { address: 'b@x' }, { address: 'a@x', sequence: 5 }]),
      [
        { address: 'a@x', primary: true },
        { address: 'b@x', primary: false },
      ],
    );
  });

  test('no devices read (emails off) means no emails', () => {
    assert.deepEqual(emailsOf(person({})), []);
    assert.deepEqual(emailsOf(person({ emails: [] })), []);
  });
});

describe('role grants', () => {
  test('a role held by many people is granted in pages of at most 1000, every holder once', async () => {
    const holdings = new RoleHoldings(undefined as unknown as XmattersClient);
    const ctx: SyncContext = {
      signal: new AbortController().signal,
      warn: (w) => assert.fail(w.message),
      count: () => undefined,
      hasResource: () => true,
    };
    const people = Array.from({ length: 2500 }, (_, i) => `p-${i}`);
    for (const id of people) {
      holdings.record({ id, targetName: id, roles: [{ id: 'r-1', name: 'Standard User' }] } as Person, ctx);
    }
    holdings.markComplete();
    const syncer = new RoleSyncer(undefined as unknown as XmattersClient, holdings);
    const sizes: number[] = [];
    const principals: string[] = [];
    for await (const page of syncer.grants(roleResource({ id: 'r-1', name: 'Standard User' }), ctx)) {
      sizes.push(page.length);
      for (const g of page) principals.push(g.principal!.id!.resource);
    }
    // One page of every holder held them all in memory at once, and the engine writes a page before it
    // waits for the writer: on the large tenant a role of 100k people queued ~200 MB.
    assert.deepEqual(sizes, [1000, 1000, 500]);
    assert.deepEqual(principals, people);
  });
});
