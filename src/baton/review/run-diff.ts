import type { DecodeLimits } from '../c1z/decompress.js';
import { C1zReader } from '../c1z/reader.js';
import { BatonError, GrpcCode } from '../errors.js';
import { chooseLatestFull, chooseSyncsInFile } from './choose-diff-syncs.js';
import { computeDiff, tallyDiff } from './compute-diff.js';
import { diffConsole, diffCsv, diffJson } from './render-diff.js';
import { SyncView } from './sync-view.js';

export type DiffOutput = 'console' | 'json' | 'csv';
export const DIFF_OUTPUTS: readonly DiffOutput[] = ['console', 'json', 'csv'];

export interface DiffOptions {
  /** The c1z holding the newer sync; never written. */
  file: string;
  /** Compare the latest full sync of this file (the older one) against `file`'s latest. */
  baseFile?: string | undefined;
  /** Sync ids: `from` in baseFile when given, else in file; `to` in file. */
  from?: string | undefined;
  to?: string | undefined;
  output: DiffOutput;
  stdout: { write(chunk: string): unknown };
  /** Decoder caps (BATON_DECODER_* in the CLI). */
  decodeLimits?: DecodeLimits | undefined;
  tmpDir?: string | undefined;
}

/** `diff`: what changed between two full syncs (see README "diff"). Exit 0 whether or not anything did. */
export async function runDiff(opts: DiffOptions): Promise<void> {
  if (!DIFF_OUTPUTS.includes(opts.output)) {
    throw new BatonError(
      GrpcCode.INVALID_ARGUMENT,
      `--output ${JSON.stringify(opts.output)} is not a diff output: use ${DIFF_OUTPUTS.join(', ')}`,
    );
  }
  const readerOpts = { tmpDir: opts.tmpDir, decodeLimits: opts.decodeLimits };
  const reader = await C1zReader.open(opts.file, readerOpts);
  let base: C1zReader | undefined;
  try {
    let from;
    let to;
    if (opts.baseFile === undefined) {
      ({ from, to } = chooseSyncsInFile(reader, opts.from, opts.to));
    } else {
      base = await C1zReader.open(opts.baseFile, readerOpts);
      from = chooseLatestFull(base, opts.from);
      to = chooseLatestFull(reader, opts.to);
    }
    const before = SyncView.load(base ?? reader, from);
    const after = SyncView.load(reader, to);
    const diff = computeDiff(before, after);
    if (opts.output === 'json') opts.stdout.write(`${diffJson(diff)}\n`);
    else if (opts.output === 'csv') opts.stdout.write(diffCsv(diff));
    else
      opts.stdout.write(
        diffConsole(diff, tallyDiff(diff, before, after), reader.path, (base ?? reader).path),
      );
  } finally {
    await base?.close();
    await reader.close();
  }
}
