import type { SyncContext } from '../baton/sync/connector.js';
import type { InvalidItem } from '../xmatters/index.js';

/** An item xMatters returned without its required fields is skipped, counted and reported, never fatal. */
export function invalidItemWarner(ctx: SyncContext): (item: InvalidItem) => void {
  return (item) => {
    ctx.warn({
      kind: 'invalid-item',
      message: `skipped item ${item.index}${item.id ? ` (id ${item.id})` : ''} of ${item.path}: ${item.reason}`,
    });
  };
}
