import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { create, toBinary } from '@bufbuild/protobuf';
import type { Grant } from '../../../src/baton/gen/c1/connector/v2/grant_pb.js';
import {
  GrantSchema,
  GrantSources_GrantSourceSchema,
  GrantSourcesSchema,
} from '../../../src/baton/gen/c1/connector/v2/grant_pb.js';
import { EntitlementSchema } from '../../../src/baton/gen/c1/connector/v2/entitlement_pb.js';
import { ResourceIdSchema, ResourceSchema } from '../../../src/baton/gen/c1/connector/v2/resource_pb.js';
import { GrantImmutableSchema } from '../../../src/baton/gen/c1/connector/v2/annotation_grant_pb.js';
import {
  BARE_ENTITLEMENT_FIELDS,
  BARE_RESOURCE_FIELDS,
  GrantEncoder,
  utf8Length,
} from '../../../src/baton/c1z/grant-encoder.js';
import {
  newAssignmentEntitlement,
  newGrant,
  newGroupResource,
  newResourceId,
  newUserResource,
  packAnnotation,
} from '../../../src/baton/model/index.js';
import { groupType, userType } from '../../support/c1z-sample.js';

const same = (encoder: GrantEncoder, grant: Grant, label: string) =>
  assert.deepEqual(encoder.encode(grant), Buffer.from(toBinary(GrantSchema, grant)), label);

describe('GrantEncoder', () => {
  const group = newGroupResource('Ops "on call" ✓', groupType, 'g-1', {
    profile: { b: [1, 'x'], a: { z: null } },
  });
  const user = newUserResource('Ada', userType, 'u-1', { emails: [{ address: 'a@x.io', primary: true }] });

  test('encodes exactly like toBinary for every grant shape it meets', () => {
    const encoder = new GrantEncoder();
    const longId = 'ü'.repeat(300);
    const variants: [string, Grant][] = [
      ['bare grant to a ResourceId', newGrant(group, 'member', user.id!)],
      ['same entitlement again (memoised)', newGrant(group, 'member', newResourceId('user', 'u-2'))],
      ['another entitlement on the same resource', newGrant(group, 'admin', user.id!)],
      ['full principal resource', newGrant(group, 'member', user)],
      ['annotations', newGrant(group, 'member', user.id!, { metadata: { k: 'v' } })],
      [
        'empty Any value',
        newGrant(group, 'member', user.id!, { annotations: [packAnnotation(GrantImmutableSchema, {})] }),
      ],
      [
        'non-ASCII and long strings (multi-byte varints)',
        newGrant(group, 'member', newResourceId('user', longId)),
      ],
      ['lone surrogate (encoded as U+FFFD)', newGrant(group, 'member', newResourceId('user', 'a\ud800b'))],
      ['empty grant', create(GrantSchema)],
      [
        'entitlement without resource',
        create(GrantSchema, { id: 'x', entitlement: create(EntitlementSchema, { id: 'e' }) }),
      ],
      ['principal without id', create(GrantSchema, { id: 'x', principal: create(ResourceSchema) })],
      [
        'principal id with baton_resource',
        create(GrantSchema, {
          id: 'x',
          principal: create(ResourceSchema, {
            id: create(ResourceIdSchema, { resourceType: 'u', resource: 'r', batonResource: true }),
          }),
        }),
      ],
      [
        'decorated entitlement (full)',
        create(GrantSchema, {
          id: 'y',
          entitlement: newAssignmentEntitlement(group, 'member', { grantableTo: [userType] }),
        }),
      ],
      [
        'sources map',
        create(GrantSchema, {
          id: 'z',
          entitlement: create(EntitlementSchema, { id: 'e', resource: group }),
          sources: create(GrantSourcesSchema, {
            sources: { a: create(GrantSources_GrantSourceSchema, { isDirect: true }) },
          }),
        }),
      ],
    ];
    for (const [label, grant] of variants) same(encoder, grant, label);
    // Unknown fields fall back to the reflective encoder and survive.
    const withUnknown = newGrant(group, 'member', user.id!);
    withUnknown.$unknown = [{ no: 99, wireType: 0, data: new Uint8Array([1]) }];
    same(encoder, withUnknown, 'unknown fields');
  });

  test('reuses the encoding of a resource object (resources must not change after being written)', () => {
    const encoder = new GrantEncoder();
    const g = newGroupResource('Before', groupType, 'g');
    const first = encoder.encode(newGrant(g, 'member', user.id!));
    g.displayName = 'After';
    assert.deepEqual(encoder.encode(newGrant(g, 'member', user.id!)), first);
    assert.equal(encoder.resourceBytes(g), encoder.resourceBytes(g));
  });

  test('what it keeps per resource does not pin pooled buffers (memory stays with the encodings)', () => {
    const encoder = new GrantEncoder();
    // Groups alive for the whole grants phase, as the engine holds them, each with grants encoded in between.
    const groups = Array.from({ length: 2000 }, (_, i) =>
      newGroupResource(`G ${i}`, groupType, `g-${i}`, {}),
    );
    const before = process.memoryUsage().arrayBuffers;
    for (const g of groups) {
      for (let k = 0; k < 50; k++) encoder.encode(newGrant(g, 'member', newResourceId(userType, `u-${k}`)));
    }
    // The cached per-group entitlement part is ~40 bytes; a Buffer.allocUnsafe slice of Node's 8 KiB pool
    // would keep a whole pool slab per group alive (16 MiB here, 80 MB on the large benchmark tenant).
    const grown = process.memoryUsage().arrayBuffers - before;
    assert.ok(grown < 4 * 1024 * 1024, `array buffers grew by ${(grown / 1048576).toFixed(1)} MiB`);
    assert.equal(groups.length, 2000); // the groups stay alive until here
  });

  test('the bare-shape checks name every field of Entitlement and Resource', () => {
    // If a field is added to the .proto files, isBareEntitlement/isBareResource must learn about it.
    assert.deepEqual(
      EntitlementSchema.fields.map((f) => f.localName).sort(),
      [
        ...BARE_ENTITLEMENT_FIELDS,
        'displayName',
        'description',
        'grantableTo',
        'annotations',
        'purpose',
        'slug',
      ].sort(),
    );
    assert.deepEqual(
      ResourceSchema.fields.map((f) => f.localName).sort(),
      [
        ...BARE_RESOURCE_FIELDS,
        'parentResourceId',
        'displayName',
        'annotations',
        'description',
        'batonResource',
        'externalId',
        'creationSource',
        'profile',
        'icon',
        'status',
        'createdAt',
      ].sort(),
    );
  });

  test('utf8Length matches the bytes protobuf-es writes', () => {
    for (const s of ['', 'abc', 'é', '€', '😀', 'a\ud800', '\udc00b']) {
      assert.equal(utf8Length(s), new TextEncoder().encode(s).length, JSON.stringify(s));
    }
  });
});
