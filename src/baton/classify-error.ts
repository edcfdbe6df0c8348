import { ConnectError } from '@connectrpc/connect';
import { isAbortException, isTimeoutException } from '../common/abort.js';
import { errnoOf, findInCauses, causeChain } from '../common/causes.js';
import { isCodedError } from '../common/coded-error.js';
import { ABORT_CODES, DISK_FULL_CODES, NETWORK_CODES } from '../common/errno-codes.js';
import { GrpcCode } from '../common/grpc-code.js';

/** What a failure was, as far as the exit code, the service-mode status and the stderr text care. */
export type FailureCause =
  /** One of our own errors (a CodedError): its status says it all. */
  | 'coded'
  /** A gRPC error from the ConductorOne API: its status. */
  | 'rpc'
  | 'cancelled'
  | 'timeout'
  /** No room on a filesystem (ENOSPC, EDQUOT, SQLITE_FULL) not already reported with where and how much. */
  | 'disk-full'
  /** A connection failure outside the clients that retry and report their own (ECONNRESET, ENOTFOUND...). */
  | 'network'
  /** Anything else: a bug. */
  | 'unknown';

export interface ClassifiedError {
  cause: FailureCause;
  /** The gRPC status: the process exit code (see exitCodeFor) and the FinishTask status code. */
  status: GrpcCode;
  /** The message that goes with the status (a CodedError's or ConnectError's own, else the outermost). */
  message: string;
}

const CAUSE_STATUS: Readonly<Record<Exclude<FailureCause, 'coded' | 'rpc'>, GrpcCode>> = {
  cancelled: GrpcCode.CANCELLED,
  timeout: GrpcCode.DEADLINE_EXCEEDED,
  'disk-full': GrpcCode.RESOURCE_EXHAUSTED,
  network: GrpcCode.UNAVAILABLE,
  unknown: GrpcCode.UNKNOWN,
};

/**
 * The one classification of a failure, used for the exit code, the stderr text and service mode's FinishTask
 * status. The first CodedError in the cause chain wins, because wrappers (the RPC layer, a write stream)
 * know less than the error they wrap; otherwise the outermost error in the chain that is a gRPC error, a
 * cancellation, a timeout, a full disk or a network failure decides; otherwise it is unknown (a bug).
 * Recognition is by class, DOMException legacy code or Node error code, never by `name`.
 */
export function classifyError(err: unknown): ClassifiedError {
  const coded = findInCauses(err, isCodedError);
  if (coded !== undefined) return { cause: 'coded', status: coded.grpcStatus, message: coded.message };
  for (const e of causeChain(err)) {
    if (e instanceof ConnectError) return { cause: 'rpc', status: e.code, message: e.rawMessage };
    const cause = causeOf(e);
    if (cause !== undefined) return { cause, status: CAUSE_STATUS[cause], message: outerMessage(err, cause) };
  }
  return { cause: 'unknown', status: GrpcCode.UNKNOWN, message: outerMessage(err, 'unknown') };
}

/** The gRPC status a Node, undici or SQLite error code (`ENOSPC`) stands for: UNKNOWN for one it does not know. */
export function statusOfErrno(code: string | undefined): GrpcCode {
  const cause = causeOfErrno(code);
  return cause === undefined ? GrpcCode.UNKNOWN : CAUSE_STATUS[cause];
}

function causeOf(e: unknown): Exclude<FailureCause, 'coded' | 'rpc' | 'unknown'> | undefined {
  if (isAbortException(e)) return 'cancelled';
  if (isTimeoutException(e)) return 'timeout';
  return causeOfErrno(errnoOf(e));
}

function causeOfErrno(
  code: string | undefined,
): Exclude<FailureCause, 'coded' | 'rpc' | 'unknown'> | undefined {
  if (code === undefined) return undefined;
  if (ABORT_CODES.has(code)) return 'cancelled';
  if (DISK_FULL_CODES.has(code)) return 'disk-full';
  if (NETWORK_CODES.has(code)) return 'network';
  return undefined;
}

function outerMessage(err: unknown, cause: FailureCause): string {
  if (err instanceof Error) return err.message || (cause === 'cancelled' ? 'cancelled' : err.name);
  return String(err);
}
