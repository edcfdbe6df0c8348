import type { SyncContext } from '../baton/sync/connector.js';
import type { ListingShort } from '../xmatters/index.js';

/**
 * A listing that ended with fewer distinct items than xMatters announced, or whose total moved while it was
 * read: the client cannot name what is missing, so the sync says how much, and goes on.
 */
export function listingShortWarner(ctx: SyncContext): (info: ListingShort) => void {
  return (s) => {
    const moved = s.lastTotal !== s.promised ? `; the total moved to ${s.lastTotal} while it was read` : '';
    ctx.warn({
      kind: 'listing-short',
      message:
        `xMatters listed ${s.listed} distinct items at GET ${s.path}, but its first page announced a total of ` +
        `${s.promised}${moved}. Items the account may not see, or that changed during the sync, may be missing; ` +
        "run the sync again, and check the account's permissions if this repeats.",
    });
  };
}
