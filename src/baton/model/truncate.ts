/**
 * Byte limits from the Go SDK's validation rules (docs/c1z-format.md, "Protobuf messages"). ConductorOne
 * rejects longer strings, so builders cut names, descriptions and details to size instead of emitting objects
 * the service refuses. Ids are the exception: they are identities, never cut (id-limit.ts refuses them
 * instead).
 */
export const Limits = {
  id: 1024,
  displayName: 1024,
  description: 2048,
  resourceTypeDescription: 4096,
  statusDetails: 1024,
  url: 1024,
  groupSourceType: 64,
  rawGroupSourceType: 256,
} as const;

const encoder = new TextEncoder();

/**
 * Cut `value` to at most `maxBytes` bytes of UTF-8 without splitting a code point. Strings already
 * within the limit are returned unchanged (the common case costs one length check).
 */
export function truncateUtf8(value: string, maxBytes: number): string {
  // Every UTF-16 code unit encodes to at most 3 UTF-8 bytes.
  if (value.length * 3 <= maxBytes) return value;
  const bytes = encoder.encode(value);
  if (bytes.length <= maxBytes) return value;
  let end = maxBytes;
  // Back up over continuation bytes (10xxxxxx) so the cut lands on a code point boundary.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}
