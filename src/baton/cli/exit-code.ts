import { inspect } from 'node:util';
import { causeChain } from '../../common/causes.js';
import { classifyError } from '../classify-error.js';
import { GrpcCode } from '../errors.js';
import { createScrubber } from './scrub.js';

/**
 * The process exit code for a failure, following baton-sdk v0.25 `pkg/exit`: the gRPC status classifyError
 * gives it (an error of ours its own, a cancellation 1, a timeout 4, a full disk 8, a network failure 14),
 * and 2 (Unknown) for anything else, which this CLI treats as an internal error. A failure never exits 0.
 */
export function exitCodeFor(err: unknown): number {
  const { status } = classifyError(err);
  return status === GrpcCode.OK ? GrpcCode.UNKNOWN : status;
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
  const { cause } = classifyError(err);
  let text: string;
  if (cause === 'cancelled') {
    text = `error: cancelled before completion (${messageOf(err)})`;
  } else if (cause === 'timeout') {
    text = `error: timed out: ${withCauses(err)}`;
  } else if (cause !== 'unknown') {
    text = `error: ${withCauses(err)}`;
  } else {
    const where = options.reportUrl === undefined ? '' : ` at ${options.reportUrl}`;
    text =
      `internal error: ${withCauses(err)}\n` +
      `This is a bug, not a problem with your configuration. Please report it${where} with the output of the ` +
      `same command run with --log-level debug.`;
  }
  return scrub(text);
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message === '' ? err.name : err.message;
  if (typeof err === 'string') return err;
  return inspect(err, { depth: 2, breakLength: Infinity });
}

/** Appends each cause whose message the outer message does not already contain. */
function withCauses(err: unknown): string {
  let text = messageOf(err);
  for (const cause of causeChain(err)) {
    if (cause === err) continue;
    const message = messageOf(cause);
    if (!text.includes(message)) text += ` (caused by: ${message})`;
  }
  return text;
}
