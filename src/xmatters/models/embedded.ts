import { isObject } from './fields.js';

/**
 * An embedded collection (`embed=roles`, `supervisors`, `devices`): a pagination object `{count,total,data}`
 * without links (docs/xmatters-api.md, "Endpoints used"). A bare array is tolerated. `total` is what xMatters
 * says exists, which may exceed the items carried when it cuts a long list short.
 */
export interface EmbeddedCollection {
  items: unknown[];
  /** The announced total; the number of items when none is announced. */
  total: number;
  /** Present but not a collection (a string, a number...): nothing in it can be read. */
  malformed?: true;
}

/** The collection under `key`, or undefined when the object has none (the embed was not asked for). */
export function embeddedCollection(o: Record<string, unknown>, key: string): EmbeddedCollection | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return { items: v, total: v.length };
  if (!isObject(v)) return { items: [], total: 0, malformed: true };
  const items = Array.isArray(v.data) ? (v.data as unknown[]) : [];
  const announced = [v.total, v.count].filter(
    (n): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0,
  );
  return { items, total: Math.max(items.length, ...announced) };
}
