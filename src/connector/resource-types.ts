import { ResourceType_Trait } from '../baton/gen/c1/connector/v2/resource_pb.js';
import { SkipEntitlementsAndGrantsSchema } from '../baton/gen/c1/connector/v2/annotation_resource_tree_pb.js';
import { newResourceType, packAnnotation } from '../baton/model/index.js';

/**
 * People never hold entitlements of their own here, so the user type carries SkipEntitlementsAndGrants:
 * the sync then makes no per-user entitlement or grant calls (the convention of the Go peers).
 */
export const USER_RESOURCE_TYPE = newResourceType('User', [ResourceType_Trait.USER], {
  annotations: [packAnnotation(SkipEntitlementsAndGrantsSchema, {})],
});

export const GROUP_RESOURCE_TYPE = newResourceType('Group', [ResourceType_Trait.GROUP]);

/** The ids `--sync-resource-types` accepts, in the connector's order. */
export const RESOURCE_TYPE_IDS: readonly string[] = [USER_RESOURCE_TYPE.id, GROUP_RESOURCE_TYPE.id];

/** The entitlement every group offers. Its slug is part of the public ids `group:<gid>:member`. */
export const MEMBER_ENTITLEMENT = 'member';
