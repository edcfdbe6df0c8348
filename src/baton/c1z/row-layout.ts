import type { Database, Statement } from 'better-sqlite3';
import type { GrantRow } from './grant-row.js';

/**
 * The one definition of the rows the store writes: for each table, its columns in order, the field of the row
 * object each comes from and how it travels to the write worker. The packer, the unpacker and the INSERT
 * statements are all derived from it; sync_id and discovered_at are appended to every row by the writer.
 */
export type ColumnKind = 'text' | 'nullable-text' | 'bytes' | 'nullable-bytes' | 'flag';

export interface RowLayout<R> {
  table: WritableTable;
  columns: readonly { name: string; field: keyof R & string; kind: ColumnKind }[];
  /**
   * Columns an upsert on (external_id, sync_id) replaces (Go's writer; docs/c1z-format.md, "What goes in a
   * row").
   */
  upsert: readonly string[];
}

export type WritableTable = 'v1_resource_types' | 'v1_resources' | 'v1_entitlements' | 'v1_grants';

/** The values of one v1_resource_types row, minus sync_id and discovered_at. */
export interface ResourceTypeRow {
  externalId: string;
  data: Uint8Array;
}

/** The values of one v1_resources row, minus sync_id and discovered_at. */
export interface ResourceRow {
  resourceTypeId: string;
  externalId: string;
  parentResourceTypeId: string | null;
  parentResourceId: string | null;
  data: Uint8Array;
}

/** The values of one v1_entitlements row, minus sync_id and discovered_at. */
export interface EntitlementRow {
  resourceTypeId: string;
  resourceId: string;
  externalId: string;
  data: Uint8Array;
}

export const RESOURCE_TYPE_LAYOUT: RowLayout<ResourceTypeRow> = {
  table: 'v1_resource_types',
  columns: [
    { name: 'external_id', field: 'externalId', kind: 'text' },
    { name: 'data', field: 'data', kind: 'bytes' },
  ],
  upsert: ['data'],
};

export const RESOURCE_LAYOUT: RowLayout<ResourceRow> = {
  table: 'v1_resources',
  columns: [
    { name: 'resource_type_id', field: 'resourceTypeId', kind: 'text' },
    { name: 'external_id', field: 'externalId', kind: 'text' },
    { name: 'parent_resource_type_id', field: 'parentResourceTypeId', kind: 'nullable-text' },
    { name: 'parent_resource_id', field: 'parentResourceId', kind: 'nullable-text' },
    { name: 'data', field: 'data', kind: 'bytes' },
  ],
  upsert: ['data'],
};

export const ENTITLEMENT_LAYOUT: RowLayout<EntitlementRow> = {
  table: 'v1_entitlements',
  columns: [
    { name: 'resource_type_id', field: 'resourceTypeId', kind: 'text' },
    { name: 'resource_id', field: 'resourceId', kind: 'text' },
    { name: 'external_id', field: 'externalId', kind: 'text' },
    { name: 'data', field: 'data', kind: 'bytes' },
  ],
  upsert: ['data'],
};

export const GRANT_LAYOUT: RowLayout<GrantRow> = {
  table: 'v1_grants',
  columns: [
    { name: 'resource_type_id', field: 'resourceTypeId', kind: 'text' },
    { name: 'resource_id', field: 'resourceId', kind: 'text' },
    { name: 'entitlement_id', field: 'entitlementId', kind: 'text' },
    { name: 'principal_resource_type_id', field: 'principalResourceTypeId', kind: 'text' },
    { name: 'principal_resource_id', field: 'principalResourceId', kind: 'text' },
    { name: 'external_id', field: 'externalId', kind: 'text' },
    { name: 'expansion', field: 'expansion', kind: 'nullable-bytes' },
    { name: 'needs_expansion', field: 'needsExpansion', kind: 'flag' },
    { name: 'data', field: 'data', kind: 'bytes' },
  ],
  upsert: ['data', 'expansion', 'needs_expansion'],
};

export const LAYOUTS: Readonly<Record<WritableTable, RowLayout<never>>> = {
  v1_resource_types: RESOURCE_TYPE_LAYOUT,
  v1_resources: RESOURCE_LAYOUT,
  v1_entitlements: ENTITLEMENT_LAYOUT,
  v1_grants: GRANT_LAYOUT,
};

/** Values per row as the INSERT takes them: the layout's columns, then sync_id and discovered_at. */
export const paramsPerRow = (layout: RowLayout<never>): number => layout.columns.length + 2;

const NULL_LENGTH = 0xffffffff;

/**
 * Rows packed into one buffer for the write worker: each value as a u32 length (0xffffffff for null) and
 * its bytes (UTF-8 for text), a u8 for a flag. The buffer comes from `alloc` (at least the bytes asked for) and
 * must belong to this batch alone (a Node pool slice would not do), so it can be transferred, not cloned:
 * structured cloning of row arrays cost the sending thread about a quarter of the SQL it handed over.
 */
export function packRows<R>(
  layout: RowLayout<R>,
  rows: readonly R[],
  alloc: (minBytes: number) => Buffer = (n) => Buffer.allocUnsafeSlow(n),
): Buffer {
  let bound = 0;
  for (const row of rows) {
    for (const c of layout.columns) {
      const v = row[c.field] as unknown;
      if (c.kind === 'flag') bound += 1;
      else if (v === null) bound += 4;
      else if (typeof v === 'string') bound += 4 + 3 * v.length;
      else bound += 4 + (v as Uint8Array).length;
    }
  }
  const buf = alloc(bound);
  let pos = 0;
  for (const row of rows) {
    for (const c of layout.columns) {
      const v = row[c.field] as unknown;
      if (c.kind === 'flag') {
        buf[pos++] = v as number;
      } else if (v === null) {
        buf.writeUInt32LE(NULL_LENGTH, pos);
        pos += 4;
      } else if (typeof v === 'string') {
        const n = buf.write(v, pos + 4, 'utf8');
        buf.writeUInt32LE(n, pos);
        pos += 4 + n;
      } else {
        const b = v as Uint8Array;
        buf.writeUInt32LE(b.length, pos);
        buf.set(b, pos + 4);
        pos += 4 + b.length;
      }
    }
  }
  return buf.subarray(0, pos);
}

/** The INSERT's flat values of `rows` packed rows, with the batch's sync id and time. */
export function unpackRows(
  layout: RowLayout<never>,
  buf: Buffer,
  rows: number,
  syncId: string,
  discoveredAt: string,
): unknown[] {
  const values = new Array<unknown>(rows * paramsPerRow(layout));
  const kinds = layout.columns.map((c) => c.kind);
  let pos = 0;
  let at = 0;
  for (let r = 0; r < rows; r++) {
    for (const kind of kinds) {
      if (kind === 'flag') {
        values[at++] = buf[pos++];
        continue;
      }
      const n = buf.readUInt32LE(pos);
      pos += 4;
      if (n === NULL_LENGTH) {
        values[at++] = null;
      } else if (kind === 'text' || kind === 'nullable-text') {
        values[at++] = buf.toString('utf8', pos, pos + n);
        pos += n;
      } else {
        values[at++] = buf.subarray(pos, pos + n);
        pos += n;
      }
    }
    values[at++] = syncId;
    values[at++] = discoveredAt;
  }
  return values;
}

/** Rows per multi-row INSERT: fewer statement executions, far below SQLite's parameter limit. */
const ROWS_PER_INSERT = 50;

function insertSql(layout: RowLayout<never>, rows: number): string {
  const names = [...layout.columns.map((c) => c.name), 'sync_id', 'discovered_at'];
  const one = `(${names.map(() => '?').join(', ')})`;
  const set = layout.upsert.map((c) => `${c} = excluded.${c}`).join(', ');
  // Go's upsert: a duplicate keeps its rowid and discovered_at.
  return (
    `INSERT INTO ${layout.table} (${names.join(', ')}) VALUES ${Array<string>(rows).fill(one).join(', ')} ` +
    `ON CONFLICT (external_id, sync_id) DO UPDATE SET ${set}`
  );
}

/**
 * Upserts rows of one table given as one flat array of values (paramsPerRow per row), in order, so a later
 * duplicate wins as in Go. It runs the SQL only: the caller owns the transaction.
 */
export class RowInserter {
  private readonly width: number;
  private readonly single: Statement;
  private readonly multi: Statement;
  private readonly chunk: unknown[];
  private readonly one: unknown[];

  constructor(db: Database, layout: RowLayout<never>) {
    this.width = paramsPerRow(layout);
    this.single = db.prepare(insertSql(layout, 1));
    this.multi = db.prepare(insertSql(layout, ROWS_PER_INSERT));
    this.chunk = new Array<unknown>(ROWS_PER_INSERT * this.width);
    this.one = new Array<unknown>(this.width);
  }

  insert(values: readonly unknown[], rows: number): void {
    const w = this.width;
    const span = ROWS_PER_INSERT * w;
    let row = 0;
    for (; row + ROWS_PER_INSERT <= rows; row += ROWS_PER_INSERT) {
      const at = row * w;
      for (let k = 0; k < span; k++) this.chunk[k] = values[at + k];
      this.multi.run(this.chunk);
    }
    for (; row < rows; row++) {
      const at = row * w;
      for (let k = 0; k < w; k++) this.one[k] = values[at + k];
      this.single.run(this.one);
    }
  }
}
