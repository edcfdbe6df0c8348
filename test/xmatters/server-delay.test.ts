import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { serverRequestedDelay } from '../../src/xmatters/server-delay.js';

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

describe('serverRequestedDelay', () => {
  const cases: [string, Record<string, string>, number | undefined][] = [
    ['nothing without headers', {}, undefined],
    ['Retry-After in seconds', { 'retry-after': '7' }, 7000],
    ['Retry-After 0', { 'retry-after': '0' }, 0],
    ['a large Retry-After still as seconds', { 'retry-after': '1500000000' }, 1_500_000_000_000],
    ['Retry-After as an HTTP date', { 'retry-after': new Date(NOW + 12_000).toUTCString() }, 12_000],
    ['a Retry-After date in the past as 0', { 'retry-after': new Date(NOW - 5000).toUTCString() }, 0],
    ['x-ratelimit-reset as seconds from now', { 'x-ratelimit-reset': '3' }, 3000],
    ['x-ratelimit-reset as epoch seconds', { 'x-ratelimit-reset': String(NOW / 1000 + 4) }, 4000],
    ['x-ratelimit-reset as epoch milliseconds', { 'x-ratelimit-reset': String(NOW + 2500) }, 2500],
    [
      'the xMatters headers when the window is used up',
      { 'x-ratelimit-limit': '60000', 'x-ratelimit-used': '60000', 'x-ratelimit-period_in_sec': '60' },
      60_000,
    ],
    [
      'nothing from the xMatters headers while the window has room',
      { 'x-ratelimit-limit': '60000', 'x-ratelimit-used': '1', 'x-ratelimit-period_in_sec': '60' },
      undefined,
    ],
    [
      'x-ratelimit-remaining 0 with a period',
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-period_in_sec': '2' },
      2000,
    ],
    ['nothing for a garbled Retry-After', { 'retry-after': 'soon' }, undefined],
  ];
  for (const [what, headers, expected] of cases) {
    test(`reads ${what}`, () => {
      assert.equal(serverRequestedDelay(headers, NOW), expected);
    });
  }

  test('prefers Retry-After over rate-limit headers', () => {
    assert.equal(serverRequestedDelay({ 'retry-after': '1', 'x-ratelimit-reset': '9' }, NOW), 1000);
  });

  test('reads the first value of a repeated header', () => {
    assert.equal(serverRequestedDelay({ 'retry-after': ['2', '9'] }, NOW), 2000);
  });
});
