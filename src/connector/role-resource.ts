import type { Entitlement } from '../baton/gen/c1/connector/v2/entitlement_pb.js';
import type { Resource } from '../baton/gen/c1/connector/v2/resource_pb.js';
import { newAssignmentEntitlement, newRoleResource } from '../baton/model/index.js';
import type { Role } from '../xmatters/index.js';
import { ASSIGNED_ENTITLEMENT, ROLE_RESOURCE_TYPE, USER_RESOURCE_TYPE } from './resource-types.js';

/** An xMatters role (Company Supervisor, REST Web Service User, ...) as a Baton role; id = the role id. */
export function roleResource(r: Role): Resource {
  const profile: Record<string, string> = { role_id: r.id, role_name: r.name };
  return newRoleResource(
    r.name,
    ROLE_RESOURCE_TYPE,
    r.id,
    { profile },
    r.description === undefined ? {} : { description: r.description },
  );
}

/** `role:<role id>:assigned`, grantable to users. */
export function assignedEntitlement(role: Resource): Entitlement {
  const name = role.displayName;
  return newAssignmentEntitlement(role, ASSIGNED_ENTITLEMENT, {
    displayName: `${name} Role`,
    description: `Has the ${name} role in xMatters`,
    grantableTo: [USER_RESOURCE_TYPE],
  });
}
