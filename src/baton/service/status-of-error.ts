import { classifyError } from '../classify-error.js';
import type { GrpcCode } from '../errors.js';

export interface ErrorStatus {
  code: GrpcCode;
  message: string;
}

/**
 * The google.rpc.Status code and message a failed task is finished with, from the same classification as the
 * CLI's exit code (classifyError): an error of ours keeps its code, a gRPC error its status, an abort becomes
 * CANCELLED and a timeout DEADLINE_EXCEEDED; anything else is UNKNOWN with its message, as baton-sdk does
 * with a plain Go error. The first CodedError in the cause chain wins, because the RPC layer wraps what the
 * token source throws.
 */
export function statusOfError(err: unknown): ErrorStatus {
  const { status, message } = classifyError(err);
  return { code: status, message };
}
