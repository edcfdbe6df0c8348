import { ID_QUOTE_CHARS, isIdTooLong } from '../baton/model/index.js';
import type { SyncContext } from '../baton/sync/connector.js';

/** An id as a message quotes it: JSON-quoted, its first 80 characters only. */
export const quoteId = (id: string): string =>
  JSON.stringify(id.length > ID_QUOTE_CHARS ? `${id.slice(0, ID_QUOTE_CHARS)}…` : id);

/**
 * Runs `build`; when an id it makes is longer than Baton allows, reports the item as an `invalid-item`
 * warning naming it (`what` and the first 80 characters of its id), counts it, and returns undefined.
 * Ids are never cut: a cut id could equal another item's.
 */
export function withinIdLimits<R>(ctx: SyncContext, what: string, id: string, build: () => R): R | undefined {
  try {
    return build();
  } catch (err) {
    if (!isIdTooLong(err)) throw err;
    ctx.warn({ kind: 'invalid-item', message: `left out ${what} ${quoteId(id)}: ${err.message}` });
    return undefined;
  }
}
