import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { equals, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { DescMessage } from '@bufbuild/protobuf';
import { EntitlementSchema } from '../../../src/baton/gen/c1/connector/v2/entitlement_pb.js';
import { GrantExpandableSchema } from '../../../src/baton/gen/c1/connector/v2/annotation_grant_pb.js';
import { GrantSchema } from '../../../src/baton/gen/c1/connector/v2/grant_pb.js';
import { ResourceSchema, ResourceTypeSchema } from '../../../src/baton/gen/c1/connector/v2/resource_pb.js';
import { batonRegistry } from '../../../src/baton/model/index.js';
import { FIXTURES, fixturePath, openC1zInMemory } from '../../support/c1z-fixtures.js';
import { walkMessage } from '../../support/c1z-proto-walk.js';

const TABLES: [string, string, DescMessage][] = [
  ['v1_resource_types', 'data', ResourceTypeSchema],
  ['v1_resources', 'data', ResourceSchema],
  ['v1_entitlements', 'data', EntitlementSchema],
  ['v1_grants', 'data', GrantSchema],
];

// Re-encoding must reproduce the Go bytes; only map entry order may differ, and then the two
// encodings must decode to equal messages.
function assertRoundTrip(desc: DescMessage, bytes: Uint8Array, hasMaps: boolean, where: string): boolean {
  const decoded = fromBinary(desc, bytes);
  const again = toBinary(desc, decoded);
  if (Buffer.compare(Buffer.from(again), Buffer.from(bytes)) === 0) return true;
  assert.ok(hasMaps, `${where}: re-encoded bytes differ and the message has no maps`);
  assert.ok(equals(desc, fromBinary(desc, again), decoded), `${where}: re-encoding changed the message`);
  return false;
}

describe('Go-written fixture blobs', () => {
  for (const fx of FIXTURES) {
    test(`${fx.file}: every data blob decodes with zero unknown fields and re-encodes identically`, () => {
      const db = openC1zInMemory(fixturePath(fx.file));
      const registry = batonRegistry();
      let blobs = 0;
      let anys = 0;
      let semantic = 0;
      try {
        const tables: [string, string, DescMessage][] = [...TABLES];
        const hasExpansion = db
          .prepare("SELECT 1 FROM pragma_table_info('v1_grants') WHERE name = 'expansion'")
          .get();
        if (hasExpansion) tables.push(['v1_grants', 'expansion', GrantExpandableSchema]);
        for (const [table, column, desc] of tables) {
          const rows = db.prepare(`SELECT id, ${column} AS blob FROM ${table} WHERE ${column} IS NOT NULL`);
          for (const row of rows.iterate() as Iterable<{ id: number; blob: Buffer }>) {
            const where = `${table}#${row.id}.${column}`;
            const message = fromBinary(desc, row.blob);
            const report = walkMessage(desc, message, registry);
            assert.deepEqual(report.unknown, [], `${where}: unknown fields`);
            assert.deepEqual(report.unresolved, [], `${where}: unresolved Any types`);
            if (!assertRoundTrip(desc, row.blob, report.hasMaps, where)) semantic++;
            for (const any of report.anys) {
              assertRoundTrip(any.desc, any.value, report.hasMaps, `${where} Any ${any.desc.typeName}`);
            }
            blobs++;
            anys += report.unpacked;
          }
        }
      } finally {
        db.close();
      }
      assert.ok(blobs > 0);
      assert.ok(anys > 0);
      console.log(`${fx.file}: ${blobs} blobs, ${anys} annotations, ${semantic} compared semantically`);
    });
  }
});

describe('walkMessage', () => {
  test('reports unknown fields inside a known Any and unresolvable Any types', () => {
    // UserTrait with an undeclared field 99 (varint 1), packed into a Resource annotation.
    const trait = Buffer.from([0x32, 0x01, 0x61, 0x98, 0x06, 0x01]);
    const resource = fromBinary(ResourceSchema, new Uint8Array());
    resource.annotations.push(
      {
        $typeName: 'google.protobuf.Any',
        typeUrl: 'type.googleapis.com/c1.connector.v2.UserTrait',
        value: trait,
      },
      {
        $typeName: 'google.protobuf.Any',
        typeUrl: 'type.googleapis.com/c1.connector.v2.NoSuchThing',
        value: trait,
      },
    );
    const report = walkMessage(ResourceSchema, resource, batonRegistry());
    assert.deepEqual(report.unknown, ['c1.connector.v2.Resource.annotations[0]<c1.connector.v2.UserTrait>']);
    assert.deepEqual(report.unresolved, ['type.googleapis.com/c1.connector.v2.NoSuchThing']);
  });
});
