import { idForReport, isObject, requiredStringProblem, type JsonObject } from './fields.js';

/** The member kinds a group roster can hold (docs/xmatters-api.md, "Endpoints used"). */
export const RECIPIENT_TYPES = ['PERSON', 'GROUP', 'DEVICE', 'DYNAMIC_TEAM'] as const;
export type RecipientType = (typeof RECIPIENT_TYPES)[number];

export const isRecipientType = (v: unknown): v is RecipientType =>
  typeof v === 'string' && (RECIPIENT_TYPES as readonly string[]).includes(v);

export type RecipientCheck = { ok: true; obj: JsonObject } | { ok: false; reason: string; id?: string };

/**
 * Checks the fields every recipient must carry: `id`, `targetName` and `recipientType` (one of `allowed`).
 * Ids stay opaque strings: real ids are not always well-formed UUIDs (docs/xmatters-api.md, "Endpoints
 * used").
 */
export function checkRecipient(raw: unknown, allowed: readonly RecipientType[]): RecipientCheck {
  if (!isObject(raw)) return { ok: false, reason: 'item is not an object' };
  const problem =
    requiredStringProblem(raw, 'id') ??
    requiredStringProblem(raw, 'targetName') ??
    requiredStringProblem(raw, 'recipientType');
  const id = idForReport(raw);
  const reject = (reason: string): RecipientCheck =>
    id === undefined ? { ok: false, reason } : { ok: false, reason, id };
  if (problem !== undefined) return reject(problem);
  if (!(allowed as readonly string[]).includes(raw.recipientType as string)) {
    return reject(`recipientType ${JSON.stringify(raw.recipientType)} is not ${allowed.join(' or ')}`);
  }
  return { ok: true, obj: raw };
}
