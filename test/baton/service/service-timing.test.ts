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

  test('the start-up Hello backs off from 1 s, doubling, up to 5 min', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 8, 9, 10, 100].map((n) => helloBackoff(T, n)),
      [1000, 2000, 4000, 8000, 128_000, 256_000, 300_000, 300_000],
    );
  });

  test('GetTask failures wait errCount² seconds, at most 60 s', () => {
    assert.deepEqual(
      [1, 2, 3, 7, 8, 50].map((n) => getTaskBackoff(T, n)),
      [1000, 4000, 9000, 49_000, 60_000, 60_000],
    );
  });

  test('the defaults are frozen', () => {
    assert.ok(Object.isFrozen(T));
    assert.equal(T.heartbeatMaxFailures, 10);
  });
});
