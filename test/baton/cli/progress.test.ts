import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress } from '../../../src/baton/cli/progress.js';
import type { ProgressTimers } from '../../../src/baton/cli/progress.js';

const CLEAR = '\r\u001b[2K';

function fakeTerminal(isTTY: boolean, columns = 120) {
  const writes: string[] = [];
  let clock = 0;
  let tick: (() => void) | undefined;
  let cleared = false;
  const timers: ProgressTimers = {
    setInterval: (fn) => {
      tick = fn;
      return 'handle';
    },
    clearInterval: (handle) => {
      assert.equal(handle, 'handle');
      cleared = true;
    },
  };
  return {
    writes,
    stream: { isTTY, columns, write: (s: string) => writes.push(s) },
    now: () => clock,
    advance(ms: number) {
      clock += ms;
      tick?.();
    },
    timers,
    cleared: () => cleared,
  };
}

describe('createProgress', () => {
  test('does nothing on a non-TTY stream except pass log lines through', () => {
    const t = fakeTerminal(false);
    const p = createProgress({ stream: t.stream, logFormat: 'console', now: t.now, timers: t.timers });
    p.update({ phase: 'syncing', done: 1, total: 2 });
    t.advance(5000);
    p.write('a log line\n');
    p.stop();
    assert.equal(p.enabled, false);
    assert.deepEqual(t.writes, ['a log line\n']);
  });

  test('does nothing on a TTY when logs are JSON', () => {
    const t = fakeTerminal(true);
    const p = createProgress({ stream: t.stream, logFormat: 'json', now: t.now, timers: t.timers });
    p.update({ phase: 'syncing' });
    p.stop();
    assert.equal(p.enabled, false);
    assert.deepEqual(t.writes, []);
  });

  test('draws phase, done/total, requests, retries and elapsed time on one line', () => {
    const t = fakeTerminal(true);
    const p = createProgress({ stream: t.stream, logFormat: 'console', now: t.now, timers: t.timers });
    t.advance(65_000);
    p.update({ phase: 'syncing grants', done: 12, total: 40, unit: 'groups', requests: 356, retries: 2 });
    assert.deepEqual(t.writes, [`${CLEAR}syncing grants · 12/40 groups · 356 requests · 2 retries · 1:05`]);
  });

  test('a new phase drops the previous phase counts but keeps the request counters', () => {
    const t = fakeTerminal(true);
    const p = createProgress({ stream: t.stream, logFormat: 'console', now: t.now, timers: t.timers });
    p.update({ phase: 'syncing resource types', done: 2, total: 2, requests: 3, retries: 0 });
    t.advance(200);
    p.update({ phase: 'syncing resources', done: 2000, unit: 'users' });
    assert.equal(t.writes.at(-1), `${CLEAR}syncing resources · 2000 users · 3 requests · 0 retries · 0:00`);
  });

  test('redraws at most every 100 ms and flushes the latest state on the next tick', () => {
    const t = fakeTerminal(true);
    const p = createProgress({ stream: t.stream, logFormat: 'console', now: t.now, timers: t.timers });
    p.update({ phase: 'resources', done: 1 });
    p.update({ done: 2 });
    p.update({ done: 3 });
    assert.equal(t.writes.length, 1, 'updates within 100 ms are coalesced');
    t.advance(100);
    assert.equal(t.writes.length, 2);
    assert.match(t.writes[1]!, /resources · 3 · 0:00$/);
    t.advance(100);
    assert.equal(t.writes.length, 2, 'nothing new to draw');
    t.advance(1000);
    assert.match(t.writes.at(-1)!, /0:01$/, 'the elapsed clock keeps moving');
  });

  test('writes log lines above the status line and redraws it', () => {
    const t = fakeTerminal(true);
    const p = createProgress({ stream: t.stream, logFormat: 'console', now: t.now, timers: t.timers });
    p.update({ phase: 'users' });
    p.write('INFO synced users\n');
    assert.equal(t.writes.at(-1), `${CLEAR}INFO synced users\nusers · 0:00`);
  });

  test('clears the line and its timer on stop, and ignores later updates', () => {
    const t = fakeTerminal(true);
    const p = createProgress({ stream: t.stream, logFormat: 'console', now: t.now, timers: t.timers });
    p.update({ phase: 'users' });
    p.stop();
    p.stop();
    p.update({ phase: 'again' });
    assert.deepEqual(t.writes, [`${CLEAR}users · 0:00`, CLEAR]);
    assert.ok(t.cleared());
  });

  test('truncates to the terminal width so the line never wraps', () => {
    const t = fakeTerminal(true, 20);
    const p = createProgress({ stream: t.stream, logFormat: 'console', now: t.now, timers: t.timers });
    p.update({ phase: 'a very long phase name that does not fit' });
    const drawn = t.writes[0]!.slice(CLEAR.length);
    assert.equal(drawn.length, 19);
    assert.ok(drawn.endsWith('…'));
  });
});
