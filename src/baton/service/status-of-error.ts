import { ConnectError } from '@connectrpc/connect';
import { GrpcCode, isBatonError } from '../errors.js';

export interface ErrorStatus {
  code: GrpcCode;
  message: string;
}

/**
 * The google.rpc.Status code and message a failed task is finished with: a BatonError keeps its code, a gRPC
 * error its status, an abort becomes CANCELLED and a timeout DEADLINE_EXCEEDED; anything else is UNKNOWN
 * with its message, as baton-sdk does with a plain Go error. The first BatonError in the cause chain wins,
 * because the RPC layer wraps what the token source throws.
 */
export function statusOfError(err: unknown): ErrorStatus {
  const baton = findInCauses(err, isBatonError);
  if (baton !== undefined) return { code: baton.code, message: baton.message };
  if (err instanceof ConnectError) return { code: err.code, message: err.rawMessage };
  if (err instanceof Error) {
    if (err.name === 'AbortError' || (err as { code?: unknown }).code === 'ABORT_ERR') {
      return { code: GrpcCode.CANCELLED, message: err.message || 'cancelled' };
    }
    if (err.name === 'TimeoutError') return { code: GrpcCode.DEADLINE_EXCEEDED, message: err.message };
    return { code: GrpcCode.UNKNOWN, message: err.message || err.name };
  }
  return { code: GrpcCode.UNKNOWN, message: String(err) };
}

/** The first error in `err` and its causes that matches. */
export function findInCauses<T>(err: unknown, match: (e: unknown) => e is T): T | undefined {
  const seen = new Set<unknown>();
  let cur: unknown = err;
  while (cur !== undefined && cur !== null && !seen.has(cur)) {
    if (match(cur)) return cur;
    seen.add(cur);
    cur = cur instanceof Error ? cur.cause : undefined;
  }
  return undefined;
}
