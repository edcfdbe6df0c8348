import type { SyncContext } from '../baton/sync/connector.js';
import type { InvalidItem } from '../xmatters/index.js';
import type { MemberTally } from './member-tally.js';

/** An item xMatters returned without its required fields is skipped, counted and reported, never fatal. */
export function invalidItemWarner(ctx: SyncContext, tally: MemberTally): (item: InvalidItem) => void {
  return (item) => {
    tally.invalidItems += 1;
    ctx.warn({
      kind: 'invalid-item',
      message: `skipped item ${item.index}${item.id ? ` (id ${item.id})` : ''} of ${item.path}: ${item.reason}`,
    });
  };
}
