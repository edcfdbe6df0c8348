// Stopping the runner (SIGTERM) at random moments must always return promptly: idle, with GetTask in
// flight (answered slowly, or in a tight next_poll-0 loop where the stop can land anywhere between one
// GetTask's answer and the next one's token, stream and request), with a heartbeat in flight, with an
// upload in flight. Each stop has its own deadline, so a hang
// fails this test at once instead of waiting for the test runner's timeout.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { RunFullSync } from '../../../src/baton/service/task-context.js';
import { FakeC1, type RpcName } from '../../support/fake-c1.js';
import { blockingSync, cleanup, FAST, leftovers, startService, within } from './service-harness.js';

const CYCLES = 200;
/** Cycles run in this many lanes at once, each with its own fake ConductorOne: a cycle mostly waits. */
const LANES = 4;
const STOP_DEADLINE_MS = 5_000;
const TRIGGER_DEADLINE_MS = 30_000;

type Mode = 'idle' | 'getTask' | 'pollLoop' | 'heartbeat' | 'upload';
const MODES: Mode[] = ['idle', 'getTask', 'pollLoop', 'heartbeat', 'upload'];

const fakes: FakeC1[] = [];
before(async () => {
  for (let i = 0; i < LANES; i++) fakes.push(await FakeC1.start({ nextHeartbeatMs: 10 }));
});
after(async () => {
  for (const c1 of fakes) await within(c1.close(), STOP_DEADLINE_MS, 'closing the fake ConductorOne');
});

/** The race is about the upload, not the sync: a few KiB stand in for the c1z. */
const smallFile: RunFullSync = (req) => writeFile(req.file, randomBytes(4096));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('stopping the runner at random moments', () => {
  test(`${CYCLES} start/stop cycles never hang, and every started task is reported once`, async () => {
    const counts: Record<Mode, number> = { idle: 0, getTask: 0, pollLoop: 0, heartbeat: 0, upload: 0 };
    await Promise.all(fakes.map((c1, lane) => runLane(c1, lane, counts)));
    for (const mode of MODES) assert.ok(counts[mode] > 0, `no ${mode} cycle ran`);
  });
});

async function runLane(c1: FakeC1, lane: number, counts: Record<Mode, number>): Promise<void> {
  /** Arrivals of `rpc` so far, answered or still in flight. */
  const arrivals = (rpc: RpcName) => c1.arrivals(rpc);
  for (let i = lane; i < CYCLES; i += LANES) {
    {
      const mode = MODES[Math.floor(Math.random() * MODES.length)]!;
      counts[mode] += 1;
      const taskId = `race-${i}`;
      c1.clearQueue();
      // The RPC the stop should catch in flight answers slowly; the others at once.
      c1.setDelay('getTask', mode === 'getTask' ? 200 : 0);
      c1.setDelay('heartbeat', mode === 'heartbeat' ? 5 + Math.floor(Math.random() * 30) : 0);
      c1.setDelay('uploadAsset', mode === 'upload' ? 200 : 0);
      // The loop that once hung poll-interval.test.ts in CI: GetTask answered at once with next_poll 0.
      c1.setNextPoll(mode === 'pollLoop' ? 0 : undefined);
      if (mode === 'heartbeat' || mode === 'upload') {
        c1.enqueue({ id: taskId, taskType: { case: 'syncFull', value: {} } });
      }
      const trigger: RpcName | undefined =
        mode === 'getTask' || mode === 'pollLoop'
          ? 'getTask'
          : mode === 'heartbeat'
            ? 'heartbeat'
            : mode === 'upload'
              ? 'uploadAsset'
              : undefined;
      const before = trigger === undefined ? 0 : arrivals(trigger);
      // A later heartbeat as often as the first one; a few turns of the tight GetTask loop.
      const wanted =
        before +
        (mode === 'heartbeat'
          ? 1 + Math.floor(Math.random() * 2)
          : mode === 'pollLoop'
            ? 2 + Math.floor(Math.random() * 4)
            : 1);
      const s = startService(c1, {
        runFullSync: mode === 'upload' ? smallFile : blockingSync(),
        timing: { ...FAST, heartbeatMinMs: 1 },
      });
      try {
        if (trigger === undefined) await sleep(Math.random() * 40);
        else {
          await c1.waitFor(
            () => arrivals(trigger) >= wanted,
            `cycle ${i}: ${trigger} in flight`,
            TRIGGER_DEADLINE_MS,
          );
          await sleep(Math.random() * 3);
        }
        await within(s.stop(), STOP_DEADLINE_MS, `cycle ${i} (${mode}): the stop`);
        assert.deepEqual(leftovers(s.tmpDir), [], `cycle ${i} (${mode}): temporary files left`);
        const finishes = c1.finishes(taskId);
        assert.ok(finishes.length <= 1, `cycle ${i}: ${finishes.length} FinishTask calls`);
        if (c1.callsOf('heartbeat', taskId).length > 0) {
          assert.equal(finishes.length, 1, `cycle ${i} (${mode}): a started task was not reported`);
        }
      } finally {
        // Nothing of this cycle may run on into the next one (or into closing the fake).
        if (!s.controller.signal.aborted) {
          s.controller.abort();
          await within(s.done, STOP_DEADLINE_MS, `cycle ${i}: the stop after a failure`).catch(() => {});
        }
        cleanup(s.tmpDir);
      }
    }
  }
}
