import type { Entitlement } from '../baton/gen/c1/connector/v2/entitlement_pb.js';
import type { Grant } from '../baton/gen/c1/connector/v2/grant_pb.js';
import type { Resource } from '../baton/gen/c1/connector/v2/resource_pb.js';
import type { ResourceSyncer, SyncContext } from '../baton/sync/connector.js';
import { newGrant, newResourceId } from '../baton/model/index.js';
import type { Group, XmattersClient } from '../xmatters/index.js';
import { groupResource, memberEntitlement, supervisorEntitlement } from './group-resource.js';
import { GroupSupervisors } from './group-supervisors.js';
import { quoteId, withinIdLimits } from './id-limit-warner.js';
import { invalidItemWarner } from './invalid-item-warner.js';
import { listingShortWarner } from './listing-short-warner.js';
import { countSkippedMember } from './member-tally.js';
import { nestedGroupGrant } from './nested-group-grant.js';
import { GROUP_RESOURCE_TYPE, MEMBER_ENTITLEMENT, USER_RESOURCE_TYPE } from './resource-types.js';
import { resourcePages } from './resource-pages.js';

/**
 * Groups, their `member` and `supervisor` entitlements, one grant per person on the roster and one per
 * supervisor (group-supervisors.ts). Devices and dynamic teams on a roster are counted, not granted: they are not
 * identities. Nested groups are counted too unless `expandNestedGroups` is set, which makes them expandable
 * grants (see nested-group-grant.ts).
 */
export class GroupSyncer implements ResourceSyncer {
  readonly resourceType = GROUP_RESOURCE_TYPE;
  /**
   * Rosters are read as soon as a group is stored; with nested groups they wait for the groups listing to
   * end, since a group on a roster becomes a grant only when this sync lists it (nested-group-grant.ts).
   */
  readonly grantsNeedListed: readonly string[];
  private readonly supervisors: GroupSupervisors;

  constructor(
    private readonly client: XmattersClient,
    readonly expandsNestedGroups = false,
  ) {
    this.supervisors = new GroupSupervisors(client);
    this.grantsNeedListed = expandsNestedGroups ? [GROUP_RESOURCE_TYPE.id] : [];
  }

  async *list(ctx: SyncContext): AsyncIterable<Resource[]> {
    // A group is kept only when its entitlement ids fit too: without them it could hold no grant.
    const toResource = (g: Group): Resource => {
      const resource = groupResource(g);
      memberEntitlement(resource);
      supervisorEntitlement(resource);
      this.supervisors.record(g);
      return resource;
    };
    yield* resourcePages(
      (opts) => this.client.listGroups({ ...opts, supervisors: true }),
      toResource,
      'group',
      ctx,
    );
    this.supervisors.markListed();
  }

  // eslint-disable-next-line @typescript-eslint/require-await
  async *entitlements(resource: Resource): AsyncIterable<Entitlement[]> {
    yield [memberEntitlement(resource), supervisorEntitlement(resource)];
  }

  async *grants(resource: Resource, ctx: SyncContext): AsyncIterable<Grant[]> {
    const groupId = resource.id!.resource;
    const result = await this.client.listGroupMembers(groupId, {
      signal: ctx.signal,
      onInvalidItem: invalidItemWarner(ctx),
      onListingShort: listingShortWarner(ctx),
    });
    if (!result.found) {
      // Deleted between listing and member fetch: a warning, like baton-sdk's NotFound on grants.
      ctx.warn({
        kind: 'group-not-found',
        message: `group "${resource.displayName}" (${groupId}) disappeared before its members were read: ${result.reason}`,
      });
      return;
    }
    const grants: Grant[] = [];
    for (const { member } of result.members) {
      if (member.recipientType === 'GROUP' && this.expandsNestedGroups) {
        const grant = nestedGroupGrant(resource, member.id, ctx);
        if (grant !== undefined) grants.push(grant);
        continue;
      }
      if (member.recipientType !== 'PERSON') {
        countSkippedMember(ctx, member.recipientType);
        continue;
      }
      const grant = withinIdLimits(
        ctx,
        `the membership in group ${quoteId(groupId)} of person`,
        member.id,
        () => newGrant(resource, MEMBER_ENTITLEMENT, newResourceId(USER_RESOURCE_TYPE, member.id)),
      );
      if (grant !== undefined) grants.push(grant);
    }
    if (grants.length > 0) yield grants;
    yield* this.supervisors.grants(resource, ctx);
  }
}
