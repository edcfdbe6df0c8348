import { randomFillSync } from 'node:crypto';

// segmentio/ksuid: 4-byte big-endian seconds since this epoch + 16 random bytes, base62 in 27 chars.
const KSUID_EPOCH_SECONDS = 1_400_000_000;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const KSUID_LENGTH = 27;
export const KSUID_PATTERN = /^[0-9A-Za-z]{27}$/;

/**
 * A new KSUID, used as the sync id. Encoded ids sort by creation second, so "ORDER BY sync_id"
 * agrees with time, as Go readers expect for tie-breaking.
 */
export function newKsuid(now: Date = new Date(), random: (buf: Uint8Array) => void = randomFillSync): string {
  const bytes = new Uint8Array(20);
  const seconds = Math.floor(now.getTime() / 1000) - KSUID_EPOCH_SECONDS;
  new DataView(bytes.buffer).setUint32(0, seconds >>> 0, false);
  random(bytes.subarray(4));
  return encodeBase62(bytes);
}

function encodeBase62(bytes: Uint8Array): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % 62n)]! + out;
    n /= 62n;
  }
  return out.padStart(KSUID_LENGTH, '0');
}

/** Creation time encoded in a KSUID (whole seconds). */
export function ksuidTime(id: string): Date {
  let n = 0n;
  for (const ch of id) n = n * 62n + BigInt(ALPHABET.indexOf(ch));
  const seconds = Number(n >> 128n);
  return new Date((seconds + KSUID_EPOCH_SECONDS) * 1000);
}
