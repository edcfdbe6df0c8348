import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  abortReason,
  abortableSleep,
  isAbortException,
  isTimeoutException,
  linkedAbort,
  stoppedBecause,
} from '../../src/common/abort.js';
import { causeChain, errnoInCauses, findInCauses } from '../../src/common/causes.js';

describe('abort helpers', () => {
  test('abortReason keeps an Error reason and replaces anything else by a DOMException AbortError', () => {
    const own = new Error('stopping');
    assert.equal(abortReason(AbortSignal.abort(own)), own);
    assert.ok(isAbortException(abortReason(AbortSignal.abort('a string'))));
    assert.ok(isAbortException(abortReason(undefined)));
  });

  test('stoppedBecause prefers the signal’s reason once it has aborted', () => {
    const err = new Error('stream closed');
    const reason = new Error('task cancelled');
    assert.equal(stoppedBecause(new AbortController().signal, err), err);
    assert.equal(stoppedBecause(AbortSignal.abort(reason), err), reason);
  });

  test('abortableSleep rejects with the caller’s reason, not a generic AbortError', async () => {
    const ac = new AbortController();
    const reason = new Error('shutdown');
    const sleeping = abortableSleep(60_000, ac.signal);
    ac.abort(reason);
    await assert.rejects(sleeping, (e) => e === reason);
  });

  test('linkedAbort follows any source with its reason, and times out with a TimeoutError', async () => {
    const a = new AbortController();
    const link = linkedAbort([new AbortController().signal, a.signal]);
    const reason = new Error('first');
    a.abort(reason);
    assert.equal(link.signal.reason, reason);

    const timed = linkedAbort([new AbortController().signal], 5);
    await new Promise((resolve) => timed.signal.addEventListener('abort', resolve, { once: true }));
    assert.ok(isTimeoutException(timed.signal.reason));
  });

  test('dispose unlinks: a later abort of the source leaves the linked signal alone', () => {
    const a = new AbortController();
    const link = linkedAbort([a.signal]);
    link.dispose();
    a.abort();
    assert.equal(link.signal.aborted, false);
  });
});

describe('cause chains', () => {
  test('walk outermost first, stop at a cycle, and find Node error codes deep inside', () => {
    const inner = Object.assign(new Error('disk'), { code: 'ENOSPC' });
    const outer = new Error('write failed', { cause: new Error('flush failed', { cause: inner }) });
    assert.deepEqual(
      [...causeChain(outer)].map((e) => (e as Error).message),
      ['write failed', 'flush failed', 'disk'],
    );
    assert.equal(errnoInCauses(outer, new Set(['ENOSPC'])), 'ENOSPC');
    assert.equal(
      findInCauses(outer, (e): e is Error => e === inner),
      inner,
    );

    const a = new Error('a');
    Object.defineProperty(a, 'cause', { value: new Error('b', { cause: a }) });
    assert.equal([...causeChain(a)].length, 2);
  });
});
