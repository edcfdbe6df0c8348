/**
 * Small readers that pull typed fields out of JSON that entered as `unknown`. Optional fields of the wrong
 * type read as absent (xMatters omits or varies optional fields; a stray type must not sink an item).
 */
export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The result of validating one item: the typed value, or why it was rejected. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string; id?: string };

export const optString = (o: JsonObject, key: string): string | undefined => {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
};

export const optBoolean = (o: JsonObject, key: string): boolean | undefined => {
  const v = o[key];
  return typeof v === 'boolean' ? v : undefined;
};

/** The `id` of a nested reference such as `site: {id, links}`. */
export const optRefId = (o: JsonObject, key: string): string | undefined => {
  const v = o[key];
  if (!isObject(v)) return undefined;
  const id = v.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
};

/** Describes why a required string field is unusable, or returns undefined when it is fine. */
export function requiredStringProblem(o: JsonObject, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return `missing ${key}`;
  if (typeof v !== 'string')
    return `${key} is ${Array.isArray(v) ? 'an array' : typeof v}, expected a string`;
  if (v.trim() === '') return `empty ${key}`;
  return undefined;
}

/** The id to report for a rejected item, when it has a usable one. */
export const idForReport = (raw: unknown): string | undefined => {
  if (!isObject(raw)) return undefined;
  const id = raw.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
};

/**
 * Sets `key` only when `value` is defined: the models honour exactOptionalPropertyTypes (absent, never
 * undefined). Plain assignments, because this runs for every field of every item of 100k-item listings.
 */
export function put<T, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}
