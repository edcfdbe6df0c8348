import { isObject, put, optRefId, optString, type Parsed } from './fields.js';
import { RECIPIENT_TYPES, checkRecipient, type RecipientType } from './recipient.js';

/** The member side of a roster entry: a person, a nested group, a device or a legacy dynamic team. */
export interface GroupMember {
  id: string;
  targetName: string;
  recipientType: RecipientType;
  status?: string;
  /** For DEVICE members: the id of the person owning the device. */
  ownerId?: string;
}

/** One item of `GET /groups/{id}/members` (docs/xmatters-api.md, "Endpoints used"). */
export interface GroupMembership {
  group: { id: string; targetName?: string };
  member: GroupMember;
}

/**
 * Parses a roster item. `groupId` is the group the roster was requested for; it stands in when the item
 * carries no usable `group` reference.
 */
export function parseGroupMembership(raw: unknown, groupId: string): Parsed<GroupMembership> {
  if (!isObject(raw)) return { ok: false, reason: 'item is not an object' };
  const check = checkRecipient(raw.member, RECIPIENT_TYPES);
  if (!check.ok) return { ...check, reason: `member: ${check.reason}` };
  const m = check.obj;
  const g = isObject(raw.group) ? raw.group : {};
  const gid = typeof g.id === 'string' && g.id !== '' ? g.id : groupId;
  const group: GroupMembership['group'] = { id: gid };
  put(group, 'targetName', optString(g, 'targetName'));
  const member: GroupMember = {
    id: m.id as string,
    targetName: m.targetName as string,
    recipientType: m.recipientType as RecipientType,
  };
  put(member, 'status', optString(m, 'status'));
  if (m.recipientType === 'DEVICE') put(member, 'ownerId', optRefId(m, 'owner'));
  return { ok: true, value: { group, member } };
}
