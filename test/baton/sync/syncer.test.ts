import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { BatonError, GrpcCode } from '../../../src/baton/errors.js';
import { C1zStore } from '../../../src/baton/c1z/store.js';
import { runSync, type SyncOptions } from '../../../src/baton/sync/syncer.js';
import { syncToFile } from '../../../src/baton/sync/sync-to-file.js';
import type { Connector, ResourceSyncer } from '../../../src/baton/sync/connector.js';
import { FakeConnector, FIVE_GROUPS, type FakeTenant } from '../../support/fake-connector.js';
import { finishedSyncs, openC1zDb, syncContent } from '../../support/open-c1z-db.js';
import { syncPathsUnder } from '../../support/sync-paths.js';

const fresh = syncPathsUnder('syncer-test-');

// g4 lists a member that is not a user: one grant-principal-missing warning per whole sync.
const tenant = FIVE_GROUPS;

/**
 * `inner` with a group grants listing that first runs `hold` (awaits it), counting how many listings are
 * in flight at once.
 */
function trackedGrants(inner: FakeConnector, hold: () => Promise<void>) {
  const stats = { inFlight: 0, maxInFlight: 0, started: 0 };
  const wrap = (s: ResourceSyncer): ResourceSyncer =>
    s.resourceType.id !== 'group'
      ? s
      : {
          resourceType: s.resourceType,
          list: (ctx) => s.list(ctx),
          entitlements: (r, ctx) => s.entitlements(r, ctx),
          async *grants(r, ctx) {
            stats.started += 1;
            stats.inFlight += 1;
            stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
            try {
              await hold();
              yield* s.grants(r, ctx);
            } finally {
              stats.inFlight -= 1;
            }
          },
        };
  const connector: Connector = {
    metadata: () => inner.metadata(),
    validate: () => inner.validate(),
    resourceSyncers: () => inner.resourceSyncers().map(wrap),
  };
  return { connector, stats };
}

/** The page token of the groups' list-grants action in a sync token: how many groups it has handed out. */
function grantsHandedOut(token: string): number | undefined {
  const state = JSON.parse(token) as {
    actions_map?: Record<
      string,
      { operation: string; resource_type_id?: string; resource_id?: string; page_token?: string }
    >;
  };
  const groups = Object.values(state.actions_map ?? {}).find(
    (a) => a.operation === 'list-grants' && a.resource_type_id === 'group' && a.resource_id === undefined,
  );
  return groups?.page_token === undefined ? undefined : Number(groups.page_token);
}

async function syncOnce(
  connector: Connector,
  paths: { file: string; tmpDir: string },
  extra: Partial<SyncOptions> = {},
) {
  return syncToFile({ ...extra, connector, file: paths.file, tmpDir: paths.tmpDir, checkpointIntervalMs: 0 });
}

describe('runSync', () => {
  test('writes types, resources, one entitlement per group and grants only for synced principals', async () => {
    const paths = fresh();
    const connector = new FakeConnector(tenant);
    const result = await syncOnce(connector, paths);
    assert.equal(result.syncType, 'full');
    assert.equal(result.resumed, false);
    assert.deepEqual(result.resourcesByType, { user: 5, group: 5 });
    assert.equal(result.entitlements, 5);
    assert.equal(result.grants, 7);
    assert.deepEqual(result.warningsByKind, { 'grant-principal-missing': 1 });
    assert.equal(result.fileBytes, statSync(paths.file).size, 'the reported size is the file on disk');
    const { db, close } = openC1zDb(paths.file);
    try {
      const content = syncContent(db, result.syncId);
      assert.deepEqual(content.resourceTypes, ['group', 'user']);
      assert.equal(content.resources.length, 10);
      assert.ok(content.grants.includes('group:g4:member:user:u5'));
      assert.ok(
        !content.grants.some((g) => g.includes('ghost')),
        'no grant may point at a missing principal',
      );
      // Referential integrity: every grant's entitlement and principal exist in the same sync.
      const dangling = db
        .prepare(
          `select count(*) from v1_grants g where g.sync_id = ? and (
             not exists (select 1 from v1_entitlements e where e.external_id = g.entitlement_id and e.sync_id = g.sync_id)
             or not exists (select 1 from v1_resources r where r.external_id = g.principal_resource_type_id || ':' || g.principal_resource_id and r.sync_id = g.sync_id))`,
        )
        .pluck()
        .get(result.syncId);
      assert.equal(dangling, 0);
    } finally {
      close();
    }
  });

  test('never asks a type annotated SkipEntitlementsAndGrants for entitlements or grants', async () => {
    const connector = new FakeConnector(tenant);
    await syncOnce(connector, fresh());
    assert.equal(connector.calls.userEntitlements, 0);
    assert.equal(connector.calls.userGrants, 0);
    assert.deepEqual([...connector.calls.groupGrants].sort(), ['g1', 'g2', 'g3', 'g4', 'g5']);
  });

  test('--skip-entitlements-and-grants makes a resources_only sync', async () => {
    const paths = fresh();
    const connector = new FakeConnector(tenant);
    const result = await syncOnce(connector, paths, { skipEntitlementsAndGrants: true });
    assert.equal(result.syncType, 'resources_only');
    assert.equal(result.entitlements + result.grants, 0);
    assert.equal(connector.calls.groupGrants.length, 0);
    const { db, close } = openC1zDb(paths.file);
    try {
      const [run] = finishedSyncs(db);
      assert.equal(run?.sync_type, 'resources_only');
      assert.match(run?.sync_token ?? '', /"should_skip_entitlements_and_grants":true/);
    } finally {
      close();
    }
  });

  test('skipGrants lists entitlements but no grants, and says so in the token', async () => {
    const paths = fresh();
    const connector = new FakeConnector(tenant);
    const result = await syncOnce(connector, paths, { skipGrants: true });
    assert.equal(result.entitlements, 5);
    assert.equal(result.grants, 0);
    assert.equal(connector.calls.groupGrants.length, 0);
    const { db, close } = openC1zDb(paths.file);
    try {
      assert.match(finishedSyncs(db)[0]?.sync_token ?? '', /"should_skip_grants":true/);
    } finally {
      close();
    }
  });

  test('skipFullSync records an empty finished full sync without calling the connector', async () => {
    const paths = fresh();
    const connector = new FakeConnector(tenant);
    const result = await syncToFile({
      connector,
      file: paths.file,
      tmpDir: paths.tmpDir,
      skipFullSync: true,
    });
    assert.equal(connector.calls.validate, 0);
    assert.deepEqual(result.resourcesByType, {});
    const { db, close } = openC1zDb(paths.file);
    try {
      const [run] = finishedSyncs(db);
      assert.equal(run?.sync_type, 'full');
      assert.deepEqual(syncContent(db, run.sync_id).resources, []);
    } finally {
      close();
    }
  });

  test('--sync-resource-types limits the sync and drops grants to types left out', async () => {
    const result = await syncOnce(new FakeConnector(tenant), fresh(), { resourceTypeIds: ['group'] });
    assert.deepEqual(result.resourcesByType, { group: 5 });
    assert.equal(result.entitlements, 5);
    assert.equal(result.grants, 0);
    assert.equal(result.warnings, 0, 'grants to a type outside the sync are dropped silently, as in Go');
  });

  test('an unknown --sync-resource-types value is an invalid argument naming the known types', async () => {
    await assert.rejects(
      syncOnce(new FakeConnector(tenant), fresh(), { resourceTypeIds: ['team'] }),
      (err) => {
        assert.ok(err instanceof BatonError);
        assert.equal(err.code, GrpcCode.INVALID_ARGUMENT);
        assert.match(err.message, /team.*user, group/);
        return true;
      },
    );
  });

  test('a resource without the trait its type declares fails the sync, naming the trait', async () => {
    await assert.rejects(syncOnce(new FakeConnector(tenant, { usersWithoutTrait: true }), fresh()), (err) => {
      assert.ok(err instanceof BatonError);
      assert.equal(err.code, GrpcCode.INTERNAL);
      assert.match(err.message, /user:u1 was missing expected trait c1\.connector\.v2\.UserTrait/);
      return true;
    });
  });

  test('NotFound while listing grants is a warning and the sync completes', async () => {
    const result = await syncOnce(new FakeConnector(tenant, { notFound: ['g1'] }), fresh());
    assert.equal(result.grants, 4);
    assert.equal(result.warningsByKind['resource-not-found'], 1);
  });

  test('a failure leaves the previous file byte-identical and the next run resumes the same sync', async () => {
    const paths = fresh();
    await syncOnce(new FakeConnector(tenant), paths);
    const before = readFileSync(paths.file);
    const failing = new FakeConnector(tenant, {
      failGrantsOnCall: { call: 3, error: new BatonError(GrpcCode.UNAVAILABLE, 'xMatters is down') },
    });
    await assert.rejects(syncOnce(failing, paths, { concurrency: 1 }), /xMatters is down/);
    assert.deepEqual(readFileSync(paths.file), before, 'the previous file must not change');

    const again = new FakeConnector(tenant);
    const result = await syncOnce(again, paths, { concurrency: 1 });
    assert.equal(result.resumed, true);
    // Groups whose grants were finished before the failure are not listed again.
    assert.ok(again.calls.groupGrants.length < 5, `relisted ${again.calls.groupGrants.join(',')}`);
    assert.equal(result.grants, 7);
    assert.deepEqual(result.resourcesByType, { user: 5, group: 5 });
    const { db, close } = openC1zDb(paths.file);
    try {
      const syncs = finishedSyncs(db);
      assert.equal(syncs.length, 2);
      assert.deepEqual(syncContent(db, syncs[0]!.sync_id), syncContent(db, syncs[1]!.sync_id));
    } finally {
      close();
    }
  });

  test('cancellation stops the sync with the abort reason', async () => {
    const paths = fresh();
    const controller = new AbortController();
    const connector = new FakeConnector(tenant);
    const store = await C1zStore.open(paths.file, { tmpDir: paths.tmpDir });
    controller.abort(new BatonError(GrpcCode.CANCELLED, 'stop'));
    await assert.rejects(runSync({ store, connector, signal: controller.signal }), /stop/);
    await store.abandon();
  });

  test('lists the grants of several groups at once, never more than `concurrency`', async () => {
    const groups: Record<string, string[]> = {};
    for (let i = 1; i <= 12; i++) groups[`g${i}`] = [`u${1 + (i % 5)}`];
    const many: FakeTenant = { users: tenant.users, groups };
    for (const concurrency of [1, 3, 5]) {
      // Each listing waits a few ms, so the engine has every chance to start more than it may.
      const { connector, stats } = trackedGrants(
        new FakeConnector(many),
        () => new Promise((r) => setTimeout(r, 5)),
      );
      const result = await syncOnce(connector, fresh(), { concurrency });
      assert.equal(stats.started, 12, 'every group listed once');
      assert.equal(result.grants, 12);
      assert.equal(stats.inFlight, 0);
      assert.equal(stats.maxInFlight, concurrency, `concurrency ${concurrency}`);
    }
  });

  test('checkpoints when the interval passes (default 10 s), saving how far the grants got', async () => {
    // One group's grants listing takes `step` ms of a fake clock; nothing else moves it.
    async function run(step: number, extra: Partial<SyncOptions> = {}) {
      let clock = 0;
      const paths = fresh();
      const store = await C1zStore.open(paths.file, { tmpDir: paths.tmpDir });
      const tokens: { at: number; token: string }[] = [];
      const save = store.checkpoint.bind(store);
      store.checkpoint = (token: string) => {
        tokens.push({ at: clock, token });
        save(token);
      };
      const { connector } = trackedGrants(new FakeConnector(tenant), () => {
        clock += step;
        return Promise.resolve();
      });
      const result = await runSync({ ...extra, store, connector, concurrency: 1, now: () => clock });
      await store.close();
      assert.equal(result.grants, 7);
      return { checkpoints: result.checkpoints, tokens };
    }
    // The clock never moves: only the forced checkpoints, after each finished top-level step.
    const forced = (await run(0)).checkpoints;
    // 10 s per group: the default interval passes after every one of the five groups.
    const every = await run(10_000);
    assert.equal(every.checkpoints, forced + 5);
    // Mid-grants checkpoints record progress: after group k, k groups handed out.
    const progress = every.tokens
      .filter((t) => t.at % 10_000 === 0 && t.at > 0)
      .map((t) => grantsHandedOut(t.token));
    assert.deepEqual(progress.slice(0, 5), [1, 2, 3, 4, 5]);
    // 1 ms less per group: the interval passes only after groups 2 and 4.
    assert.equal((await run(9_999)).checkpoints, forced + 2);
    // An explicit interval: 25 s passes once over 50 s of grants listing.
    assert.equal((await run(10_000, { checkpointIntervalMs: 25_000 })).checkpoints, forced + 1);
  });

  test('checkpoints at most every interval', async () => {
    let clock = 0;
    const paths = fresh();
    const store = await C1zStore.open(paths.file, { tmpDir: paths.tmpDir });
    const result = await runSync({
      store,
      connector: new FakeConnector(tenant),
      checkpointIntervalMs: 1_000_000,
      now: () => clock++,
    });
    await store.close();
    // Only the forced ones: after each finished top-level step.
    assert.ok(result.checkpoints <= 8, `took ${result.checkpoints} checkpoints`);
  });
});
