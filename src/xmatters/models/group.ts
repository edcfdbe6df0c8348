import { optBoolean, put, optRefId, optString, type Parsed } from './fields.js';
import { checkRecipient } from './recipient.js';

/** The Group fields the connector uses (xmatters-api.md §5.2); every optional field may be absent. */
export interface Group {
  id: string;
  targetName: string;
  recipientType: 'GROUP';
  status?: string;
  /** ON_CALL, BROADCAST or DYNAMIC. */
  groupType?: string;
  description?: string;
  externalKey?: string;
  externallyOwned?: boolean;
  observedByAll?: boolean;
  /** Raw timestamp (`…Z` or `…+0000`); see parseXmattersTimestamp. */
  created?: string;
  siteId?: string;
}

export function parseGroup(raw: unknown): Parsed<Group> {
  const check = checkRecipient(raw, ['GROUP']);
  if (!check.ok) return check;
  const o = check.obj;
  const g: Group = { id: o.id as string, targetName: o.targetName as string, recipientType: 'GROUP' };
  put(g, 'status', optString(o, 'status'));
  put(g, 'groupType', optString(o, 'groupType'));
  put(g, 'description', optString(o, 'description'));
  put(g, 'externalKey', optString(o, 'externalKey'));
  put(g, 'externallyOwned', optBoolean(o, 'externallyOwned'));
  put(g, 'observedByAll', optBoolean(o, 'observedByAll'));
  put(g, 'created', optString(o, 'created'));
  put(g, 'siteId', optRefId(o, 'site'));
  return { ok: true, value: g };
}
