import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  GroupTraitSchema,
  RoleTraitSchema,
  UserTrait_AccountType,
  UserTrait_Status_Status,
  UserTraitSchema,
} from '../../../src/baton/gen/c1/connector/v2/annotation_trait_pb.js';
import {
  Entitlement_PurposeValue,
  EntitlementSchema,
} from '../../../src/baton/gen/c1/connector/v2/entitlement_pb.js';
import { GrantMetadataSchema } from '../../../src/baton/gen/c1/connector/v2/annotation_grant_pb.js';
import { AliasesSchema } from '../../../src/baton/gen/c1/connector/v2/annotation_id_alias_pb.js';
import { SkipEntitlementsAndGrantsSchema } from '../../../src/baton/gen/c1/connector/v2/annotation_resource_tree_pb.js';
import { GrantSchema } from '../../../src/baton/gen/c1/connector/v2/grant_pb.js';
import {
  ResourceIdSchema,
  ResourceSchema,
  ResourceType_Trait,
  ResourceTypeSchema,
  Status_ResourceStatus,
} from '../../../src/baton/gen/c1/connector/v2/resource_pb.js';
import {
  findAnnotation,
  hasAnnotation,
  newAssignmentEntitlement,
  newEntitlementId,
  newGrant,
  newGrantId,
  newGroupResource,
  newPermissionEntitlement,
  newResourceId,
  newResourceType,
  newRoleResource,
  newUserResource,
  packAnnotation,
  resourceTypeIdFromName,
  upsertAnnotation,
} from '../../../src/baton/model/index.js';

const userType = newResourceType('User', [ResourceType_Trait.USER], {
  annotations: [packAnnotation(SkipEntitlementsAndGrantsSchema, {})],
});
const groupType = newResourceType('Group', [ResourceType_Trait.GROUP]);

describe('resource types', () => {
  test('derive the id from the name like Go: lower case, spaces to dashes', () => {
    assert.equal(resourceTypeIdFromName('On Call Team'), 'on-call-team');
    assert.equal(userType.id, 'user');
    assert.equal(userType.displayName, 'User');
    assert.ok(hasAnnotation(userType.annotations, SkipEntitlementsAndGrantsSchema));
  });
});

describe('user resources', () => {
  test('default the trait to ENABLED + HUMAN and mirror status onto Resource.status', () => {
    const u = newUserResource('Ada', userType, 'u1', { emails: [{ address: 'ada@x.io', primary: true }] });
    assert.deepEqual(u.id && { rt: u.id.resourceType, id: u.id.resource }, { rt: 'user', id: 'u1' });
    const trait = findAnnotation(u.annotations, UserTraitSchema);
    assert.ok(trait);
    assert.equal(trait.status?.status, UserTrait_Status_Status.ENABLED);
    assert.equal(trait.accountType, UserTrait_AccountType.HUMAN);
    assert.equal(trait.emails[0]?.address, 'ada@x.io');
    assert.equal(trait.emails[0]?.isPrimary, true);
    assert.equal(u.status?.status, Status_ResourceStatus.ENABLED);
  });

  test('copy profile, created_at and detailed status onto the resource without overwriting', () => {
    const created = new Date(Date.UTC(2024, 1, 3));
    const u = newUserResource(
      'Bob',
      'user',
      42,
      {
        status: UserTrait_Status_Status.DISABLED,
        statusDetails: 'left',
        profile: { z: 1, a: 'x' },
        createdAt: created,
        login: 'bob',
        loginAliases: ['b'],
        employeeIds: ['E1'],
        accountType: UserTrait_AccountType.SERVICE,
        emails: [{ address: '' }],
      },
      { profile: { own: true } },
    );
    assert.equal(u.id?.resource, '42');
    assert.deepEqual(u.profile, { own: true }, 'resource profile is not overwritten');
    assert.equal(u.status?.status, Status_ResourceStatus.DISABLED);
    assert.equal(u.status?.details, 'left');
    assert.equal(u.createdAt?.seconds, BigInt(created.getTime() / 1000));
    const trait = findAnnotation(u.annotations, UserTraitSchema);
    assert.deepEqual(Object.keys(trait?.profile ?? {}), ['a', 'z']);
    assert.equal(trait?.accountType, UserTrait_AccountType.SERVICE);
    assert.deepEqual(trait?.loginAliases, ['b']);
    assert.equal(trait?.emails.length, 0, 'empty addresses are skipped');
  });

  test('truncate an over-long display name on a code point boundary', () => {
    const u = newUserResource('€'.repeat(400), userType, 'u');
    assert.equal(Buffer.byteLength(u.displayName), 1023);
  });

  test('alias option becomes an Aliases annotation', () => {
    const u = newUserResource('A', userType, 'u', {}, { aliases: ['x', 'y'] });
    assert.deepEqual(findAnnotation(u.annotations, AliasesSchema)?.ids, ['x', 'y']);
  });
});

describe('group and role resources', () => {
  test('a group carries a GroupTrait and its profile on Resource.profile', () => {
    const g = newGroupResource('Ops', groupType, 'g1', { profile: { b: 2, a: 1 } });
    const trait = findAnnotation(g.annotations, GroupTraitSchema);
    assert.ok(trait);
    assert.deepEqual(g.profile, { a: 1, b: 2 });
    assert.deepEqual(Object.keys(g.profile ?? {}), ['a', 'b']);
  });

  test('a group with no options still carries an empty GroupTrait', () => {
    const g = newGroupResource('Ops', groupType, 'g1');
    assert.equal(g.annotations.length, 1);
    assert.equal(g.annotations[0]?.typeUrl, 'type.googleapis.com/c1.connector.v2.GroupTrait');
    assert.equal(g.annotations[0]?.value.length, 0);
  });

  test('a role carries a RoleTrait', () => {
    const r = newRoleResource('Admin', 'role', 'r1', { profile: { k: 'v' } });
    assert.ok(findAnnotation(r.annotations, RoleTraitSchema));
    assert.deepEqual(r.profile, { k: 'v' });
  });
});

describe('entitlements and grants', () => {
  const group = newGroupResource('Ops', groupType, 'g1');
  const user = newUserResource('Ada', userType, 'u1');

  test('assignment entitlement ids, names, purpose and embedded resource follow Go', () => {
    const e = newAssignmentEntitlement(group, 'member', {
      grantableTo: [userType],
      description: 'Is a member of the Ops group',
    });
    assert.equal(e.id, 'group:g1:member');
    assert.equal(e.displayName, 'member');
    assert.equal(e.slug, 'member');
    assert.equal(e.purpose, Entitlement_PurposeValue.ASSIGNMENT);
    assert.equal(e.resource, group, 'the resource object itself is embedded');
    assert.equal(e.grantableTo[0], userType);
    assert.equal(e.description, 'Is a member of the Ops group');
    assert.equal(newPermissionEntitlement(group, 'admin').purpose, Entitlement_PurposeValue.PERMISSION);
    assert.equal(newEntitlementId(newResourceId('group', 7), 'member'), 'group:7:member');
  });

  test('a grant to a ResourceId carries {id, resource} and a principal with only its id', () => {
    const g = newGrant(group, 'member', user.id!);
    assert.equal(g.id, 'group:g1:member:user:u1');
    assert.equal(g.entitlement?.id, 'group:g1:member');
    assert.equal(g.entitlement?.resource, group);
    assert.equal(g.entitlement?.displayName, '');
    assert.deepEqual(g.principal?.id, user.id);
    assert.equal(g.principal?.displayName, '');
    assert.equal(newGrantId('e', newResourceId('user', 'x')), 'e:user:x');
    // Encodes exactly like {entitlement:{resource, id}, principal:{id}, id} (baton-interop.md §2.7).
    const decoded = fromBinary(GrantSchema, toBinary(GrantSchema, g));
    assert.equal(decoded.id, g.id);
  });

  test('newGrant and newResourceId build exactly what reflective create() builds', () => {
    const id = newResourceId('user', 'u1');
    assert.deepStrictEqual(id, create(ResourceIdSchema, { resourceType: 'user', resource: 'u1' }));
    const cases = [
      newGrant(group, 'member', id),
      newGrant(group, 'member', user),
      newGrant(group, 'member', id, { metadata: { a: 1 } }),
    ];
    for (const g of cases) {
      const reflective = create(GrantSchema, {
        entitlement: create(EntitlementSchema, { id: g.entitlement!.id, resource: group }),
        principal:
          g.principal!.$typeName === user.$typeName && g.principal === user
            ? user
            : create(ResourceSchema, { id }),
        id: g.id,
        annotations: g.annotations,
      });
      assert.deepStrictEqual(g, reflective);
      assert.deepStrictEqual(toBinary(GrantSchema, g), toBinary(GrantSchema, reflective));
    }
  });

  test('a grant to a full resource embeds it; metadata becomes a GrantMetadata annotation', () => {
    const g = newGrant(group, 'member', user, { metadata: { source: 'api', a: 1 } });
    assert.equal(g.principal, user);
    const md = findAnnotation(g.annotations, GrantMetadataSchema);
    assert.deepEqual(md?.metadata, { a: 1, source: 'api' });
  });
});

describe('annotations', () => {
  test('packAnnotation uses type.googleapis.com URLs and upsert replaces the same type in place', () => {
    const a = packAnnotation(AliasesSchema, { ids: ['1'] });
    const b = packAnnotation(AliasesSchema, { ids: ['2'] });
    const skip = packAnnotation(SkipEntitlementsAndGrantsSchema, {});
    assert.equal(a.typeUrl, 'type.googleapis.com/c1.connector.v2.Aliases');
    const list = upsertAnnotation(upsertAnnotation([a, skip], b), skip);
    assert.equal(list.length, 2);
    assert.deepEqual(findAnnotation(list, AliasesSchema)?.ids, ['2']);
    assert.equal(findAnnotation(list, ResourceTypeSchema), undefined);
  });
});
