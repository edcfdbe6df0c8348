import type { SyncContext } from '../baton/sync/connector.js';
import type { Person, Role, XmattersClient } from '../xmatters/index.js';
import { invalidItemWarner } from './invalid-item-warner.js';

/**
 * Who holds which role, learnt from the people listing (`embed=roles`): xMatters has no per-role member
 * endpoint, so role grants cost no request of their own. The user syncer records every person it lists;
 * when this process has not listed people (a resumed sync, or `--sync-resource-types` without `user`),
 * `ensure` reads the people listing once more, so role grants never depend on where a sync was resumed.
 * While the user syncer's listing runs (the engine lists every type at once), `ensure` waits for it instead.
 */
export class RoleHoldings {
  private readonly holders = new Map<string, Set<string>>();
  /** Every role seen on a person, first sighting kept: what `/roles` may be missing or refuse to list. */
  private readonly seen = new Map<string, Role>();
  private complete = false;
  private loading: Promise<void> | undefined;
  /** Settles when the user syncer's listing in progress ends (completed or not). */
  private listing: Promise<void> | undefined;

  constructor(private readonly client: XmattersClient) {}

  /** Notes one person's roles; an embed cut short or an unusable role item is a warning, never silent. */
  record(p: Person, ctx: SyncContext): void {
    for (const r of p.roles) {
      let set = this.holders.get(r.id);
      if (set === undefined) this.holders.set(r.id, (set = new Set()));
      set.add(p.id);
      if (!this.seen.has(r.id)) this.seen.set(r.id, { id: r.id, name: r.name });
    }
    if (p.rolesTotal !== undefined) {
      ctx.warn({
        kind: 'roles-truncated',
        message:
          `person ${p.targetName} (${p.id}): xMatters embedded ${p.roles.length} of ${p.rolesTotal} roles ` +
          'and has no endpoint to read the rest; only those are granted',
      });
    }
    for (const reason of p.invalidRoles ?? []) {
      ctx.warn({
        kind: 'invalid-item',
        message: `skipped an embedded role of person ${p.targetName} (${p.id}): ${reason}`,
      });
    }
  }

  /** The people listing was read to its end in this process. */
  markComplete(): void {
    this.complete = true;
  }

  /**
   * The user syncer starts listing people: `complete()` when it read them all, `end()` in any case (after
   * complete, or when it failed or was stopped; an `ensure` waiting then reads `/people` itself).
   */
  beginListing(): { complete: () => void; end: () => void } {
    let end!: () => void;
    this.listing = new Promise<void>((resolve) => (end = resolve));
    return {
      complete: () => this.markComplete(),
      end: () => {
        this.listing = undefined;
        end();
      },
    };
  }

  /** Makes sure every person's roles are known, reading `/people` again only if this process has not. */
  async ensure(ctx: SyncContext): Promise<void> {
    if (this.listing !== undefined) await untilAborted(this.listing, ctx.signal);
    if (this.complete) return;
    this.loading ??= this.load(ctx).then(
      () => this.markComplete(),
      (err: unknown) => {
        this.loading = undefined;
        throw err;
      },
    );
    return this.loading;
  }

  holdersOf(roleId: string): ReadonlySet<string> {
    return this.holders.get(roleId) ?? new Set();
  }

  /** Roles seen on people, in first-seen order. */
  rolesSeen(): Role[] {
    return [...this.seen.values()];
  }

  private async load(ctx: SyncContext): Promise<void> {
    const pages = this.client.listPeople({
      signal: ctx.signal,
      onInvalidItem: invalidItemWarner(ctx),
    });
    for await (const page of pages) for (const p of page) this.record(p, ctx);
  }
}

/** `work`, or the signal's abort reason, whichever comes first. */
function untilAborted(work: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    void work.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
