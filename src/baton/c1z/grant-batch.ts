import type { GrantRow } from './grant-row.js';
import { PARAMS_PER_ROW } from './grant-insert.js';

/** The six text columns of a grant row, in GrantInserter's column order. */
const TEXT_COLUMNS = [
  'resourceTypeId',
  'resourceId',
  'entitlementId',
  'principalResourceTypeId',
  'principalResourceId',
  'externalId',
] as const satisfies readonly (keyof GrantRow)[];

const NULL_LENGTH = 0xffffffff;

/**
 * Grant rows packed into one buffer for the grant worker: per row the six text columns (u32 length + UTF-8),
 * expansion (u32 length or 0xffffffff for null, bytes), needs_expansion (u8) and data (u32 length, bytes).
 * Its ArrayBuffer is transferred, not cloned: structured cloning of row arrays cost the sending thread
 * about as much as a quarter of the SQL it handed over.
 */
export function packGrantRows(rows: readonly GrantRow[]): Buffer {
  let bound = 0;
  for (const row of rows) {
    for (const c of TEXT_COLUMNS) bound += 4 + 3 * row[c].length;
    bound += 4 + (row.expansion?.length ?? 0) + 1 + 4 + row.data.length;
  }
  const buf = Buffer.allocUnsafeSlow(bound);
  let pos = 0;
  for (const row of rows) {
    for (const c of TEXT_COLUMNS) {
      const n = buf.write(row[c], pos + 4, 'utf8');
      buf.writeUInt32LE(n, pos);
      pos += 4 + n;
    }
    const expansion = row.expansion;
    if (expansion === null) {
      buf.writeUInt32LE(NULL_LENGTH, pos);
      pos += 4;
    } else {
      buf.writeUInt32LE(expansion.length, pos);
      buf.set(expansion, pos + 4);
      pos += 4 + expansion.length;
    }
    buf[pos++] = row.needsExpansion;
    buf.writeUInt32LE(row.data.length, pos);
    buf.set(row.data, pos + 4);
    pos += 4 + row.data.length;
  }
  return buf.subarray(0, pos);
}

/** The flat column values (GrantInserter's layout) of `rows` packed rows, with the batch's sync id and time. */
export function unpackGrantRows(buf: Buffer, rows: number, syncId: string, discoveredAt: string): unknown[] {
  const values = new Array<unknown>(rows * PARAMS_PER_ROW);
  let pos = 0;
  let at = 0;
  const bytes = (): Buffer | null => {
    const n = buf.readUInt32LE(pos);
    pos += 4;
    if (n === NULL_LENGTH) return null;
    const b = buf.subarray(pos, pos + n);
    pos += n;
    return b;
  };
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < TEXT_COLUMNS.length; c++) {
      const n = buf.readUInt32LE(pos);
      values[at++] = buf.toString('utf8', pos + 4, pos + 4 + n);
      pos += 4 + n;
    }
    values[at++] = bytes();
    values[at++] = buf[pos++];
    values[at++] = bytes();
    values[at++] = syncId;
    values[at++] = discoveredAt;
  }
  return values;
}
