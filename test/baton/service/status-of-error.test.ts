import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, ConnectError } from '@connectrpc/connect';
import { BatonError, GrpcCode } from '../../../src/baton/errors.js';
import { statusOfError } from '../../../src/baton/service/status-of-error.js';

describe('statusOfError', () => {
  const rows: [string, unknown, { code: number; message: string }][] = [
    [
      'a BatonError keeps its code',
      new BatonError(GrpcCode.NOT_FOUND, 'group g1 is gone'),
      { code: 5, message: 'group g1 is gone' },
    ],
    [
      'a BatonError wrapped by the RPC layer wins over the wrapper',
      new ConnectError(
        'wrapped',
        Code.Unknown,
        undefined,
        undefined,
        new BatonError(GrpcCode.UNAUTHENTICATED, 'bad token'),
      ),
      { code: 16, message: 'bad token' },
    ],
    [
      'a gRPC error keeps its status',
      new ConnectError('slow down', Code.ResourceExhausted),
      { code: 8, message: 'slow down' },
    ],
    [
      'an abort is CANCELLED',
      new DOMException('The operation was aborted', 'AbortError'),
      { code: 1, message: 'The operation was aborted' },
    ],
    [
      'a timeout is DEADLINE_EXCEEDED',
      new DOMException('timed out', 'TimeoutError'),
      { code: 4, message: 'timed out' },
    ],
    [
      'a plain error is UNKNOWN with its message, as in Go',
      new Error('unsupported task type'),
      { code: 2, message: 'unsupported task type' },
    ],
    ['a non-error is UNKNOWN', 'boom', { code: 2, message: 'boom' }],
  ];
  for (const [name, err, want] of rows) {
    test(name, () => assert.deepEqual(statusOfError(err), want));
  }
});
