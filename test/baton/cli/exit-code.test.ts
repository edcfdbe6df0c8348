import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodeFor, formatError } from '../../../src/baton/cli/exit-code.js';
import { BatonError, GrpcCode } from '../../../src/baton/errors.js';

describe('exitCodeFor', () => {
  const aborted = new AbortController();
  aborted.abort();
  const table: [string, unknown, number][] = [
    ['invalid argument', new BatonError(GrpcCode.INVALID_ARGUMENT, 'x'), 3],
    ['permission denied', new BatonError(GrpcCode.PERMISSION_DENIED, 'x'), 7],
    ['unimplemented', new BatonError(GrpcCode.UNIMPLEMENTED, 'x'), 12],
    ['unavailable', new BatonError(GrpcCode.UNAVAILABLE, 'x'), 14],
    ['unauthenticated', new BatonError(GrpcCode.UNAUTHENTICATED, 'x'), 16],
    ['a BatonError claiming OK still fails', new BatonError(GrpcCode.OK, 'x'), 2],
    ['an AbortSignal reason', aborted.signal.reason, 1],
    ['a Node abort error', Object.assign(new Error('aborted'), { code: 'ABORT_ERR' }), 1],
    ['a timeout', new DOMException('the operation timed out', 'TimeoutError'), 4],
    ['a plain Error', new Error('boom'), 2],
    ['a TypeError', new TypeError('x is undefined'), 2],
    ['a thrown string', 'boom', 2],
    ['undefined', undefined, 2],
  ];
  for (const [name, err, code] of table) {
    test(`${name} exits with ${code}`, () => assert.equal(exitCodeFor(err), code));
  }
});

describe('formatError', () => {
  test('prints a BatonError with its cause', () => {
    const err = new BatonError(GrpcCode.UNAVAILABLE, 'cannot reach https://x.example', {
      cause: new Error('connect ECONNREFUSED 127.0.0.1:1'),
    });
    assert.equal(
      formatError(err, []),
      'error: cannot reach https://x.example (caused by: connect ECONNREFUSED 127.0.0.1:1)',
    );
  });

  test('does not repeat a cause already in the message', () => {
    const err = new BatonError(GrpcCode.UNAVAILABLE, 'failed: boom', { cause: new Error('boom') });
    assert.equal(formatError(err, []), 'error: failed: boom');
  });

  test('labels unexpected errors as internal and says how to report them', () => {
    const text = formatError(new TypeError("Cannot read properties of undefined (reading 'id')"), [], {
      reportUrl: 'https://example.com/issues',
    });
    assert.match(text, /^internal error: Cannot read properties of undefined/);
    assert.match(text, /This is a bug.*report it at https:\/\/example\.com\/issues.*--log-level debug/s);
  });

  test('says a cancellation was a cancellation', () => {
    const ac = new AbortController();
    ac.abort();
    assert.match(formatError(ac.signal.reason, []), /^error: cancelled/);
  });

  test('scrubs secrets from the message and every cause', () => {
    const secret = 'p@ss"word/1';
    const err = new BatonError(GrpcCode.UNAUTHENTICATED, `login failed for ${secret}`, {
      cause: new Error(`body {"password":${JSON.stringify(secret)}} url ?pw=${encodeURIComponent(secret)}`),
    });
    const text = formatError(err, [secret]);
    assert.ok(!text.includes(secret));
    assert.ok(!text.includes(encodeURIComponent(secret)));
    assert.ok(!text.includes(JSON.stringify(secret).slice(1, -1)));
    assert.match(text, /login failed for \[REDACTED\]/);
    const internal = formatError(new Error(`oops ${secret}`), [secret]);
    assert.equal(internal.includes(secret), false);
  });
});
