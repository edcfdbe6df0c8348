// The runner waits `next_poll` between GetTask calls (baton-interop.md §7.3: clamped to 0–5 min). The
// runner's waits are real timers whose bounds come from the injectable `timing`; the fake ConductorOne
// stamps every call with `performance.now()`, so the gaps are measured where the calls arrive. Every wait
// has its own bound (a stop, the fake's close, the calls awaited), so a hang fails at once and names the
// step instead of running into the test runner's timeout.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeC1, type FakeC1Options } from '../../support/fake-c1.js';
import {
  cleanup,
  FAST,
  recordingSync,
  startService,
  within,
  type RunningService,
} from './service-harness.js';
import type { ServiceTiming } from '../../../src/baton/service/service-timing.js';

/** A stop returns within the shutdown grace period (7 s) in production; far sooner with nothing running. */
const STOP_DEADLINE_MS = 5_000;
const CALLS_DEADLINE_MS = 30_000;

const running: RunningService[] = [];
after(async () => {
  for (const s of running) {
    if (!s.controller.signal.aborted) {
      await within(s.stop(), STOP_DEADLINE_MS, 'the stop after the test').catch(() => undefined);
    }
    cleanup(s.tmpDir);
    await within(s.c1.close(), STOP_DEADLINE_MS, 'closing the fake ConductorOne');
  }
});

/** Lets the runner poll until `polls` GetTask calls arrived; the gaps between them in ms. */
async function pollGaps(
  opts: FakeC1Options,
  polls: number,
  timing: Partial<ServiceTiming> = {},
): Promise<number[]> {
  const c1 = await FakeC1.start(opts);
  const s = startService(c1, { runFullSync: recordingSync().run, timing: { ...FAST, ...timing } });
  running.push(s);
  await c1.waitFor(() => c1.callsOf('getTask').length >= polls, `${polls} GetTask calls`, CALLS_DEADLINE_MS);
  // The stop may land with a GetTask in flight (next_poll 0 keeps one in flight almost all the time).
  await within(s.stop(), STOP_DEADLINE_MS, 'stopping the runner');
  const at = c1.callsOf('getTask').map((c) => c.at);
  return at.slice(1).map((t, i) => t - at[i]!);
}

// Timers may fire up to a millisecond before the requested time as another clock sees it.
const SLACK_MS = 5;

describe('GetTask polling', () => {
  test('waits next_poll between GetTask calls', async () => {
    const gaps = await pollGaps({ nextPollMs: 300 }, 4);
    assert.equal(gaps.length, 3);
    for (const gap of gaps) {
      assert.ok(gap >= 300 - SLACK_MS, `a GetTask came ${gap.toFixed(1)} ms after the previous one`);
      assert.ok(gap < 300 + 2_000, `GetTask waited ${gap.toFixed(1)} ms, far more than next_poll`);
    }
  });

  test('a next_poll of 0 polls again without waiting', async () => {
    // Zero throughout: the stop lands in the tight GetTask loop, as in the CI run this file once hung in
    // (stop-race.test.ts stops that loop at random moments 200 times).
    const gaps = await pollGaps({ nextPollMs: 0 }, 5);
    for (const gap of gaps) assert.ok(gap < 1_000, `GetTask waited ${gap.toFixed(1)} ms with next_poll 0`);
  });

  test('next_poll is clamped to the longest poll interval', async () => {
    // ConductorOne asks for 10 minutes; the clamp (5 min in production, 150 ms here) wins.
    const gaps = await pollGaps({ nextPollMs: 10 * 60_000 }, 3, { pollMaxMs: 150 });
    for (const gap of gaps) {
      assert.ok(gap >= 150 - SLACK_MS, `a GetTask came ${gap.toFixed(1)} ms after the previous one`);
      assert.ok(gap < 150 + 2_000, `GetTask waited ${gap.toFixed(1)} ms: next_poll was not clamped`);
    }
  });
});
