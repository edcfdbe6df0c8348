// The one classification of failures: each cause gives the same gRPC status to the exit code and to service
// mode's FinishTask, and the stderr text matches the cause.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, ConnectError } from '@connectrpc/connect';
import { classifyError, type FailureCause } from '../../src/baton/classify-error.js';
import { exitCodeFor, formatError } from '../../src/baton/cli/exit-code.js';
import { BatonError, GrpcCode } from '../../src/baton/errors.js';
import { IdTooLongError } from '../../src/baton/model/id-limit.js';
import { statusOfError } from '../../src/baton/service/status-of-error.js';
import { CodedError } from '../../src/common/coded-error.js';
import { XmattersError, XmattersErrorCode } from '../../src/xmatters/errors.js';

const withCode = (message: string, code: string): Error => Object.assign(new Error(message), { code });

interface Case {
  name: string;
  err: unknown;
  cause: FailureCause;
  status: GrpcCode;
  /** The process exit code (the status, except that a failure never exits 0). */
  exit: number;
  /** What formatError's text starts with. */
  text: RegExp;
}

const aborted = new AbortController();
aborted.abort();

const cases: Case[] = [
  {
    name: 'a BatonError: its own code',
    err: new BatonError(GrpcCode.FAILED_PRECONDITION, 'locked'),
    cause: 'coded',
    status: GrpcCode.FAILED_PRECONDITION,
    exit: 9,
    text: /^error: locked$/,
  },
  {
    name: 'a kind of BatonError: its code',
    err: new IdTooLongError('user id', 'x'.repeat(2000)),
    cause: 'coded',
    status: GrpcCode.INVALID_ARGUMENT,
    exit: 3,
    text: /^error: user id "x+…" is 2000 bytes/,
  },
  {
    name: "the client's error: the status of its XM code",
    err: new XmattersError(XmattersErrorCode.AUTH, '401 from xMatters'),
    cause: 'coded',
    status: GrpcCode.UNAUTHENTICATED,
    exit: 16,
    text: /^error: 401 from xMatters$/,
  },
  {
    name: 'a coded error wrapped in a plain one: the coded one wins',
    err: new Error('stream failed', { cause: new BatonError(GrpcCode.DATA_LOSS, 'corrupt') }),
    cause: 'coded',
    status: GrpcCode.DATA_LOSS,
    exit: 15,
    text: /^error: stream failed \(caused by: corrupt\)$/,
  },
  {
    name: 'a coded error claiming OK still fails',
    err: new BatonError(GrpcCode.OK, 'x'),
    cause: 'coded',
    status: GrpcCode.OK,
    exit: 2,
    text: /^error: x$/,
  },
  {
    name: 'a gRPC error from ConductorOne: its status',
    err: new ConnectError('slow down', Code.ResourceExhausted),
    cause: 'rpc',
    status: GrpcCode.RESOURCE_EXHAUSTED,
    exit: 8,
    text: /^error: .*slow down/,
  },
  {
    name: 'an AbortSignal reason (DOMException AbortError): cancelled',
    err: aborted.signal.reason,
    cause: 'cancelled',
    status: GrpcCode.CANCELLED,
    exit: 1,
    text: /^error: cancelled before completion/,
  },
  {
    name: "Node's AbortError (code ABORT_ERR): cancelled",
    err: withCode('The operation was aborted', 'ABORT_ERR'),
    cause: 'cancelled',
    status: GrpcCode.CANCELLED,
    exit: 1,
    text: /^error: cancelled before completion/,
  },
  {
    name: "undici's aborted request (UND_ERR_ABORTED): cancelled",
    err: withCode('Request aborted', 'UND_ERR_ABORTED'),
    cause: 'cancelled',
    status: GrpcCode.CANCELLED,
    exit: 1,
    text: /^error: cancelled before completion/,
  },
  {
    name: 'AbortSignal.timeout (DOMException TimeoutError): deadline exceeded',
    err: new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
    cause: 'timeout',
    status: GrpcCode.DEADLINE_EXCEEDED,
    exit: 4,
    text: /^error: timed out: /,
  },
  {
    name: 'a full disk not reported by the store: resource exhausted',
    err: withCode('ENOSPC: no space left on device, write', 'ENOSPC'),
    cause: 'disk-full',
    status: GrpcCode.RESOURCE_EXHAUSTED,
    exit: 8,
    text: /^error: ENOSPC/,
  },
  {
    name: 'SQLite out of room deep in a chain: resource exhausted',
    err: new Error('commit failed', { cause: withCode('database or disk is full', 'SQLITE_FULL') }),
    cause: 'disk-full',
    status: GrpcCode.RESOURCE_EXHAUSTED,
    exit: 8,
    text: /^error: commit failed \(caused by: database or disk is full\)$/,
  },
  {
    name: 'a network failure outside the retrying clients: unavailable',
    err: withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'),
    cause: 'network',
    status: GrpcCode.UNAVAILABLE,
    exit: 14,
    text: /^error: connect ECONNREFUSED/,
  },
  {
    name: 'an error named like an abort is not one: recognition is never by name',
    err: Object.assign(new Error('fake'), { name: 'AbortError' }),
    cause: 'unknown',
    status: GrpcCode.UNKNOWN,
    exit: 2,
    text: /^internal error: fake\nThis is a bug/,
  },
  {
    name: 'a TypeError: unknown, a bug',
    err: new TypeError('x is undefined'),
    cause: 'unknown',
    status: GrpcCode.UNKNOWN,
    exit: 2,
    text: /^internal error: x is undefined\nThis is a bug/,
  },
  {
    name: 'a thrown string: unknown',
    err: 'boom',
    cause: 'unknown',
    status: GrpcCode.UNKNOWN,
    exit: 2,
    text: /^internal error: boom/,
  },
];

describe('classifyError', () => {
  for (const c of cases) {
    test(`${c.name} → ${c.cause}, status ${c.status}, exit ${c.exit}`, () => {
      const classified = classifyError(c.err);
      assert.equal(classified.cause, c.cause);
      assert.equal(classified.status, c.status);
      assert.equal(exitCodeFor(c.err), c.exit);
      assert.equal(statusOfError(c.err).code, c.status);
      assert.match(formatError(c.err, []), c.text);
    });
  }

  test('a cycle in the cause chain ends the walk', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.defineProperty(a, 'cause', { value: b });
    assert.equal(classifyError(a).status, GrpcCode.UNKNOWN);
  });

  test('the status message is the coded error’s own, not its wrapper’s', () => {
    const err = new ConnectError(
      'wrapped',
      Code.Unknown,
      undefined,
      undefined,
      new BatonError(16, 'bad token'),
    );
    assert.deepEqual(classifyError(err), { cause: 'coded', status: 16, message: 'bad token' });
  });

  test('a CodedError of any layer is recognised by class, whatever its name says', () => {
    class SomeKind extends CodedError {}
    const err = new SomeKind('SOME_KIND', GrpcCode.ABORTED, 'conflict');
    assert.equal(err.name, 'SomeKind');
    assert.equal(exitCodeFor(err), GrpcCode.ABORTED);
  });
});
