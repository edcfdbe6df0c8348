import { GrantExpandableSchema } from '../baton/gen/c1/connector/v2/annotation_grant_pb.js';
import type { Grant } from '../baton/gen/c1/connector/v2/grant_pb.js';
import type { Resource } from '../baton/gen/c1/connector/v2/resource_pb.js';
import type { SyncContext } from '../baton/sync/connector.js';
import { newEntitlementId, newGrant, newResourceId, packAnnotation } from '../baton/model/index.js';
import { quoteId, withinIdLimits } from './id-limit-warner.js';
import { countNestedGroupGrant, countSkippedMember } from './member-tally.js';
import { GROUP_RESOURCE_TYPE, MEMBER_ENTITLEMENT, USER_RESOURCE_TYPE } from './resource-types.js';

/**
 * With `--expand-nested-groups`: a group on another group's roster becomes the grant
 * `group:<outer>:member:group:<inner>` carrying GrantExpandable{entitlement_ids: [group:<inner>:member],
 * resource_type_ids: [user]}, so that Baton's grant expansion gives the inner group's people (directly or
 * through its own nested groups) the outer group's membership. Groups themselves are not passed on: only
 * people are paged. An inner group this sync did not list (hidden from the account, deleted meanwhile, or
 * left out for an over-long id) has no members to pass on: it is skipped with a warning and counted as a
 * skipped nested group. Both counts go to the engine's counters, so a resumed sync reports all its runs.
 */
export function nestedGroupGrant(outer: Resource, innerGroupId: string, ctx: SyncContext): Grant | undefined {
  if (!ctx.hasResource(GROUP_RESOURCE_TYPE.id, innerGroupId)) {
    countSkippedMember(ctx, 'GROUP');
    ctx.warn({
      kind: 'nested-group-not-synced',
      message:
        `group "${outer.displayName}" (${outer.id?.resource ?? ''}) has group ${quoteId(innerGroupId)} on its ` +
        'roster, which this sync did not list (not visible to the account, or deleted); its members are not expanded',
    });
    return undefined;
  }
  const grant = withinIdLimits(
    ctx,
    `the membership in group ${quoteId(outer.id?.resource ?? '')} of group`,
    innerGroupId,
    () => {
      const inner = newResourceId(GROUP_RESOURCE_TYPE, innerGroupId);
      const expandable = packAnnotation(GrantExpandableSchema, {
        entitlementIds: [newEntitlementId(inner, MEMBER_ENTITLEMENT)],
        resourceTypeIds: [USER_RESOURCE_TYPE.id],
      });
      return newGrant(outer, MEMBER_ENTITLEMENT, inner, { annotations: [expandable] });
    },
  );
  if (grant !== undefined) countNestedGroupGrant(ctx);
  return grant;
}
