// Over a long run nothing may pile up on the runner's signal (the SIGTERM signal lives as long as the
// process): every task, retry, poll and call adds its 'abort' listeners and must remove them again, or
// each would keep its task's objects alive for good.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { FakeC1 } from '../../support/fake-c1.js';
import {
  cleanup,
  FAST,
  recordingSync,
  startService,
  within,
  type RunningService,
} from './service-harness.js';

const TASKS = 9;
/**
 * At an idle moment the runner holds the stop-deadline link and at most one of: a next_poll wait, a slot
 * wait, a GetTask (connect's link) or a token wait. Independent of how many tasks ran.
 */
const MOST_LISTENERS = 3;

let s: RunningService | undefined;
let c1: FakeC1 | undefined;
after(async () => {
  if (s !== undefined) {
    if (!s.controller.signal.aborted) await within(s.stop(), 5_000, 'the stop').catch(() => undefined);
    cleanup(s.tmpDir);
  }
  if (c1 !== undefined) await within(c1.close(), 5_000, 'closing the fake ConductorOne');
});

describe('a long run', () => {
  test(`leaves no abort listener behind on the runner's signal after ${TASKS} tasks with retries and cancellations`, async () => {
    c1 = await FakeC1.start({
      nextPollMs: 30,
      nextHeartbeatMs: 50,
      failureRates: { getTask: 0.1, heartbeat: 0.1, finishTask: 0.1, uploadAsset: 0.1 },
      seed: 7,
    });
    const fake = c1;
    const ids = Array.from({ length: TASKS }, (_, i) => `listeners-${i}`);
    for (const [i, id] of ids.entries()) {
      fake.enqueue({ id, taskType: { case: 'syncFull', value: {} } });
      if (i % 4 === 3) fake.cancel(id, i % 8 === 3 ? 0 : 1);
    }
    s = startService(fake, { runFullSync: recordingSync().run, timing: FAST });
    const signal = s.controller.signal;
    await fake
      .waitFor(() => ids.every((id) => fake.finishes(id).length > 0), `${TASKS} finished tasks`, 120_000)
      .catch((err: unknown) => {
        const done = ids.filter((id) => fake.finishes(id).length > 0).length;
        throw new Error(
          `${done} of ${TASKS} tasks finished; last log lines:\n${s!.lines.slice(-5).join('')}`,
          {
            cause: err,
          },
        );
      });
    // Sample over a few idle polls: the count moves with the poll loop but must not grow with the tasks.
    const counts: number[] = [];
    for (let i = 0; i < 20; i++) {
      counts.push(getEventListeners(signal, 'abort').length);
      await new Promise((r) => setTimeout(r, 7));
    }
    assert.ok(
      Math.max(...counts) <= MOST_LISTENERS,
      `abort listeners on the runner's signal after ${TASKS} tasks: ${counts.join(', ')}`,
    );
  });
});
