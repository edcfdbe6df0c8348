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

export const ROLE_RESOURCE_TYPE = newResourceType('Role', [ResourceType_Trait.ROLE]);

/**
 * Every resource type the connector syncs, in its order (the connector's static description). Roles come
 * after users so that the people listing (which carries everyone's roles) has been read when roles are listed.
 */
export const RESOURCE_TYPES = [USER_RESOURCE_TYPE, GROUP_RESOURCE_TYPE, ROLE_RESOURCE_TYPE] as const;

/** The ids `--sync-resource-types` accepts, in the connector's order. */
export const RESOURCE_TYPE_IDS: readonly string[] = RESOURCE_TYPES.map((t) => t.id);

/** The entitlement every group offers. Its slug is part of the public ids `group:<gid>:member`. */
export const MEMBER_ENTITLEMENT = 'member';

/** The second group entitlement: who supervises (may manage) the group, `group:<gid>:supervisor`. */
export const SUPERVISOR_ENTITLEMENT = 'supervisor';

/** The entitlement every role offers, `role:<role id>:assigned`. */
export const ASSIGNED_ENTITLEMENT = 'assigned';
