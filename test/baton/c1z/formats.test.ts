import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatGoLocalTime, parseGoTime } from '../../../src/baton/c1z/go-time.js';
import { KSUID_PATTERN, ksuidTime, newKsuid } from '../../../src/baton/c1z/ksuid.js';
import { parseZstdFrameHeader } from '../../../src/baton/c1z/zstd-frame.js';
import { goString, syncStatsToGoJson } from '../../../src/baton/c1z/sync-stats.js';
import { create } from '@bufbuild/protobuf';
import { SyncStatsSchema } from '../../../src/baton/gen/c1/reader/v2/sync_pb.js';
import { readFileSync } from 'node:fs';
import { fixturePath } from '../../support/c1z-fixtures.js';

describe('KSUIDs', () => {
  test('are 27 base62 characters encoding the creation second', () => {
    const at = new Date(Date.UTC(2026, 7, 22, 10, 15, 3));
    const id = newKsuid(at);
    assert.match(id, KSUID_PATTERN);
    assert.equal(ksuidTime(id).getTime(), at.getTime());
  });

  test('match segmentio/ksuid for known bytes (zero payload, max payload)', () => {
    assert.equal(
      newKsuid(new Date(1_400_000_000_000), (b) => b.fill(0)),
      '000000000000000000000000000',
    );
    assert.equal(
      newKsuid(new Date((1_400_000_000 + 0xffffffff) * 1000), (b) => b.fill(0xff)),
      'aWgEPTl1tmebfsQzFP4bxwgy80V',
    );
  });

  test('sort by time as text', () => {
    const a = newKsuid(new Date(2026, 0, 1));
    const b = newKsuid(new Date(2026, 0, 2));
    assert.ok(a < b);
  });

  test('the Go fixture sync id decodes to its start time', () => {
    // 3ARefY5G8eOytquwYgm41Nq07IZ started 2026-03-03 09:45:13 (local time of the Go writer).
    const t = ksuidTime('3ARefY5G8eOytquwYgm41Nq07IZ');
    assert.equal(t.getUTCFullYear(), 2026);
    assert.equal(t.getUTCMonth(), 2);
  });
});

describe('Go layout timestamps', () => {
  test('use local time, a space separator and trimmed fractions', () => {
    assert.equal(formatGoLocalTime(new Date(2026, 7, 22, 10, 15, 3, 120)), '2026-08-22 10:15:03.12');
    assert.equal(formatGoLocalTime(new Date(2026, 7, 22, 10, 15, 3, 7)), '2026-08-22 10:15:03.007');
    assert.equal(formatGoLocalTime(new Date(2026, 0, 2, 3, 4, 5, 0)), '2026-01-02 03:04:05');
  });

  test('parse back, also with zones and nanoseconds as Go writes them', () => {
    const d = new Date(2026, 7, 22, 10, 15, 3, 120);
    assert.equal(parseGoTime(formatGoLocalTime(d))?.getTime(), d.getTime());
    assert.equal(parseGoTime('2026-03-03 09:45:13.056791')?.getMilliseconds(), 56);
    assert.equal(parseGoTime('2026-03-03T09:45:13Z')?.toISOString(), '2026-03-03T09:45:13.000Z');
    assert.equal(parseGoTime('2026-03-03 09:45:13+02:00')?.toISOString(), '2026-03-03T07:45:13.000Z');
    assert.equal(parseGoTime('yesterday'), undefined);
  });
});

describe('zstd frame headers', () => {
  test('the Go in-progress fixture: no content size, checksum, 8 MiB window (baton-interop.md §1.2)', () => {
    const header = parseZstdFrameHeader(readFileSync(fixturePath('go-sdk-in-progress.c1z')).subarray(5));
    assert.deepEqual(header, {
      contentSize: undefined,
      hasChecksum: true,
      singleSegment: false,
      windowSize: 8 * 1024 * 1024,
      headerBytes: 6,
    });
  });

  test('rejects bytes that are not a zstd frame', () => {
    assert.equal(parseZstdFrameHeader(Buffer.from('not zstd at all')), undefined);
  });
});

describe('stats JSON', () => {
  test('follows Go encoding/json: struct order, omitempty, sorted maps, HTML-safe escapes', () => {
    const stats = create(SyncStatsSchema, {
      resourceTypes: 2n,
      resources: 5n,
      entitlements: 2n,
      grants: 4n,
      resourcesByResourceType: { user: 3n, group: 2n },
      grantsByResourceType: { group: 4n },
      entitlementsByResourceType: { group: 2n },
    });
    assert.equal(
      syncStatsToGoJson(stats),
      '{"resource_types":2,"resources":5,"entitlements":2,"grants":4,"resources_by_resource_type":{"group":2,"user":3},' +
        '"grants_by_resource_type":{"group":4},"entitlements_by_resource_type":{"group":2}}',
    );
    assert.equal(syncStatsToGoJson(create(SyncStatsSchema)), '{}');
    assert.equal(goString('a<b>&\u2028"'), '"a\\u003cb\\u003e\\u0026\\u2028\\""');
  });
});
