import { Code, ConnectError } from '@connectrpc/connect';
import type { Logger } from 'pino';
import { GrpcCode, isBatonError } from '../errors.js';
import { stoppedBecause } from '../../common/abort.js';
import { errnoInCauses, findInCauses } from '../../common/causes.js';
import { waitFor } from './wait-for.js';

/** The BatonService calls, as the retry counters and logs name them. */
export type RpcName = 'hello' | 'getTask' | 'heartbeat' | 'finishTask' | 'uploadAsset';

/**
 * What a failed call means for a retry:
 * - `transient`: UNAVAILABLE, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED, a reset or dropped connection, or a
 *   token endpoint that could not be reached: the same call may pass a moment later;
 * - `token`: the server refused the access token (UNAUTHENTICATED), typically because it expired; the
 *   client has dropped it, so one immediate retry goes out with a fresh token;
 * - `permanent`: anything else (a rejected credential, INVALID_ARGUMENT...), which no retry fixes.
 */
export type FailureKind = 'transient' | 'token' | 'permanent';

const TRANSIENT_CODES: ReadonlySet<Code> = new Set([
  Code.Unavailable,
  Code.ResourceExhausted,
  Code.DeadlineExceeded,
  // connect-node's code for a connection reset (ECONNRESET) or a stream destroyed under the call.
  Code.Aborted,
]);

/**
 * Node and undici codes of a connection that broke rather than a server that answered: what a retry of a
 * ConductorOne call may fix (wider than common/errno-codes.ts NETWORK_CODES by the HTTP/2 session codes, and
 * without ENOTFOUND, which a misconfigured endpoint gives and no retry fixes).
 */
const RESET_ERRNOS: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_INVALID_SESSION',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_STREAM_CANCEL',
  'ERR_HTTP2_STREAM_ERROR',
  'ERR_HTTP2_PING_CANCEL',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

export function classifyFailure(err: unknown): FailureKind {
  // The token source throws BatonErrors: UNAVAILABLE when the endpoint could not answer, UNAUTHENTICATED
  // when it rejected the credentials (a wrong or rotated secret: no retry helps).
  const baton = findInCauses(err, isBatonError);
  if (baton !== undefined) return baton.code === GrpcCode.UNAVAILABLE ? 'transient' : 'permanent';
  const connect = ConnectError.from(err);
  if (TRANSIENT_CODES.has(connect.code)) return 'transient';
  if (connect.code === Code.Unauthenticated) return 'token';
  if (hasResetCause(err)) return 'transient';
  // An HTTP/2 stream the server reset with INTERNAL_ERROR, or a stream cancelled by the server or a
  // closing connection (our own aborts are never retried: the caller checks its signal first).
  if (connect.code === Code.Internal && connect.rawMessage.startsWith('http/2 stream closed'))
    return 'transient';
  if (connect.code === Code.Canceled) return 'transient';
  return 'permanent';
}

const hasResetCause = (err: unknown): boolean => errnoInCauses(err, RESET_ERRNOS) !== undefined;

export interface BackoffPolicy {
  /** The first wait... */
  initialMs: number;
  /** ...doubling up to this. */
  maxMs: number;
}

/**
 * Wait before retry `attempt` (from 1): exponential, with "equal jitter" (half fixed, half random), so
 * connectors that failed together do not come back together.
 */
export function jitteredBackoff(policy: BackoffPolicy, attempt: number, random = Math.random): number {
  const base = Math.min(policy.initialMs * 2 ** Math.min(attempt - 1, 30), policy.maxMs);
  return Math.round(base / 2 + (random() * base) / 2);
}

/** The least time (ms) worth giving a retry, or a quarter of the budget when that is smaller. */
const MIN_ATTEMPT_MS = 1_000;

export interface RetryOptions extends BackoffPolicy {
  rpc: RpcName;
  /** The caller's signal: once aborted, no retry is made and its abort error is thrown. */
  signal: AbortSignal;
  /** Give up once this much time (ms) has passed since the first attempt; the last error is thrown. */
  budgetMs: number;
  logger: Logger;
  /** Called before each retry (counters). */
  onRetry?: ((rpc: RpcName) => void) | undefined;
  /** Context for the log line (task ID...). */
  fields?: Record<string, unknown>;
}

/**
 * Runs `call` and retries it while it fails transiently and the budget lasts; an UNAUTHENTICATED answer
 * is retried at once, once in a row, because the client dropped the token it had sent. `call` receives the
 * time left (ms) so it can bound each attempt.
 */
export async function withRetry<T>(
  opts: RetryOptions,
  call: (remainingMs: number) => Promise<T>,
): Promise<T> {
  const started = performance.now();
  let tokenRetried = false;
  for (let attempt = 1; ; attempt++) {
    const remaining = opts.budgetMs - (performance.now() - started);
    try {
      return await call(Math.max(Math.floor(remaining), 1));
    } catch (err) {
      if (opts.signal.aborted) throw err;
      const kind = classifyFailure(err);
      let waitMs: number;
      if (kind === 'token' && !tokenRetried) {
        tokenRetried = true;
        waitMs = 0;
      } else if (kind === 'transient') {
        tokenRetried = false;
        waitMs = jitteredBackoff(opts, attempt);
      } else {
        throw err;
      }
      // No retry that would leave the attempt too little time to answer: its own timeout would then hide
      // the server's error behind DEADLINE_EXCEEDED.
      const left = opts.budgetMs - (performance.now() - started);
      if (left - waitMs < Math.min(MIN_ATTEMPT_MS, opts.budgetMs / 4)) throw err;
      opts.onRetry?.(opts.rpc);
      opts.logger.warn(
        { ...opts.fields, rpc: opts.rpc, attempt, waitMs, err },
        'ConductorOne call failed, retrying',
      );
      await waitFor(waitMs, opts.signal);
      if (opts.signal.aborted) throw stoppedBecause(opts.signal, err);
    }
  }
}
