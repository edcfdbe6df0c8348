import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { anyPack } from '@bufbuild/protobuf/wkt';
import { GrantImmutableSchema } from '../../../../src/baton/gen/c1/connector/v2/annotation_grant_pb.js';
import { EntitlementSchema } from '../../../../src/baton/gen/c1/connector/v2/entitlement_pb.js';
import { GrantSchema, GrantSourcesSchema } from '../../../../src/baton/gen/c1/connector/v2/grant_pb.js';
import { ResourceSchema } from '../../../../src/baton/gen/c1/connector/v2/resource_pb.js';
import {
  expandedGrantBytes,
  readGrantParts,
  withSources,
} from '../../../../src/baton/sync/expand/grant-bytes.js';

const entitlement = create(EntitlementSchema, {
  id: 'group:g1:member',
  displayName: 'G1 Group Member',
  resource: create(ResourceSchema, { id: { resourceType: 'group', resource: 'g1' }, displayName: 'G1' }),
});
const principal = create(ResourceSchema, { id: { resourceType: 'user', resource: 'u1' } });

describe('grant bytes for expansion', () => {
  test('a derived grant equals the message baton-sdk builds, with map keys in UTF-8 order', () => {
    const sources = new Map([
      ['group:zeta:member', false],
      ['group:alpha:member', true],
    ]);
    const bytes = expandedGrantBytes(
      toBinary(EntitlementSchema, entitlement),
      toBinary(ResourceSchema, principal),
      'group:g1:member:user:u1',
      sources,
    );
    const want = create(GrantSchema, {
      entitlement,
      principal,
      id: 'group:g1:member:user:u1',
      annotations: [anyPack(GrantImmutableSchema, create(GrantImmutableSchema))],
      sources: create(GrantSourcesSchema, {
        sources: { 'group:alpha:member': { isDirect: true }, 'group:zeta:member': { isDirect: false } },
      }),
    });
    assert.deepEqual(Buffer.from(bytes), Buffer.from(toBinary(GrantSchema, want)));
    assert.deepEqual(readGrantParts(bytes).sources, new Map([...sources].sort()));
    assert.deepEqual(readGrantParts(bytes).principal, toBinary(ResourceSchema, principal));
  });

  test('withSources replaces the sources and keeps every other field byte for byte', () => {
    const direct = create(GrantSchema, {
      entitlement,
      principal,
      id: 'group:g1:member:user:u1',
      sources: create(GrantSourcesSchema, { sources: { old: { isDirect: false } } }),
    });
    const updated = withSources(
      toBinary(GrantSchema, direct),
      new Map([
        ['group:g1:member', true],
        ['group:g2:member', false],
      ]),
    );
    const decoded = fromBinary(GrantSchema, updated);
    assert.deepEqual(Object.keys(decoded.sources!.sources), ['group:g1:member', 'group:g2:member']);
    assert.equal(decoded.sources!.sources['group:g1:member']!.isDirect, true);
    assert.deepEqual(
      toBinary(GrantSchema, { ...decoded, sources: undefined }),
      toBinary(GrantSchema, { ...direct, sources: undefined }),
    );
  });

  test('a grant the connector listed has no sources', () => {
    const bytes = toBinary(GrantSchema, create(GrantSchema, { entitlement, principal, id: 'x' }));
    assert.equal(readGrantParts(bytes).sources.size, 0);
  });
});
