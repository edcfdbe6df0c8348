import { C1zReader } from '../c1z/reader.js';
import type { DecodeLimits } from '../c1z/decompress.js';
import type { SyncRunRow } from '../c1z/store.js';
import { parseGoTime } from '../c1z/go-time.js';
import { BatonError, GrpcCode } from '../errors.js';

/** Where inspect writes; a Writable, or anything with write() (backpressure honoured when possible). */
export interface InspectOutput {
  write(chunk: string): unknown;
  once?(event: 'drain', listener: () => void): unknown;
}

export interface InspectOptions {
  /** The c1z to read; it is never written. */
  file: string;
  output: 'console' | 'json';
  /** Inspect this sync instead of the latest finished full sync. */
  syncId?: string | undefined;
  /** List the resources of this resource type. */
  resources?: string | undefined;
  /** List the grants. */
  grants?: boolean | undefined;
  /** List every sync in the file (id, type, started, ended) instead of describing one. */
  syncs?: boolean | undefined;
  stdout: InspectOutput;
  /** Decoder caps (BATON_DECODER_* in the CLI). */
  decodeLimits?: DecodeLimits | undefined;
  /** Where the decoded copy lives (--c1z-temp-dir); default os.tmpdir(). */
  tmpDir?: string | undefined;
}

/**
 * The `inspect` subcommand: which sync a c1z holds and how many resource types, resources (per
 * type), entitlements and grants it has; optionally lists resources of one type and grants.
 */
export async function inspect(opts: InspectOptions): Promise<void> {
  const reader = await C1zReader.open(opts.file, {
    tmpDir: opts.tmpDir,
    decodeLimits: opts.decodeLimits,
  });
  try {
    const out = new LineWriter(opts.stdout);
    if (opts.syncs === true) {
      await listSyncs(reader, opts, out);
      await out.flush();
      return;
    }
    const run = reader.chooseSync(opts.syncId);
    const counts = reader.stats(run.syncId);
    if (opts.resources !== undefined) assertTypeInSync(reader, run, counts, opts.resources);
    if (opts.output === 'json') await inspectJson(reader, run, counts, opts, out);
    else await inspectConsole(reader, run, counts, opts, out);
    await out.flush();
  } finally {
    await reader.close();
  }
}

type Counts = ReturnType<C1zReader['stats']>;

/**
 * A c1z time column as ISO-8601 UTC. Go writes local time without a zone ("2006-01-02 15:04:05.999999");
 * text that does not parse is shown unchanged rather than guessed at.
 */
export function isoTime(goTime: string): string;
export function isoTime(goTime: string | null): string | null;
export function isoTime(goTime: string | null): string | null {
  if (goTime === null) return null;
  return parseGoTime(goTime)?.toISOString() ?? goTime;
}

/** Asking for a type the sync does not hold is NOT_FOUND (exit 5), naming the types it does hold. */
function assertTypeInSync(reader: C1zReader, run: SyncRunRow, counts: Counts, type: string): void {
  const types = new Set(Object.keys(counts.resources));
  for (const t of reader.resourceTypes(run.syncId)) types.add(t.id);
  if (types.has(type)) return;
  const held = [...types].sort().join(', ') || 'no resource types';
  throw new BatonError(
    GrpcCode.NOT_FOUND,
    `resource type ${JSON.stringify(type)} is not in sync ${run.syncId} of ${reader.path}: it holds ${held}`,
  );
}

/** `inspect --syncs`: every sync of the file, oldest first. */
async function listSyncs(reader: C1zReader, opts: InspectOptions, out: LineWriter): Promise<void> {
  const rows = reader.listSyncs().map((r) => ({
    sync_id: r.syncId,
    sync_type: r.syncType,
    started_at: isoTime(r.startedAt),
    ended_at: isoTime(r.endedAt),
  }));
  if (opts.output === 'json') {
    await out.line(JSON.stringify({ file: reader.path, syncs: rows }, null, 2));
    return;
  }
  await out.line(`File:  ${reader.path}`);
  await out.line(`Syncs: ${rows.length}`);
  const idWidth = Math.max(7, ...rows.map((r) => r.sync_id.length));
  const typeWidth = Math.max(4, ...rows.map((r) => r.sync_type.length));
  const header = `  ${'SYNC ID'.padEnd(idWidth)}  ${'TYPE'.padEnd(typeWidth)}  ${'STARTED'.padEnd(24)}  ENDED`;
  await out.line(header);
  for (const r of rows) {
    await out.line(
      `  ${r.sync_id.padEnd(idWidth)}  ${r.sync_type.padEnd(typeWidth)}  ${r.started_at.padEnd(24)}  ${r.ended_at ?? '(not finished)'}`,
    );
  }
}

async function inspectConsole(
  reader: C1zReader,
  run: SyncRunRow,
  counts: Counts,
  opts: InspectOptions,
  out: LineWriter,
) {
  const types = Object.entries(counts.resources);
  const width = Math.max(14, ...types.map(([t]) => t.length + 2));
  await out.line(`File:           ${reader.path}`);
  await out.line(`Sync:           ${run.syncId} (${run.syncType})`);
  await out.line(`Started:        ${isoTime(run.startedAt)}`);
  await out.line(`Ended:          ${isoTime(run.endedAt) ?? '(not finished)'}`);
  await out.line(`Resource types: ${counts.resourceTypes}`);
  await out.line(`Resources:      ${types.reduce((n, [, c]) => n + c, 0)}`);
  for (const [type, n] of types) await out.line(`  ${type.padEnd(width)}${n}`);
  await out.line(`Entitlements:   ${counts.entitlements}`);
  await out.line(`Grants:         ${counts.grants}`);
  if (opts.resources !== undefined) {
    await out.line('');
    await out.line(`Resources of type ${opts.resources}:`);
    for (const r of reader.resources(run.syncId, opts.resources)) {
      await out.line(`  ${r.id?.resource ?? ''}  ${r.displayName}`);
    }
  }
  if (opts.grants) {
    await out.line('');
    await out.line('Grants:');
    for (const g of reader.grants(run.syncId)) {
      const p = g.principal?.id;
      await out.line(`  ${g.entitlement?.id ?? ''} → ${p?.resourceType ?? ''}:${p?.resource ?? ''}`);
    }
  }
}

async function inspectJson(
  reader: C1zReader,
  run: SyncRunRow,
  counts: Counts,
  opts: InspectOptions,
  out: LineWriter,
) {
  const head = {
    sync_id: run.syncId,
    sync_type: run.syncType,
    started_at: isoTime(run.startedAt),
    ended_at: isoTime(run.endedAt),
    resource_types: counts.resourceTypes,
    resources: counts.resources,
    entitlements: counts.entitlements,
    grants: counts.grants,
  };
  const listing = opts.resources !== undefined || opts.grants === true;
  const text = JSON.stringify(head, null, 2);
  if (!listing) {
    await out.line(text);
    return;
  }
  // Items are streamed one per line so a large listing is never held in memory.
  await out.line(`${text.slice(0, -2)},\n  "items": {`);
  const lists: [string, Iterable<object>][] = [];
  if (opts.resources !== undefined) {
    lists.push([
      'resources',
      map(reader.resources(run.syncId, opts.resources), (r) => ({
        resource_type: r.id?.resourceType ?? '',
        id: r.id?.resource ?? '',
        display_name: r.displayName,
      })),
    ]);
  }
  if (opts.grants) {
    lists.push([
      'grants',
      map(reader.grants(run.syncId), (g) => ({
        id: g.id,
        entitlement_id: g.entitlement?.id ?? '',
        principal_resource_type: g.principal?.id?.resourceType ?? '',
        principal_id: g.principal?.id?.resource ?? '',
      })),
    ]);
  }
  for (const [i, [key, items]] of lists.entries()) {
    await out.text(`${i === 0 ? '' : ',\n'}    ${JSON.stringify(key)}: [`);
    let n = 0;
    for (const item of items) await out.text(`${n++ === 0 ? '\n' : ',\n'}      ${JSON.stringify(item)}`);
    await out.text(n === 0 ? ']' : '\n    ]');
  }
  await out.line('\n  }\n}');
}

function* map<T, U>(items: Iterable<T>, f: (t: T) => U): Iterable<U> {
  for (const item of items) yield f(item);
}

/** Buffers output into large writes and waits for 'drain' when the stream asks for it. */
class LineWriter {
  private buffer = '';
  constructor(private readonly out: InspectOutput) {}

  line(s: string): Promise<void> {
    return this.text(`${s}\n`);
  }

  async text(s: string): Promise<void> {
    this.buffer += s;
    if (this.buffer.length >= 64 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer === '') return;
    const chunk = this.buffer;
    this.buffer = '';
    if (this.out.write(chunk) === false && this.out.once !== undefined) {
      await new Promise<void>((resolve) => this.out.once!('drain', resolve));
    }
  }
}
