import { inspect } from 'node:util';
import { GrpcCode, isBatonError } from '../errors.js';
import { createScrubber } from './scrub.js';

/**
 * The process exit code for a failure, following baton-sdk v0.25 `pkg/exit`: a BatonError exits with its
 * gRPC code number, a cancellation with 1 (Canceled), a timeout with 4 (DeadlineExceeded), and anything
 * else with 2 (Unknown), which this CLI treats as an internal error.
 */
export function exitCodeFor(err: unknown): number {
  if (isBatonError(err)) return err.code === GrpcCode.OK ? GrpcCode.UNKNOWN : err.code;
  if (isCancellation(err)) return GrpcCode.CANCELLED;
  if (isTimeout(err)) return GrpcCode.DEADLINE_EXCEEDED;
  return GrpcCode.UNKNOWN;
}

export interface FormatErrorOptions {
  /** Where to report internal errors, e.g. the project's issue tracker. */
  readonly reportUrl?: string;
}

/**
 * One paragraph for stderr: the failure, what caused it, and, for an unexpected error, that it is a bug
 * and how to report it. Every secret value is scrubbed, wherever it hides (message or cause chain).
 */
export function formatError(
  err: unknown,
  secrets: readonly string[],
  options: FormatErrorOptions = {},
): string {
  const scrub = createScrubber(secrets);
  let text: string;
  if (isBatonError(err)) {
    text = `error: ${withCauses(err)}`;
  } else if (isCancellation(err)) {
    text = `error: cancelled before completion (${messageOf(err)})`;
  } else if (isTimeout(err)) {
    text = `error: timed out: ${withCauses(err)}`;
  } else {
    const where = options.reportUrl === undefined ? '' : ` at ${options.reportUrl}`;
    text =
      `internal error: ${withCauses(err)}\n` +
      `This is a bug, not a problem with your configuration. Please report it${where} with the output of the ` +
      `same command run with --log-level debug.`;
  }
  return scrub(text);
}

function isCancellation(err: unknown): boolean {
  return (
    err instanceof Error && (err.name === 'AbortError' || (err as { code?: unknown }).code === 'ABORT_ERR')
  );
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && err.name === 'TimeoutError';
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message === '' ? err.name : err.message;
  if (typeof err === 'string') return err;
  return inspect(err, { depth: 2, breakLength: Infinity });
}

/** Appends each cause whose message the outer message does not already contain. */
function withCauses(err: unknown): string {
  let text = messageOf(err);
  const seen = new Set<unknown>([err]);
  let cause = err instanceof Error ? err.cause : undefined;
  while (cause !== undefined && cause !== null && !seen.has(cause)) {
    seen.add(cause);
    const message = messageOf(cause);
    if (!text.includes(message)) text += ` (caused by: ${message})`;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return text;
}
