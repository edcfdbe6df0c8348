// Every task ends with exactly one FinishTask, whatever happens to it (issue 11): ConductorOne must always
// learn how a task ended, or it waits for a task nobody runs.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GrpcCode } from '../../../src/baton/errors.js';
import type { FullSyncRequest } from '../../../src/baton/service/task-context.js';
import { FakeC1, type FakeC1Options } from '../../support/fake-c1.js';
import {
  c1zContent,
  cleanup,
  leftovers,
  recordingSync,
  referenceContent,
  startService,
  type RunningService,
} from './service-harness.js';

const running: RunningService[] = [];
const fakes: FakeC1[] = [];
after(async () => {
  for (const s of running) {
    if (!s.controller.signal.aborted) await s.stop().catch(() => undefined);
    cleanup(s.tmpDir);
  }
  for (const c1 of fakes) await c1.close();
});

async function fakeC1(opts: FakeC1Options): Promise<FakeC1> {
  const c1 = await FakeC1.start(opts);
  fakes.push(c1);
  return c1;
}

function start(...args: Parameters<typeof startService>): RunningService {
  const s = startService(...args);
  running.push(s);
  return s;
}

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
