import { test } from 'node:test';
import assert from 'node:assert/strict';
import { create, toBinary } from '@bufbuild/protobuf';
import {
  ResourceType_Trait,
  ResourceTypeSchema,
} from '../../../src/baton/gen/c1/connector/v2/resource_pb.js';
import { SkipEntitlementsAndGrantsSchema } from '../../../src/baton/gen/c1/connector/v2/annotation_resource_tree_pb.js';
import { newResourceType, packAnnotation } from '../../../src/baton/model/index.js';

// baton-interop.md §2.7: v1_resource_types.data blobs observed in Go-written fixtures.
const GROUP_HEX = '0A0567726F7570120547726F75701A0102';
const USER_HEX =
  '0A04757365721204557365721A0101223F0A3D747970652E676F6F676C65617069732E636F6D2F63312E636F6E6E6563746F722E76322E536B6970456E7469746C656D656E7473416E644772616E7473';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

test('group ResourceType encodes to the golden bytes (packed traits)', () => {
  const rt = create(ResourceTypeSchema, {
    id: 'group',
    displayName: 'Group',
    traits: [ResourceType_Trait.GROUP],
  });
  assert.equal(hex(toBinary(ResourceTypeSchema, rt)), GROUP_HEX);
  assert.equal(
    hex(toBinary(ResourceTypeSchema, newResourceType('Group', [ResourceType_Trait.GROUP]))),
    GROUP_HEX,
  );
});

test('user ResourceType with SkipEntitlementsAndGrants encodes to the golden bytes (empty Any value omitted)', () => {
  const rt = newResourceType('User', [ResourceType_Trait.USER], {
    annotations: [packAnnotation(SkipEntitlementsAndGrantsSchema, {})],
  });
  assert.equal(hex(toBinary(ResourceTypeSchema, rt)), USER_HEX);
});
