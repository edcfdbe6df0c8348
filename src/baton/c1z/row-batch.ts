import type { GrantRow } from './grant-row.js';
import { PARAMS_PER_ROW } from './grant-insert.js';

/** The values of one v1_resources row, minus sync_id and discovered_at. */
export interface ResourceRow {
  resourceTypeId: string;
  externalId: string;
  parentResourceTypeId: string | null;
  parentResourceId: string | null;
  data: Uint8Array;
}

/** Values per v1_resources row (PUT_RESOURCE_SQL's parameters). */
export const RESOURCE_PARAMS = 7;

const NULL_LENGTH = 0xffffffff;

/**
 * Rows packed into one buffer for the write worker: each value as a u32 length (0xffffffff for null) and
 * its bytes (UTF-8 for text), a u8 for needs_expansion. The buffer is transferred, not cloned: structured
 * cloning of row arrays cost the sending thread about a quarter of the SQL it handed over.
 */
class Packer {
  private readonly buf: Buffer;
  private pos = 0;

  constructor(bound: number) {
    this.buf = Buffer.allocUnsafeSlow(bound);
  }

  /** Bytes a text of this length can take at most (UTF-16 units to UTF-8). */
  static textBound = (s: string | null): number => 4 + (s === null ? 0 : 3 * s.length);
  static bytesBound = (b: Uint8Array | null): number => 4 + (b === null ? 0 : b.length);

  text(s: string | null): void {
    if (s === null) return this.nullValue();
    const n = this.buf.write(s, this.pos + 4, 'utf8');
    this.buf.writeUInt32LE(n, this.pos);
    this.pos += 4 + n;
  }

  bytes(b: Uint8Array | null): void {
    if (b === null) return this.nullValue();
    this.buf.writeUInt32LE(b.length, this.pos);
    this.buf.set(b, this.pos + 4);
    this.pos += 4 + b.length;
  }

  byte(v: number): void {
    this.buf[this.pos++] = v;
  }

  done(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  private nullValue(): void {
    this.buf.writeUInt32LE(NULL_LENGTH, this.pos);
    this.pos += 4;
  }
}

class Unpacker {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  text(): string | null {
    const n = this.length();
    if (n === null) return null;
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  bytes(): Buffer | null {
    const n = this.length();
    if (n === null) return null;
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  byte(): number {
    return this.buf[this.pos++]!;
  }

  private length(): number | null {
    const n = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return n === NULL_LENGTH ? null : n;
  }
}

const GRANT_TEXTS = [
  'resourceTypeId',
  'resourceId',
  'entitlementId',
  'principalResourceTypeId',
  'principalResourceId',
  'externalId',
] as const satisfies readonly (keyof GrantRow)[];

export function packGrantRows(rows: readonly GrantRow[]): Buffer {
  let bound = 0;
  for (const row of rows) {
    for (const c of GRANT_TEXTS) bound += Packer.textBound(row[c]);
    bound += Packer.bytesBound(row.expansion) + 1 + Packer.bytesBound(row.data);
  }
  const p = new Packer(bound);
  for (const row of rows) {
    for (const c of GRANT_TEXTS) p.text(row[c]);
    p.bytes(row.expansion);
    p.byte(row.needsExpansion);
    p.bytes(row.data);
  }
  return p.done();
}

/** GrantInserter's flat values of `rows` packed grant rows, with the batch's sync id and time. */
export function unpackGrantRows(buf: Buffer, rows: number, syncId: string, discoveredAt: string): unknown[] {
  const values = new Array<unknown>(rows * PARAMS_PER_ROW);
  const u = new Unpacker(buf);
  let at = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < GRANT_TEXTS.length; c++) values[at++] = u.text();
    values[at++] = u.bytes();
    values[at++] = u.byte();
    values[at++] = u.bytes();
    values[at++] = syncId;
    values[at++] = discoveredAt;
  }
  return values;
}

export function packResourceRows(rows: readonly ResourceRow[]): Buffer {
  let bound = 0;
  for (const r of rows) {
    bound += Packer.textBound(r.resourceTypeId) + Packer.textBound(r.externalId);
    bound += Packer.textBound(r.parentResourceTypeId) + Packer.textBound(r.parentResourceId);
    bound += Packer.bytesBound(r.data);
  }
  const p = new Packer(bound);
  for (const r of rows) {
    p.text(r.resourceTypeId);
    p.text(r.externalId);
    p.text(r.parentResourceTypeId);
    p.text(r.parentResourceId);
    p.bytes(r.data);
  }
  return p.done();
}

/** PUT_RESOURCE_SQL's parameters for `rows` packed resource rows, flat. */
export function unpackResourceRows(
  buf: Buffer,
  rows: number,
  syncId: string,
  discoveredAt: string,
): unknown[] {
  const values = new Array<unknown>(rows * RESOURCE_PARAMS);
  const u = new Unpacker(buf);
  let at = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < 4; c++) values[at++] = u.text();
    values[at++] = u.bytes();
    values[at++] = syncId;
    values[at++] = discoveredAt;
  }
  return values;
}
