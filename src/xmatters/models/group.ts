import { embeddedCollection } from './embedded.js';
import { optBoolean, put, optRefId, optString, type JsonObject, type Parsed } from './fields.js';
import { checkRecipient } from './recipient.js';

/** A group's embedded supervisors (`embed=supervisors`). */
export interface EmbeddedSupervisors {
  /** Ids of the supervisors the embed carries (people; other or unusable items are left out). */
  ids: string[];
  /**
   * False when the embed may not hold every supervisor: it announces more than it carries, or an item was
   * unusable. The caller then reads GET /groups/{id}/supervisors, which pages and reports bad items.
   */
  complete: boolean;
}

/**
 * The Group fields the connector uses (docs/xmatters-api.md, "Endpoints used"); every optional field may be
 * absent.
 */
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
  /** Only when the listing asked for `embed=supervisors`. */
  supervisors?: EmbeddedSupervisors;
}

function readSupervisors(o: JsonObject): EmbeddedSupervisors | undefined {
  const c = embeddedCollection(o, 'supervisors');
  if (c === undefined) return undefined;
  const ids: string[] = [];
  for (const item of c.items) {
    const r = checkRecipient(item, ['PERSON']);
    if (r.ok) ids.push(r.obj.id as string);
  }
  const usable = c.malformed !== true && ids.length === c.items.length;
  return { ids, complete: usable && c.total <= c.items.length };
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
  put(g, 'supervisors', readSupervisors(o));
  return { ok: true, value: g };
}
