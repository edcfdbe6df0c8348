import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { countOf, formatCount, renderSummary } from '../../../src/baton/cli/summary.js';
import type { SyncSummary } from '../../../src/baton/cli/summary.js';

const SUMMARY: SyncSummary = {
  syncId: '2xYz',
  syncType: 'full',
  file: 'sync.c1z',
  fileBytes: 1_258_291,
  wallMs: 4_213,
  counts: {
    users: '1,234 (1,200 active, 34 inactive)',
    groups: 56,
    grants: 12_345,
    'skipped members': '7 (3 groups, 4 devices)',
    requests: 98,
    retries: 2,
  },
  warnings: 3,
  warningSamples: [
    'person p-9 in group Ops is not among the synced users',
    'group g-4 was deleted during the sync',
  ],
};

describe('renderSummary', () => {
  test('renders aligned lines in the caller’s order, then warnings, time and file', () => {
    assert.equal(
      renderSummary(SUMMARY),
      [
        'sync finished: full sync 2xYz',
        '  users            1,234 (1,200 active, 34 inactive)',
        '  groups           56',
        '  grants           12,345',
        '  skipped members  7 (3 groups, 4 devices)',
        '  requests         98',
        '  retries          2',
        '  warnings         3',
        '                   - person p-9 in group Ops is not among the synced users',
        '                   - group g-4 was deleted during the sync',
        '                   … and 1 more in the log',
        '  wall time        4.2 s',
        '  file             sync.c1z (1.2 MiB)',
      ].join('\n'),
    );
  });

  const durations: [number, string][] = [
    [850, '850 ms'],
    [59_940, '59.9 s'],
    [125_000, '2 min 05 s'],
    [3_725_000, '1 h 02 min'],
  ];
  for (const [ms, want] of durations) {
    test(`shows ${ms} ms of wall time as "${want}"`, () => {
      assert.match(renderSummary({ ...SUMMARY, wallMs: ms }), new RegExp(`wall time +${want}\\n`));
    });
  }

  const sizes: [number, string][] = [
    [512, '512 B'],
    [2048, '2.0 KiB'],
    [3 * 1024 ** 3, '3.0 GiB'],
  ];
  for (const [bytes, want] of sizes) {
    test(`shows a ${bytes}-byte file as ${want}`, () => {
      assert.ok(renderSummary({ ...SUMMARY, fileBytes: bytes }).endsWith(`sync.c1z (${want})`));
    });
  }

  test('shows no sample lines when there are no warnings', () => {
    const text = renderSummary({ ...SUMMARY, counts: { users: 1 }, warnings: 0, warningSamples: [] });
    assert.equal(text.split('\n').length, 5);
    assert.match(text, /  warnings   0\n/);
  });
});

describe('formatCount and countOf', () => {
  test('thousands separators on every number', () => {
    assert.equal(formatCount(0), '0');
    assert.equal(formatCount(999), '999');
    assert.equal(formatCount(1_000), '1,000');
    assert.equal(formatCount(1_234_567), '1,234,567');
  });

  test('a noun in the singular for exactly one, plural otherwise, with the count formatted', () => {
    assert.equal(countOf(1, 'dynamic team'), '1 dynamic team');
    assert.equal(countOf(0, 'dynamic team'), '0 dynamic teams');
    assert.equal(countOf(2, 'nested group'), '2 nested groups');
    assert.equal(countOf(1_500, 'device'), '1,500 devices');
    assert.equal(countOf(1, 'person', 'people'), '1 person');
    assert.equal(countOf(3, 'person', 'people'), '3 people');
  });
});
