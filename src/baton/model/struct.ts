import type { JsonObject, JsonValue } from '@bufbuild/protobuf';
import { BatonError, GrpcCode } from '../errors.js';
import { compareUtf8 } from './utf8-compare.js';

/** Plain JavaScript data that maps onto google.protobuf.Struct, like Go's structpb.NewStruct input. */
export type ProfileValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | undefined
  | Date
  | readonly ProfileValue[]
  | { readonly [key: string]: ProfileValue };

export type ProfileObject = { readonly [key: string]: ProfileValue };

/**
 * Build the value of a google.protobuf.Struct field (protobuf-es represents Struct fields as a
 * JsonObject). Keys are inserted in UTF-8 order at every level because protobuf-es writes map
 * entries in insertion order and Go's deterministic encoding sorts them. `undefined` members are
 * dropped (JSON semantics), dates become ISO-8601 text, bigints become numbers.
 *
 * Limitation: JavaScript objects always enumerate integer-like keys ("7", "42") first, in numeric
 * order, so such keys cannot follow UTF-8 order; profile keys here are attribute names, not numbers.
 */
export function structFromObject(object: ProfileObject, path = ''): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(object).sort(compareUtf8)) {
    const value = object[key];
    if (value !== undefined) out[key] = jsonFromProfile(value, path === '' ? key : `${path}.${key}`);
  }
  return out;
}

function jsonFromProfile(value: ProfileValue, path: string): JsonValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // Struct numbers are doubles, but NaN and ±Infinity have no JSON form in protobuf-es.
      if (!Number.isFinite(value)) break;
      return value;
    case 'bigint':
      return Number(value);
    default:
      if (value instanceof Date) return value.toISOString();
      if (Array.isArray(value)) {
        return (value as readonly ProfileValue[]).map((v, i) => jsonFromProfile(v, `${path}[${i}]`));
      }
      if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
        return structFromObject(value as ProfileObject, path);
      }
  }
  throw new BatonError(GrpcCode.INVALID_ARGUMENT, `profile value at "${path}" cannot be stored in a Struct`);
}
