export {
  XmattersClient,
  type GroupMembersResult,
  type GroupSupervisorsResult,
  type GroupListOptions,
  type PeopleListOptions,
} from './client.js';
export { CLIENT_DEFAULTS, type XmattersClientOptions } from './client-options.js';
export { parseBaseUrl, isLoopbackHost, API_BASE_PATH } from './base-url.js';
export {
  XmattersError,
  XmattersErrorCode,
  isXmattersError,
  hasXmattersCode,
  type XmattersApiError,
  type XmattersErrorDetails,
} from './errors.js';
export type { ListOptions, InvalidItem, ListingShort } from './list-options.js';
export { encodePathSegment } from './path-segment.js';
export type { ClientLogger, ClientStats } from './request-context.js';
export { DEFAULT_RETRY_POLICY, backoffDelay, type RetryPolicy } from './retry-policy.js';
export { serverRequestedDelay } from './server-delay.js';
export { parsePerson, type Person, type ParsePersonOptions } from './models/person.js';
export { parsePersonReference, type PersonReference } from './models/person-reference.js';
export type { EmailDevice } from './models/device.js';
export { parseGroup, type Group, type EmbeddedSupervisors } from './models/group.js';
export { parseGroupMembership, type GroupMembership, type GroupMember } from './models/group-membership.js';
export { parseRole, type Role } from './models/role.js';
export { parseXmattersTimestamp } from './models/timestamp.js';
export { RECIPIENT_TYPES, isRecipientType, type RecipientType } from './models/recipient.js';
export type { Parsed } from './models/fields.js';
