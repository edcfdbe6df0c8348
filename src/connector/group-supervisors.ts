import type { Grant } from '../baton/gen/c1/connector/v2/grant_pb.js';
import type { Resource } from '../baton/gen/c1/connector/v2/resource_pb.js';
import type { SyncContext } from '../baton/sync/connector.js';
import { newGrant, newResourceId } from '../baton/model/index.js';
import type { Group, XmattersClient } from '../xmatters/index.js';
import { invalidItemWarner } from './invalid-item-warner.js';
import { withinIdLimits, quoteId } from './id-limit-warner.js';
import { SUPERVISOR_ENTITLEMENT, USER_RESOURCE_TYPE } from './resource-types.js';

/** Sync counter: groups whose supervisors were read from their own endpoint (the embed was cut short). */
export const SUPERVISOR_LISTS_READ = 'supervisor-lists-read';

/**
 * Who supervises each group, for the `supervisor` grants. The groups listing asks for `embed=supervisors`,
 * so a complete embedded list costs no request; a list xMatters cut short (or with an unusable item) is read
 * from `GET /groups/{id}/supervisors` instead. When this process has not listed groups (a resumed sync) the
 * listing is read once more rather than asking every group separately.
 * Supervisors the account cannot list among people are not filtered here: the sync engine drops their
 * grants with a `grant-principal-missing` warning, exactly as for roster entries.
 */
export class GroupSupervisors {
  /** Group id → supervisor ids from a complete embed, or null when the embed was incomplete. */
  private readonly byGroup = new Map<string, string[] | null>();
  private listed = false;
  private relisting: Promise<void> | undefined;

  constructor(private readonly client: XmattersClient) {}

  /** Notes a listed group's embedded supervisors. */
  record(g: Group): void {
    const s = g.supervisors;
    this.byGroup.set(g.id, s !== undefined && s.complete ? s.ids : null);
  }

  /** The groups listing was read to its end in this process. */
  markListed(): void {
    this.listed = true;
  }

  /** The `supervisor` grants of one group; an empty iterable when it has none. */
  async *grants(group: Resource, ctx: SyncContext): AsyncIterable<Grant[]> {
    const ids = await this.supervisorIds(group, ctx);
    // Each group's grants are read once per sync: its entry is no longer needed.
    this.byGroup.delete(group.id!.resource);
    if (ids === undefined || ids.length === 0) return;
    const grants: Grant[] = [];
    for (const pid of ids) {
      const grant = withinIdLimits(
        ctx,
        `the supervision of group ${quoteId(group.id!.resource)} by person`,
        pid,
        () => newGrant(group, SUPERVISOR_ENTITLEMENT, newResourceId(USER_RESOURCE_TYPE, pid)),
      );
      if (grant !== undefined) grants.push(grant);
    }
    if (grants.length > 0) yield grants;
  }

  /** Undefined when the group disappeared (already warned). */
  private async supervisorIds(group: Resource, ctx: SyncContext): Promise<string[] | undefined> {
    const groupId = group.id!.resource;
    if (!this.byGroup.has(groupId) && !this.listed) await this.relist(ctx);
    const known = this.byGroup.get(groupId);
    if (known !== undefined && known !== null) return known;
    ctx.count(SUPERVISOR_LISTS_READ);
    const result = await this.client.listGroupSupervisors(groupId, {
      signal: ctx.signal,
      onInvalidItem: invalidItemWarner(ctx),
    });
    if (!result.found) {
      ctx.warn({
        kind: 'group-not-found',
        message: `group "${group.displayName}" (${groupId}) disappeared before its supervisors were read: ${result.reason}`,
      });
      return undefined;
    }
    return result.supervisors.map((p) => p.id);
  }

  private relist(ctx: SyncContext): Promise<void> {
    this.relisting ??= (async () => {
      const pages = this.client.listGroups({
        signal: ctx.signal,
        supervisors: true,
        onInvalidItem: invalidItemWarner(ctx),
      });
      for await (const page of pages) for (const g of page) this.record(g);
      this.markListed();
    })();
    this.relisting.catch(() => {
      this.relisting = undefined;
    });
    return this.relisting;
  }
}
