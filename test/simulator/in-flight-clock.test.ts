import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InFlightClock } from '../../src/simulator/sim-stats.js';

test('InFlightClock: the mean weighs each in-flight count by the time it held, idle gaps included', () => {
  const clock = new InFlightClock();
  // Two requests from 100 to 200, then nothing until one request from 300 to 400.
  clock.change(0, +1, 100);
  clock.change(1, +1, 100);
  clock.change(2, -1, 200);
  clock.change(1, -1, 200);
  clock.change(0, +1, 300);
  clock.change(1, -1, 400);
  assert.equal(clock.spanMs, 300);
  // (2 × 100 + 0 × 100 + 1 × 100) / 300
  assert.equal(clock.mean, 1);
});

test('InFlightClock: before any answer the span and the mean are 0', () => {
  const clock = new InFlightClock();
  assert.equal(clock.mean, 0);
  clock.change(0, +1, 50);
  assert.equal(clock.spanMs, 0);
  assert.equal(clock.mean, 0);
});
