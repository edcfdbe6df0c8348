import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { create, toBinary } from '@bufbuild/protobuf';
import {
  GroupTraitSchema,
  UserTrait_AccountType,
  UserTrait_Status_Status,
  UserTraitSchema,
} from '../../../src/baton/gen/c1/connector/v2/annotation_trait_pb.js';
import { AssetRefSchema } from '../../../src/baton/gen/c1/connector/v2/asset_pb.js';
import {
  ExternalIdSchema,
  Resource_CreationSource,
  ResourceSchema,
  Status_ResourceStatus,
} from '../../../src/baton/gen/c1/connector/v2/resource_pb.js';
import type { Resource } from '../../../src/baton/gen/c1/connector/v2/resource_pb.js';
import { encodeGroupTrait, encodeResource, encodeUserTrait } from '../../../src/baton/model/bulk-encoding.js';
import {
  findAnnotation,
  newGroupResource,
  newGroupTrait,
  newResourceId,
  newUserResource,
  newUserTrait,
} from '../../../src/baton/model/index.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

const PROFILE = {
  name: 'Zoë Ørsted',
  quote: 'Renée "Rae" O\'Brien',
  empty: '',
  zero: 0,
  negativeZero: -0,
  fraction: 0.1,
  big: 2 ** 60,
  yes: true,
  no: false,
  none: null,
  list: ['a', 1, false, null, ['nested'], { k: 'v' }],
  emptyList: [],
  nested: { deeper: { deepest: '李 伟' }, emptyObject: {} },
  since: new Date(Date.UTC(2020, 1, 29, 12, 0, 0)),
};

function users(): Resource[] {
  return [
    newUserResource('Plain', 'user', 'u-1'),
    newUserResource('Everything', 'user', 'u-2', {
      emails: [{ address: 'a@example.com', primary: true }, { address: 'b@example.com' }, { address: '' }],
      login: 'everything',
      loginAliases: ['alias-1', 'alias-2'],
      employeeIds: ['E-1', 'E-2'],
      accountType: UserTrait_AccountType.SERVICE,
      status: UserTrait_Status_Status.DISABLED,
      statusDetails: 'INACTIVE',
      profile: PROFILE,
      createdAt: new Date(Date.UTC(2019, 0, 1, 0, 0, 0, 123)),
      lastLogin: new Date(Date.UTC(2025, 5, 14, 22, 17, 31, 450)),
      mfaEnabled: true,
      ssoEnabled: false,
      structuredName: {
        givenName: 'Ada',
        familyName: 'Lovelace',
        middleNames: ['King', 'Byron'],
        prefix: 'Lady',
      },
    }),
    newUserResource(
      'Before 1970',
      'user',
      'u-3',
      { createdAt: new Date(Date.UTC(1960, 0, 1, 0, 0, 0, 500)), profile: {} },
      {
        description: 'described',
        parent: newResourceId('org', 'o-1'),
        aliases: ['x'],
        externalLink: 'https://e',
      },
    ),
  ];
}

function groups(): Resource[] {
  return [
    newGroupResource('Bare', 'group', 'g-1'),
    newGroupResource(
      'Café Support / EMEA',
      'group',
      'g-2',
      { profile: PROFILE, groupSourceType: 'native', rawGroupSourceType: 'ON_CALL' },
      { description: 'Team – EMEA', status: { status: Status_ResourceStatus.DISABLED, details: 'INACTIVE' } },
    ),
  ];
}

describe('bulk encoders', () => {
  test('encode users, their traits and groups to exactly the bytes of toBinary', () => {
    for (const r of [...users(), ...groups()]) {
      assert.equal(hex(encodeResource(r)), hex(toBinary(ResourceSchema, r)), r.displayName);
      const user = findAnnotation(r.annotations, UserTraitSchema);
      if (user !== undefined) assert.equal(hex(encodeUserTrait(user)), hex(toBinary(UserTraitSchema, user)));
      const group = findAnnotation(r.annotations, GroupTraitSchema);
      if (group !== undefined)
        assert.equal(hex(encodeGroupTrait(group)), hex(toBinary(GroupTraitSchema, group)));
    }
  });

  test('give the same bytes for the same message on every call (the shared writer is reset)', () => {
    const [r] = groups().slice(1);
    const first = hex(encodeResource(r!));
    encodeUserTrait(newUserTrait({ profile: PROFILE }));
    assert.equal(hex(encodeResource(r!)), first);
  });

  test('fall back to the reflective encoder for what they do not model', () => {
    const withIcon = newUserResource('Icon', 'user', 'u-9', { iconId: 'asset-1' });
    const withExternalId = newUserResource('Ext', 'user', 'u-10');
    withExternalId.externalId = create(ExternalIdSchema, { id: 'x-1', link: 'https://x' });
    withExternalId.creationSource = Resource_CreationSource.CONNECTOR_LIST_RESOURCES;
    const withUnknown = newGroupResource('Unknown', 'group', 'g-9');
    withUnknown.$unknown = [{ no: 99, wireType: 2, data: new Uint8Array([1, 0x61]) }];
    const idUnknown = newGroupResource('Id unknown', 'group', 'g-10');
    idUnknown.id!.$unknown = [{ no: 9, wireType: 0, data: new Uint8Array([5]) }];
    const odd = newGroupResource('Odd profile', 'group', 'g-11');
    // Not JSON: protobuf-es writes an empty Value for it; the fallback must do exactly that.
    odd.profile = { undefinedValue: undefined as unknown as null };
    for (const r of [withIcon, withExternalId, withUnknown, idUnknown, odd]) {
      assert.equal(hex(encodeResource(r)), hex(toBinary(ResourceSchema, r)), r.displayName);
    }
    const trait = newUserTrait({ iconId: 'asset-2', login: 'l' });
    assert.equal(hex(encodeUserTrait(trait)), hex(toBinary(UserTraitSchema, trait)));
    const groupTrait = newGroupTrait({ profile: { a: 1 } });
    groupTrait.icon = create(AssetRefSchema, { id: 'asset-3' });
    assert.equal(hex(encodeGroupTrait(groupTrait)), hex(toBinary(GroupTraitSchema, groupTrait)));
  });
});
