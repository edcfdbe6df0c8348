import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_RETRY_POLICY, backoffDelay } from '../../src/xmatters/retry-policy.js';

describe('DEFAULT_RETRY_POLICY', () => {
  test('retries throttling and transient server statuses only', () => {
    assert.deepEqual([...DEFAULT_RETRY_POLICY.retryStatuses], [429, 500, 502, 503, 504]);
    assert.ok(Object.isFrozen(DEFAULT_RETRY_POLICY));
  });
});

describe('backoffDelay', () => {
  test('doubles the ceiling per attempt from 500 ms (full jitter: random × ceiling)', () => {
    const top = (): number => 0.999999;
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, top)),
      [499, 999, 1999, 3999, 7999, 15999],
    );
  });

  test('is capped at 30 s', () => {
    assert.equal(
      backoffDelay(20, () => 0.999999),
      29_999,
    );
    assert.equal(
      backoffDelay(1000, () => 0.5),
      15_000,
    );
  });

  test('can be zero (full jitter) and ignores out-of-range random values', () => {
    assert.equal(
      backoffDelay(3, () => 0),
      0,
    );
    assert.equal(
      backoffDelay(1, () => 7),
      500,
    );
    assert.equal(
      backoffDelay(1, () => -1),
      0,
    );
  });
});
