import { BatonError, GrpcCode } from '../errors.js';
import { Limits } from './truncate.js';

const encoder = new TextEncoder();

/** How many characters of an over-long id a message quotes: enough to find it, not a kilobyte of it. */
export const ID_QUOTE_CHARS = 80;

/** Whether `id` fits the 1024-byte limit of `ResourceId.resource`, `Entitlement.id` and `Grant.id`. */
export function idFits(id: string): boolean {
  // Every UTF-16 code unit encodes to at most 3 UTF-8 bytes: the common case costs one length check.
  return id.length * 3 <= Limits.id || encoder.encode(id).length <= Limits.id;
}

/**
 * An id longer than Baton allows. Ids are identities: a cut id can equal another one (two people whose ids
 * share their first 1024 bytes would become one user), so builders refuse them instead of shortening them.
 * A connector checks with idFits (or catches this) and reports the item it leaves out.
 */
export class IdTooLongError extends BatonError {
  constructor(
    readonly what: string,
    readonly id: string,
  ) {
    super(
      GrpcCode.INVALID_ARGUMENT,
      `${what} "${id.slice(0, ID_QUOTE_CHARS)}${id.length > ID_QUOTE_CHARS ? '…' : ''}" is ` +
        `${encoder.encode(id).length} bytes; Baton ids may be at most ${Limits.id} bytes and are never shortened`,
      { errorCode: 'ID_TOO_LONG' },
    );
  }
}

export const isIdTooLong = (e: unknown): e is IdTooLongError => e instanceof IdTooLongError;

/** `id` unchanged when it fits, else an IdTooLongError naming `what` it is. */
export function checkedId(id: string, what: string): string {
  if (!idFits(id)) throw new IdTooLongError(what, id);
  return id;
}
