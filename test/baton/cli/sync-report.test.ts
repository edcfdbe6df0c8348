import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { syncReportJson, syncReportSummary, type SyncReport } from '../../../src/baton/cli/sync-report.js';
import type { SyncToFileResult } from '../../../src/baton/sync/sync-to-file.js';

const RESULT: SyncToFileResult = {
  syncId: '2xYz',
  syncType: 'full',
  resumed: false,
  resourcesByType: { user: 3 },
  resourcesByStatus: {},
  entitlements: 4,
  grants: 5,
  grantsBySlug: {},
  warnings: 1,
  warningsByKind: { 'skipped-member': 1 },
  warningSamples: ['w'],
  counters: {},
  earlierRuns: {},
  checkpoints: 0,
  file: 'sync.c1z',
  fileBytes: 1234,
};

const report = (over: Partial<SyncToFileResult> = {}): SyncReport => ({
  result: { ...RESULT, ...over },
  thisRun: { requests: 10, retries: 1, wall_ms: 2500 },
  figures: [
    { console: ['users', '3 people'], json: ['users', 3] },
    { json: ['only_in_json', 7] },
    { console: ['only on console', 'x'] },
  ],
});

describe('syncReportJson', () => {
  test('the sync head, then the caller’s JSON figures in order, then the whole-sync tail', () => {
    const json = syncReportJson(report());
    assert.deepEqual(Object.keys(json), [
      'sync_id',
      'sync_type',
      'resumed',
      'file',
      'file_bytes',
      'users',
      'only_in_json',
      'warnings',
      'warnings_by_kind',
      'requests',
      'retries',
      'wall_ms',
      'this_run',
      'peak_rss_bytes',
    ]);
    assert.equal(json.users, 3);
    assert.equal(json.file_bytes, 1234);
  });

  test('after a resume, requests, retries and wall time add the earlier runs; this_run keeps this one', () => {
    const json = syncReportJson(
      report({ resumed: true, earlierRuns: { requests: 5, retries: 2, wall_ms: 1000 } }),
    );
    assert.deepEqual(
      [json.requests, json.retries, json.wall_ms, json.this_run],
      [15, 3, 3500, { requests: 10, retries: 1, wall_ms: 2500 }],
    );
  });
});

describe('syncReportSummary', () => {
  test('the caller’s console figures in order, then requests and retries of the whole sync', () => {
    const summary = syncReportSummary(report({ earlierRuns: { requests: 5 } }));
    assert.deepEqual(summary.counts, { users: '3 people', 'only on console': 'x', requests: 15, retries: 1 });
    assert.equal(summary.wallMs, 2500);
  });

  test('a resumed sync says what this run alone did', () => {
    const summary = syncReportSummary(report({ resumed: true }));
    assert.equal(
      summary.counts.resumed,
      'yes (continued an interrupted sync; this run: 10 requests, 1 retries, 2.5 s)',
    );
  });
});
