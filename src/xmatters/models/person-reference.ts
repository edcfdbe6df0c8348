import { put, optString, type Parsed } from './fields.js';
import { checkRecipient } from './recipient.js';

/** A person as sub-resources list them (`GET /groups/{id}/supervisors`): a Person or PersonReference. */
export interface PersonReference {
  id: string;
  targetName: string;
  firstName?: string;
  lastName?: string;
}

export function parsePersonReference(raw: unknown): Parsed<PersonReference> {
  const check = checkRecipient(raw, ['PERSON']);
  if (!check.ok) return check;
  const o = check.obj;
  const p: PersonReference = { id: o.id as string, targetName: o.targetName as string };
  put(p, 'firstName', optString(o, 'firstName'));
  put(p, 'lastName', optString(o, 'lastName'));
  return { ok: true, value: p };
}
