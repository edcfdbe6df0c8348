import { defined, optBoolean, optRefId, optString, type Parsed } from './fields.js';
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
  return {
    ok: true,
    value: defined<Group>({
      id: o.id as string,
      targetName: o.targetName as string,
      recipientType: 'GROUP',
      status: optString(o, 'status'),
      groupType: optString(o, 'groupType'),
      description: optString(o, 'description'),
      externalKey: optString(o, 'externalKey'),
      externallyOwned: optBoolean(o, 'externallyOwned'),
      observedByAll: optBoolean(o, 'observedByAll'),
      created: optString(o, 'created'),
      siteId: optRefId(o, 'site'),
    }),
  };
}
