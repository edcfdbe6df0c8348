export { packAnnotation, findAnnotation, hasAnnotation, upsertAnnotation } from './annotations.js';
export {
  newEntitlementId,
  newEntitlement,
  type EntitlementOptions,
  newAssignmentEntitlement,
  newPermissionEntitlement,
  newOwnershipEntitlement,
} from './entitlement.js';
export { newGrantId, newGrant, type GrantOptions } from './grant.js';
export { idFits, checkedId, ID_QUOTE_CHARS, IdTooLongError, isIdTooLong } from './id-limit.js';
export { newGroupTrait, newGroupResource, type GroupTraitOptions } from './group-resource.js';
export { batonRegistry } from './registry.js';
export { newResource, type ResourceOptions } from './resource.js';
export { newResourceId, type ObjectId } from './resource-id.js';
export { newResourceType, type ResourceTypeOptions, resourceTypeIdFromName } from './resource-type.js';
export { newRoleTrait, newRoleResource, type RoleTraitOptions } from './role-resource.js';
export { structFromObject, type ProfileValue, type ProfileObject } from './struct.js';
export { truncateUtf8, Limits } from './truncate.js';
export { TYPE_URL_PREFIX, typeUrlOf } from './type-url.js';
export { newUserTrait, newUserResource, type UserTraitOptions } from './user-resource.js';
export { compareUtf8, sortedRecord } from './utf8-compare.js';
