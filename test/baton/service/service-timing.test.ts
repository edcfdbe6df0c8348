import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  clampHeartbeat,
  clampPoll,
  getTaskBackoff,
  helloBackoff,
  SERVICE_TIMING as T,
} from '../../../src/baton/service/service-timing.js';

describe('service timing (baton-sdk manager.go and runner.go)', () => {
  test('next_poll is clamped to 0–5 min', () => {
    assert.deepEqual(
      [-5, 0, 1500, 300_000, 900_000].map((ms) => clampPoll(T, ms)),
      [0, 0, 1500, 300_000, 300_000],
    );
  });

  test('next_heartbeat of 0 means 30 s; others are clamped to 1 s–5 min', () => {
    assert.deepEqual(
      [0, 1, 999, 1000, 45_000, 300_001].map((ms) => clampHeartbeat(T, ms)),
      [30_000, 1000, 1000, 1000, 45_000, 300_000],
    );
  });

  // A random source of 1 gives the top of the jitter range, 0 its bottom (half of it).
  const top = () => 1;
  const bottom = () => 0;

  test('the start-up Hello backs off from 1 s, doubling, up to 5 min, jittered down to half', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 8, 9, 10, 100].map((n) => helloBackoff(T, n, top)),
      [1000, 2000, 4000, 8000, 128_000, 256_000, 300_000, 300_000],
    );
    assert.deepEqual(
      [1, 2, 10].map((n) => helloBackoff(T, n, bottom)),
      [500, 1000, 150_000],
    );
  });

  test('GetTask failures wait errCount² seconds, at most 60 s, jittered down to half', () => {
    assert.deepEqual(
      [1, 2, 3, 7, 8, 50].map((n) => getTaskBackoff(T, n, top)),
      [1000, 4000, 9000, 49_000, 60_000, 60_000],
    );
    assert.deepEqual(
      [1, 2, 50].map((n) => getTaskBackoff(T, n, bottom)),
      [500, 2000, 30_000],
    );
    for (let i = 0; i < 50; i++) {
      const ms = getTaskBackoff(T, 3);
      assert.ok(ms >= 4500 && ms <= 9000, `${ms} is outside 4.5–9 s`);
    }
  });

  test('the defaults are frozen', () => {
    assert.ok(Object.isFrozen(T));
    assert.equal(T.heartbeatMaxFailures, 10);
  });
});
