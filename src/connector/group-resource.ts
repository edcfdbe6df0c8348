import type { Entitlement } from '../baton/gen/c1/connector/v2/entitlement_pb.js';
import { Status_ResourceStatus, type Resource } from '../baton/gen/c1/connector/v2/resource_pb.js';
import {
  newAssignmentEntitlement,
  newGroupResource,
  newPermissionEntitlement,
} from '../baton/model/index.js';
import type { Group } from '../xmatters/index.js';
import {
  GROUP_RESOURCE_TYPE,
  MEMBER_ENTITLEMENT,
  SUPERVISOR_ENTITLEMENT,
  USER_RESOURCE_TYPE,
} from './resource-types.js';

/** An xMatters group (on-call, broadcast or dynamic) as a Baton group. */
export function groupResource(g: Group): Resource {
  const profile: Record<string, string | boolean> = {};
  const optional: [string, string | boolean | undefined][] = [
    ['group_type', g.groupType],
    ['status', g.status],
    ['external_key', g.externalKey],
    ['externally_owned', g.externallyOwned],
    ['observed_by_all', g.observedByAll],
    ['created', g.created],
  ];
  for (const [key, value] of optional) if (value !== undefined) profile[key] = value;
  return newGroupResource(
    g.targetName,
    GROUP_RESOURCE_TYPE,
    g.id,
    { profile, rawGroupSourceType: g.groupType },
    { description: g.description, status: groupStatus(g.status) },
  );
}

function groupStatus(status: string | undefined): { status: Status_ResourceStatus; details: string } {
  switch (status?.toUpperCase()) {
    case 'ACTIVE':
      return { status: Status_ResourceStatus.ENABLED, details: status ?? '' };
    case 'INACTIVE':
      return { status: Status_ResourceStatus.DISABLED, details: status ?? '' };
    default:
      return { status: Status_ResourceStatus.UNSPECIFIED, details: status ?? '' };
  }
}

/** `group:<gid>:member`, grantable to users. */
export function memberEntitlement(group: Resource): Entitlement {
  const name = group.displayName;
  return newAssignmentEntitlement(group, MEMBER_ENTITLEMENT, {
    displayName: `${name} Group Member`,
    description: `Member of the ${name} group in xMatters`,
    grantableTo: [USER_RESOURCE_TYPE],
  });
}

/** `group:<gid>:supervisor`, grantable to users: supervisors may change the group's members and schedules. */
export function supervisorEntitlement(group: Resource): Entitlement {
  const name = group.displayName;
  return newPermissionEntitlement(group, SUPERVISOR_ENTITLEMENT, {
    displayName: `${name} Group Supervisor`,
    description: `Can manage the ${name} group in xMatters`,
    grantableTo: [USER_RESOURCE_TYPE],
  });
}
