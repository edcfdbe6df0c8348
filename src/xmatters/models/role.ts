import { isObject, put, optString, requiredStringProblem, idForReport, type Parsed } from './fields.js';

/** A role from `GET /roles` or a person's embedded `roles` (docs/xmatters-api.md, "Endpoints used"). */
export interface Role {
  id: string;
  name: string;
  description?: string;
}

export function parseRole(raw: unknown): Parsed<Role> {
  if (!isObject(raw)) return { ok: false, reason: 'item is not an object' };
  const problem = requiredStringProblem(raw, 'id') ?? requiredStringProblem(raw, 'name');
  const id = idForReport(raw);
  if (problem !== undefined)
    return id === undefined ? { ok: false, reason: problem } : { ok: false, reason: problem, id };
  const role: Role = { id: raw.id as string, name: raw.name as string };
  put(role, 'description', optString(raw, 'description'));
  return { ok: true, value: role };
}
