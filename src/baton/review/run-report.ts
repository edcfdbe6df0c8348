import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { DecodeLimits } from '../c1z/decompress.js';
import { C1zReader } from '../c1z/reader.js';
import { BatonError, GrpcCode } from '../errors.js';
import { buildReportData } from './build-report-data.js';
import { finishedFullSyncs } from './choose-diff-syncs.js';
import { computeDiff, kindOf, syncInfo, tallyDiff } from './compute-diff.js';
import { renderReport } from './render-report.js';
import type { ChangeSection } from './render-report.js';
import { isInactive } from './resource-facts.js';
import { SyncView } from './sync-view.js';

export interface ReportOptions {
  /** The c1z to read; never written. */
  file: string;
  /** Where the HTML goes (replaced atomically). */
  out: string;
  /** Product name in the title ("<product> access report"). */
  product: string;
  /** Program and version, e.g. "baton-acme 1.2.0"; and the command name used in hints. */
  generator: string;
  command: string;
  instance?: string | undefined;
  /** Entitlement slug → column label, e.g. { supervisor: 'Supervisors' }. */
  labels?: Record<string, string> | undefined;
  /** Decoder caps (BATON_DECODER_* in the CLI). */
  decodeLimits?: DecodeLimits | undefined;
  tmpDir?: string | undefined;
  now?: (() => Date) | undefined;
}

export interface ReportResult {
  out: string;
  bytes: number;
  syncId: string;
  /** The sync compared against for "changed since", when the file has one. */
  previousSyncId: string | undefined;
}

/**
 * `report`: one self-contained HTML page for an access review of the latest finished full sync
 * (else the sync inspect would choose), with changes since the previous full sync when there is one.
 */
export async function runReport(opts: ReportOptions): Promise<ReportResult> {
  const out = resolve(opts.out);
  if (out === resolve(opts.file)) {
    throw new BatonError(
      GrpcCode.INVALID_ARGUMENT,
      `--out ${opts.out} is the c1z file itself: choose another --out`,
    );
  }
  const dir = await stat(dirname(out)).catch(() => undefined);
  if (dir === undefined || !dir.isDirectory()) {
    throw new BatonError(
      GrpcCode.INVALID_ARGUMENT,
      `the directory of --out ${out} does not exist: create it or choose another --out`,
    );
  }
  const reader = await C1zReader.open(opts.file, {
    tmpDir: opts.tmpDir,
    decodeLimits: opts.decodeLimits,
  });
  try {
    const full = finishedFullSyncs(reader);
    const run = full[0] ?? reader.chooseSync();
    const view = SyncView.load(reader, run);
    const { data, facts } = buildReportData(view, opts.labels ?? {});
    const previous = full[0] === undefined ? undefined : full[1];
    let changes: ChangeSection | undefined;
    if (previous !== undefined) {
      const before = SyncView.load(reader, previous);
      const diff = computeDiff(before, view);
      changes = {
        diff,
        tally: tallyDiff(diff, before, view),
        kindOf: (id) => kindOf({ id, resource_type: '', display_name: '' }, before, view),
        deactivated: (r) => {
          const a = before.resources.get(r.id);
          const b = view.resources.get(r.id);
          return a?.kind === 'user' && b !== undefined && !isInactive(a) && isInactive(b);
        },
      };
    }
    const html = renderReport({
      product: opts.product,
      generator: opts.generator,
      command: opts.command,
      file: opts.file,
      instance: opts.instance,
      sync: syncInfo(run),
      generatedAt: (opts.now ?? (() => new Date()))(),
      data,
      facts,
      changes,
    });
    const tmp = `${out}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, html, { mode: 0o644 });
      await rename(tmp, out);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    return { out, bytes: Buffer.byteLength(html), syncId: run.syncId, previousSyncId: previous?.syncId };
  } finally {
    await reader.close();
  }
}
