// A resumed sync reports the whole sync (warnings, counters, work of earlier runs, each counted once), and
// resumes only for the same fingerprint (issue 10, defects 4 and 5), through syncToFile and a real c1z store.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BatonError, GrpcCode } from '../../../src/baton/errors.js';
import type { SyncOptions } from '../../../src/baton/sync/syncer.js';
import { syncToFile } from '../../../src/baton/sync/sync-to-file.js';
import { FakeConnector, FIVE_GROUPS } from '../../support/fake-connector.js';
import { openC1zDb } from '../../support/open-c1z-db.js';
import { syncPathsUnder } from '../../support/sync-paths.js';

const fresh = syncPathsUnder('resume-tally-test-');

// g4 lists a member that is not a user: one grant-principal-missing warning per whole sync.
const tenant = FIVE_GROUPS;

const sync = (
  paths: { file: string; tmpDir: string },
  connector: FakeConnector,
  extra: Partial<SyncOptions> = {},
) => syncToFile({ ...extra, connector, file: paths.file, tmpDir: paths.tmpDir, checkpointIntervalMs: 0 });

const failOn = (call: number) =>
  new FakeConnector(tenant, {
    failGrantsOnCall: { call, error: new BatonError(GrpcCode.UNAVAILABLE, 'down') },
  });

describe('the result of a resumed sync describes the whole sync', () => {
  test('warnings and counters of the interrupted run are kept, and equal an uninterrupted sync', async () => {
    const baseline = await sync(fresh(), new FakeConnector(tenant));
    assert.equal(baseline.warnings, 1);
    assert.deepEqual(baseline.counters, { 'fake.members-listed': 8 });
    assert.deepEqual(baseline.grantsBySlug, { member: 7 });

    const paths = fresh();
    // g1..g4 are finished (g4 warned) before g5 fails.
    await assert.rejects(sync(paths, failOn(5), { concurrency: 1 }), /down/);
    const resumed = await sync(paths, new FakeConnector(tenant), { concurrency: 1 });
    assert.equal(resumed.resumed, true);
    assert.equal(resumed.warnings, baseline.warnings);
    assert.deepEqual(resumed.warningsByKind, baseline.warningsByKind);
    assert.deepEqual(resumed.warningSamples, baseline.warningSamples);
    assert.deepEqual(resumed.counters, baseline.counters);
  });

  test('work an interrupted run had begun but not finished is counted once, whatever the concurrency', async () => {
    const baseline = await sync(fresh(), new FakeConnector(tenant));
    // The fake fails the listing that starts when `call` listings have begun: pairs that happen at that
    // concurrency, so that other listings are in flight (begun, unfinished) when the run fails.
    for (const [concurrency, call] of [
      [2, 2],
      [2, 4],
      [3, 3],
      [5, 5],
    ] as const) {
      const paths = fresh();
      await assert.rejects(sync(paths, failOn(call), { concurrency }), /down/);
      const resumed = await sync(paths, new FakeConnector(tenant), { concurrency });
      assert.equal(resumed.resumed, true);
      const where = `concurrency ${concurrency}, failing call ${call}`;
      assert.deepEqual(resumed.warningsByKind, baseline.warningsByKind, where);
      assert.deepEqual(resumed.counters, baseline.counters, where);
    }
  });

  test("the earlier runs' work counters are carried into earlierRuns", async () => {
    const paths = fresh();
    await assert.rejects(
      sync(paths, failOn(3), { concurrency: 1, workCounters: () => ({ requests: 7 }) }),
      /down/,
    );
    const resumed = await sync(paths, new FakeConnector(tenant), { workCounters: () => ({ requests: 2 }) });
    assert.equal(resumed.resumed, true);
    assert.deepEqual(resumed.earlierRuns, { requests: 7 });
  });
});

describe('an unfinished sync is resumed only with the same fingerprint', () => {
  test('another fingerprint: discarded (reported, rows deleted), a fresh sync runs', async () => {
    const paths = fresh();
    await assert.rejects(sync(paths, failOn(3), { concurrency: 1, resumeFingerprint: 'instance-a' }), /down/);
    const discarded: string[] = [];
    const other = await sync(paths, new FakeConnector(tenant), {
      resumeFingerprint: 'instance-b',
      onDiscarded: (d) => discarded.push(d.syncId),
    });
    assert.equal(other.resumed, false);
    assert.equal(discarded.length, 1);
    assert.notEqual(discarded[0], other.syncId);
    const { db, close } = openC1zDb(paths.file);
    try {
      const syncs = db.prepare('select sync_id from v1_sync_runs').pluck().all();
      assert.deepEqual(syncs, [other.syncId], 'nothing of the discarded sync is in the file');
      for (const table of ['v1_resources', 'v1_entitlements', 'v1_grants']) {
        const stray = db
          .prepare(`select count(*) from ${table} where sync_id != ?`)
          .pluck()
          .get(other.syncId);
        assert.equal(stray, 0, table);
      }
      // A finished token is the plain baton-sdk shape: what only a resume needs is gone.
      const token = db.prepare('select sync_token from v1_sync_runs').pluck().get() as string;
      assert.doesNotMatch(token, /resume_fingerprint|tallies|"work"/);
    } finally {
      close();
    }
  });

  test('the same fingerprint resumes', async () => {
    const paths = fresh();
    await assert.rejects(sync(paths, failOn(3), { concurrency: 1, resumeFingerprint: 'instance-a' }), /down/);
    const again = await sync(paths, new FakeConnector(tenant), { resumeFingerprint: 'instance-a' });
    assert.equal(again.resumed, true);
  });
});
