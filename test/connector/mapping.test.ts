import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { anyUnpack } from '@bufbuild/protobuf/wkt';
import {
  UserTraitSchema,
  GroupTraitSchema,
  UserTrait_Status_Status,
  UserTrait_AccountType,
} from '../../src/baton/gen/c1/connector/v2/annotation_trait_pb.js';
import { Status_ResourceStatus } from '../../src/baton/gen/c1/connector/v2/resource_pb.js';
import { Entitlement_PurposeValue } from '../../src/baton/gen/c1/connector/v2/entitlement_pb.js';
import { exitCodeFor } from '../../src/baton/cli/exit-code.js';
import { GrpcCode } from '../../src/baton/errors.js';
import { statusOfError } from '../../src/baton/service/status-of-error.js';
import { batonRegistry } from '../../src/baton/model/index.js';
import { groupResource, memberEntitlement } from '../../src/connector/group-resource.js';
import { personDisplayName, userResource } from '../../src/connector/user-resource.js';
import { XmattersError, XmattersErrorCode, type Group, type Person } from '../../src/xmatters/index.js';

const person = (over: Partial<Person> = {}): Person => ({
  id: 'p-1',
  targetName: 'mmcbride',
  recipientType: 'PERSON',
  roles: [],
  ...over,
});

const userTrait = (r: ReturnType<typeof userResource>) => {
  const any = r.annotations.find((a) => a.typeUrl.endsWith('UserTrait'));
  assert.ok(any, 'a user carries its UserTrait');
  const trait = anyUnpack(any, UserTraitSchema);
  assert.ok(trait);
  return trait;
};

describe('person → user', () => {
  test('display name is "First Last", falling back to the target name', () => {
    assert.equal(personDisplayName(person({ firstName: 'Mary', lastName: 'McBride' })), 'Mary McBride');
    assert.equal(personDisplayName(person({ firstName: ' ', lastName: '' })), 'mmcbride');
    assert.equal(personDisplayName(person({ lastName: 'Ødegård' })), 'Ødegård');
  });

  test('ACTIVE is enabled on the trait and the resource; INACTIVE disabled; raw status kept', () => {
    for (const [raw, traitStatus, resourceStatus] of [
      ['ACTIVE', UserTrait_Status_Status.ENABLED, Status_ResourceStatus.ENABLED],
      ['INACTIVE', UserTrait_Status_Status.DISABLED, Status_ResourceStatus.DISABLED],
      ['LOCKED', UserTrait_Status_Status.UNSPECIFIED, Status_ResourceStatus.UNSPECIFIED],
    ] as const) {
      const r = userResource(person({ status: raw }));
      assert.equal(userTrait(r).status?.status, traitStatus, raw);
      assert.equal(userTrait(r).status?.details, raw);
      assert.equal(r.status?.status, resourceStatus, raw);
    }
  });

  test('login is the target name, web login an alias only when different; account type human', () => {
    const same = userTrait(userResource(person({ webLogin: 'mmcbride' })));
    assert.equal(same.login, 'mmcbride');
    assert.deepEqual(same.loginAliases, []);
    const other = userTrait(userResource(person({ webLogin: 'mary@example.com' })));
    assert.deepEqual(other.loginAliases, ['mary@example.com']);
    assert.equal(other.accountType, UserTrait_AccountType.HUMAN);
  });

  test('every profile key, named as the connector names them, on both trait and resource', () => {
    const r = userResource(
      person({
        targetName: 'contractors/mmcbride',
        webLogin: 'mary@example.com',
        firstName: 'Mary',
        lastName: 'McBride',
        licenseType: 'STAKEHOLDER_USER',
        language: 'fr',
        timezone: 'Europe/Paris',
        siteId: 'site-9',
        externalKey: 'HR-100042',
        externallyOwned: false,
        status: 'ACTIVE',
      }),
    );
    const want = {
      target_name: 'contractors/mmcbride',
      web_login: 'mary@example.com',
      first_name: 'Mary',
      last_name: 'McBride',
      license_type: 'STAKEHOLDER_USER',
      language: 'fr',
      timezone: 'Europe/Paris',
      site_id: 'site-9',
      external_key: 'HR-100042',
      externally_owned: false,
    };
    assert.deepEqual(r.profile, want);
    assert.deepEqual(userTrait(r).profile, want);
    // Absent optional fields are left out, not written as empty values; the target name is always there.
    assert.deepEqual(userResource(person()).profile, { target_name: 'mmcbride' });
  });

  test('profile fields are on both trait and resource; no emails are read', () => {
    const r = userResource(
      person({
        firstName: 'Mary',
        licenseType: 'FULL_USER',
        siteId: 's-1',
        externallyOwned: true,
        lastLogin: '2025-06-14T22:17:31.450+0000',
      }),
    );
    const trait = userTrait(r);
    assert.deepEqual(trait.emails, []);
    assert.equal(r.profile?.license_type, 'FULL_USER');
    assert.equal(r.profile?.site_id, 's-1');
    assert.equal(r.profile?.externally_owned, true);
    assert.deepEqual(trait.profile, r.profile);
    assert.equal(trait.lastLogin?.seconds, BigInt((Date.parse('2025-06-14T22:17:31.450Z') / 1000) | 0));
    assert.equal(trait.structuredName?.givenName, 'Mary');
    assert.equal(r.id?.resourceType, 'user');
    assert.equal(r.id?.resource, 'p-1');
  });
});

describe('group → group resource and member entitlement', () => {
  const group: Group = {
    id: 'g-1',
    targetName: 'Oracle "DBA" / Ops',
    recipientType: 'GROUP',
    status: 'INACTIVE',
    groupType: 'ON_CALL',
    description: 'DBA on-call rotation',
    observedByAll: false,
  };

  test('name, description, status and profile', () => {
    const r = groupResource(group);
    assert.equal(r.displayName, 'Oracle "DBA" / Ops');
    assert.equal(r.description, 'DBA on-call rotation');
    assert.equal(r.status?.status, Status_ResourceStatus.DISABLED);
    assert.equal(r.profile?.group_type, 'ON_CALL');
    assert.equal(r.profile?.observed_by_all, false);
    const trait = anyUnpack(
      r.annotations.find((a) => a.typeUrl.endsWith('GroupTrait'))!,
      GroupTraitSchema,
    );
    assert.ok(trait);
    assert.deepEqual(trait.profile, r.profile);
  });

  test('every profile key, named as the connector names them, on both trait and resource', () => {
    const full: Group = {
      ...group,
      status: 'ACTIVE',
      groupType: 'BROADCAST',
      externalKey: 'AD-CN=Oracle DBA',
      externallyOwned: true,
      observedByAll: true,
      created: '2019-04-01T08:30:00.000+0000',
      siteId: 'site-1',
    };
    const r = groupResource(full);
    const want = {
      group_type: 'BROADCAST',
      status: 'ACTIVE',
      external_key: 'AD-CN=Oracle DBA',
      externally_owned: true,
      observed_by_all: true,
      created: '2019-04-01T08:30:00.000+0000',
    };
    assert.deepEqual(r.profile, want);
    assert.equal(r.status?.status, Status_ResourceStatus.ENABLED);
    const trait = anyUnpack(
      r.annotations.find((a) => a.typeUrl.endsWith('GroupTrait'))!,
      GroupTraitSchema,
    );
    assert.deepEqual(trait?.profile, want);
    // Absent optional fields are left out.
    assert.deepEqual(groupResource({ id: 'g-2', targetName: 'Bare', recipientType: 'GROUP' }).profile, {});
  });

  test('the member entitlement is an assignment grantable to users, with its public id', () => {
    const r = groupResource(group);
    const e = memberEntitlement(r);
    assert.equal(e.id, 'group:g-1:member');
    assert.equal(e.slug, 'member');
    assert.equal(e.purpose, Entitlement_PurposeValue.ASSIGNMENT);
    assert.equal(e.displayName, 'Oracle "DBA" / Ops Group Member');
    assert.equal(e.description, 'Member of the Oracle "DBA" / Ops group in xMatters');
    assert.deepEqual(
      e.grantableTo.map((t) => t.id),
      ['user'],
    );
    assert.equal(e.resource, r, 'the whole group resource is embedded');
    assert.ok(batonRegistry().getMessage('c1.connector.v2.Entitlement'));
  });
});

describe('xMatters errors → exit codes', () => {
  const table: [string, number][] = [
    [XmattersErrorCode.CONFIG, GrpcCode.INVALID_ARGUMENT],
    [XmattersErrorCode.AUTH, GrpcCode.UNAUTHENTICATED],
    [XmattersErrorCode.PERMISSION, GrpcCode.PERMISSION_DENIED],
    [XmattersErrorCode.NOT_FOUND, GrpcCode.NOT_FOUND],
    [XmattersErrorCode.RATE_LIMITED, GrpcCode.UNAVAILABLE],
    [XmattersErrorCode.UNAVAILABLE, GrpcCode.UNAVAILABLE],
    [XmattersErrorCode.TIMEOUT, GrpcCode.UNAVAILABLE],
    [XmattersErrorCode.BAD_RESPONSE, GrpcCode.INTERNAL],
    [XmattersErrorCode.PAGINATION, GrpcCode.INTERNAL],
    [XmattersErrorCode.FOREIGN_ORIGIN, GrpcCode.INTERNAL],
    [XmattersErrorCode.REQUEST, GrpcCode.FAILED_PRECONDITION],
  ];
  for (const [code, grpc] of table) {
    test(`${code} exits ${grpc} and keeps the client's message`, () => {
      const err = new XmattersError(code as XmattersErrorCode, `the ${code} text`);
      assert.equal(err.grpcStatus, grpc);
      assert.equal(exitCodeFor(err), grpc);
      assert.deepEqual(statusOfError(err), { code: grpc, message: `the ${code} text` });
    });
  }
});
