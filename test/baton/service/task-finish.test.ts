// Every task ends with exactly one FinishTask, whatever happens to it (issue 11): ConductorOne must always
// learn how a task ended, or it waits for a task nobody runs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GrpcCode } from '../../../src/baton/errors.js';
import type { FullSyncRequest } from '../../../src/baton/service/task-context.js';
import {
  blockingSync,
  c1zContent,
  FAST,
  leftovers,
  recordingSync,
  referenceContent,
  serviceFile,
} from './service-harness.js';

const { fakeC1, start } = serviceFile();

const syncTask = (id: string) => ({ id, taskType: { case: 'syncFull' as const, value: {} } });

describe('every task ends with exactly one FinishTask', () => {
  test('a first heartbeat answered UNAVAILABLE once is retried and the task succeeds', async () => {
    const c1 = await fakeC1({ tasks: [syncTask('sync-hb1')] });
    c1.failNext('heartbeat', 1, { taskId: 'sync-hb1' });
    const sync = recordingSync();
    const s = start(c1, { runFullSync: sync.run });
    await c1.waitFor(() => c1.finishes('sync-hb1').length === 1, 'the task to finish');
    await s.stop();
    const [finish] = c1.finishes('sync-hb1');
    assert.equal(finish?.finalState.case, 'success');
    assert.equal(c1.finishes('sync-hb1').length, 1, 'exactly one FinishTask');
    assert.equal(c1.injected.heartbeat, 1);
    assert.deepEqual(c1zContent(c1.uploads[0]!.bytes), await referenceContent());
    assert.deepEqual(leftovers(s.tmpDir), []);
  });

  test('a task cancelled by its first heartbeat is finished CANCELLED without running', async () => {
    const c1 = await fakeC1({ tasks: [syncTask('sync-cancel0')] });
    c1.cancel('sync-cancel0');
    const started: FullSyncRequest[] = [];
    const sync = recordingSync();
    const s = start(c1, {
      runFullSync: (req) => {
        started.push(req);
        return sync.run(req);
      },
    });
    await c1.waitFor(() => c1.finishes('sync-cancel0').length === 1, 'the cancelled task to finish');
    await s.stop();
    const [finish] = c1.finishes('sync-cancel0');
    assert.equal(finish?.finalState.case, 'error');
    assert.equal(finish.status?.code, GrpcCode.CANCELLED);
    assert.match(finish.status?.message ?? '', /cancelled by ConductorOne/);
    assert.equal(c1.finishes('sync-cancel0').length, 1, 'exactly one FinishTask');
    assert.equal(started.length, 0, 'no sync ran');
    assert.equal(c1.uploads.length, 0);
    assert.deepEqual(leftovers(s.tmpDir), []);
  });
});

describe('transient ConductorOne failures', () => {
  test('a first heartbeat that keeps failing fails the task, which is reported with UNAVAILABLE', async () => {
    const c1 = await fakeC1({ tasks: [syncTask('sync-hbdown')] });
    c1.failNext('heartbeat', 1_000, { taskId: 'sync-hbdown' });
    const sync = recordingSync();
    const s = start(c1, {
      runFullSync: sync.run,
      timing: { ...FAST, firstHeartbeatBudgetMs: 2_000, retryBackoffInitialMs: 20, retryBackoffMaxMs: 50 },
    });
    await c1.waitFor(() => c1.finishes('sync-hbdown').length === 1, 'the task to finish');
    await s.stop();
    const [finish] = c1.finishes('sync-hbdown');
    assert.equal(finish?.finalState.case, 'error');
    assert.equal(finish.status?.code, GrpcCode.UNAVAILABLE);
    assert.ok(c1.injected.heartbeat >= 2, 'the first heartbeat was retried');
    assert.equal(sync.requests.length, 0, 'no sync ran');
    assert.deepEqual(leftovers(s.tmpDir), []);
  });

  test('FinishTask answered UNAVAILABLE is retried until ConductorOne takes it, once', async () => {
    const c1 = await fakeC1({ tasks: [syncTask('sync-fin')] });
    c1.failNext('finishTask', 2, { taskId: 'sync-fin' });
    const s = start(c1, { runFullSync: recordingSync().run });
    await c1.waitFor(() => c1.finishes('sync-fin').length === 1, 'the task to finish');
    await s.stop();
    assert.equal(c1.callsOf('finishTask', 'sync-fin').length, 3, 'two refused attempts, then one accepted');
    assert.equal(c1.finishes('sync-fin')[0]?.finalState.case, 'success');
  });

  test('10 later heartbeats failing in a row stop the sync, reported UNAVAILABLE', async () => {
    const c1 = await fakeC1({
      tasks: [syncTask('sync-hblost')],
      nextHeartbeatMs: 10,
      heartbeatsBeforeFailing: 1,
    });
    const started: FullSyncRequest[] = [];
    const s = start(c1, { runFullSync: blockingSync(started), timing: { ...FAST, heartbeatMinMs: 5 } });
    await c1.waitFor(() => c1.finishes('sync-hblost').length === 1, 'the task to finish');
    await s.stop();
    const [finish] = c1.finishes('sync-hblost');
    assert.equal(finish?.status?.code, GrpcCode.UNAVAILABLE);
    assert.match(finish.status?.message ?? '', /10 heartbeats to ConductorOne failed in a row/);
    assert.ok(started[0]?.signal.aborted, 'the sync was stopped');
    assert.deepEqual(leftovers(s.tmpDir), []);
  });

  test('GetTask and a hello task answered UNAVAILABLE are retried', async () => {
    const c1 = await fakeC1({
      tasks: [{ id: 'hello-r', taskType: { case: 'hello', value: {} } }, syncTask('sync-gt')],
    });
    c1.failNext('getTask', 3);
    c1.failNext('hello', 2, { taskId: 'hello-r' });
    const s = start(c1, { runFullSync: recordingSync().run, timing: { ...FAST, retryBackoffInitialMs: 10 } });
    await c1.waitFor(() => c1.finishes('sync-gt').length === 1, 'the sync task to finish');
    await c1.waitFor(
      () => c1.callsOf('hello', 'hello-r').some((c) => c.failedWith === undefined),
      'the hello task to be answered',
    );
    await s.stop();
    assert.equal(c1.injected.getTask, 3);
    assert.equal(c1.callsOf('hello', 'hello-r').length, 3);
    assert.equal(c1.finishes('hello-r').length, 0, 'an answered hello task needs no FinishTask');
    assert.equal(c1.finishes('sync-gt')[0]?.finalState.case, 'success');
  });

  test('a token that expires before expires_in says is replaced at once and the task succeeds', async () => {
    // The server claims an hour but honours a second: calls after that answer UNAUTHENTICATED.
    const c1 = await fakeC1({
      tasks: [syncTask('sync-shorttoken')],
      tokenExpiresIn: 3600,
      tokenLifetimeS: 1,
      nextHeartbeatMs: 100,
    });
    const sync = recordingSync();
    const s = start(c1, {
      runFullSync: async (req) => {
        await new Promise((r) => setTimeout(r, 2_500));
        await sync.run(req);
      },
    });
    await c1.waitFor(() => c1.finishes('sync-shorttoken').length === 1, 'the task to finish');
    await s.stop();
    assert.equal(c1.finishes('sync-shorttoken')[0]?.finalState.case, 'success');
    assert.ok(c1.expiredTokenCalls >= 1, 'the server did refuse an expired token');
    assert.ok(c1.tokenRequests.length >= 2, 'a new token was fetched');
  });

  test('SIGTERM bounds the FinishTask retries of a stopped task by the shutdown grace period', async () => {
    const c1 = await fakeC1({ tasks: [syncTask('sync-downstop')] });
    const started: FullSyncRequest[] = [];
    const s = start(c1, {
      runFullSync: blockingSync(started),
      timing: { ...FAST, shutdownGraceMs: 400, retryBackoffInitialMs: 20, retryBackoffMaxMs: 50 },
    });
    await c1.waitFor(() => started.length === 1, 'the sync to start');
    c1.failNext('finishTask', 100_000);
    const t0 = performance.now();
    await s.stop();
    const ms = performance.now() - t0;
    assert.ok(ms < 3_000, `the stop took ${ms.toFixed(0)} ms`);
    assert.ok(
      c1.callsOf('finishTask', 'sync-downstop').length >= 2,
      'the report was retried until the grace ran out',
    );
    assert.deepEqual(leftovers(s.tmpDir), []);
  });
});
