import type { SyncToFileResult } from '../sync/sync-to-file.js';
import { countOf, formatCount, renderSummary, type SyncSummary } from './summary.js';

/** Requests, retries and wall time of one run: the work the engine adds up over the runs of a sync. */
export interface RunWork {
  requests: number;
  retries: number;
  wall_ms: number;
}

/**
 * A figure the connector names: shown on the console under `console[0]`, in `--output json` under
 * `json[0]`, or both. Figures keep the order the connector gives them in each output.
 */
export interface SyncFigure {
  readonly console?: readonly [label: string, text: number | string];
  readonly json?: readonly [key: string, value: unknown];
}

/**
 * The one input of both end-of-sync summaries: the engine's result, this run's work and the figures the
 * connector names (this layer knows no product, so it cannot name users or groups itself).
 */
export interface SyncReport {
  readonly result: SyncToFileResult;
  readonly thisRun: RunWork;
  readonly figures: readonly SyncFigure[];
}

export type SummaryOutput = 'console' | 'json';

/** Writes the summary `output` asks for: JSON on stdout (for scripts), text on stderr (for people). */
export function writeSyncReport(
  io: { stdout: { write(s: string): unknown }; stderr: { write(s: string): unknown } },
  report: SyncReport,
  output: SummaryOutput,
): void {
  if (output === 'json') io.stdout.write(`${JSON.stringify(syncReportJson(report), null, 2)}\n`);
  else io.stderr.write(`${renderSummary(syncReportSummary(report))}\n`);
}

/** The whole sync's work: this run's plus, after a resume, the earlier runs' (saved with the checkpoints). */
export function wholeSyncWork(report: SyncReport): RunWork {
  const earlier = (key: keyof RunWork): number => report.result.earlierRuns[key] ?? 0;
  return {
    requests: earlier('requests') + report.thisRun.requests,
    retries: earlier('retries') + report.thisRun.retries,
    wall_ms: earlier('wall_ms') + report.thisRun.wall_ms,
  };
}

/**
 * The console summary's figures. Every figure describes the finished sync as a whole: after a resume, the
 * earlier runs are included, and the `resumed` line says what this run alone did.
 */
export function syncReportSummary(report: SyncReport): SyncSummary {
  const { result, thisRun } = report;
  const whole = wholeSyncWork(report);
  const counts: Record<string, number | string> = {};
  for (const f of report.figures) if (f.console !== undefined) counts[f.console[0]] = f.console[1];
  counts.requests = whole.requests;
  counts.retries = whole.retries;
  if (result.resumed)
    counts.resumed =
      `yes (continued an interrupted sync; this run: ${formatCount(thisRun.requests)} ` +
      `requests, ${formatCount(thisRun.retries)} retries, ${(thisRun.wall_ms / 1000).toFixed(1)} s)`;
  return {
    syncId: result.syncId,
    syncType: result.syncType,
    file: result.file,
    fileBytes: result.fileBytes,
    wallMs: whole.wall_ms,
    counts,
    warnings: result.warnings,
    warningSamples: result.warningSamples,
  };
}

/**
 * The `--output json` summary (and the service-mode log record of a finished task): the same whole-sync
 * figures as the console one, as raw numbers. Key order is part of the output; scripts may rely on keys, and
 * bench/support/run-sync.ts reads some.
 */
export function syncReportJson(report: SyncReport): Record<string, unknown> {
  const { result } = report;
  const whole = wholeSyncWork(report);
  const out: Record<string, unknown> = {
    sync_id: result.syncId,
    sync_type: result.syncType,
    resumed: result.resumed,
    file: result.file,
    file_bytes: result.fileBytes,
  };
  for (const f of report.figures) if (f.json !== undefined) out[f.json[0]] = f.json[1];
  return {
    ...out,
    warnings: result.warnings,
    warnings_by_kind: result.warningsByKind,
    requests: whole.requests,
    retries: whole.retries,
    wall_ms: whole.wall_ms,
    /** What this run alone did; differs from the figures above only after a resume. */
    this_run: report.thisRun,
    /** The process's peak resident set size so far (maxRSS), for capacity planning and the benchmark. */
    peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
  };
}

/**
 * The grant-expansion figures (generic: any connector whose grants carry GrantExpandable has them). JSON
 * always has them; the console shows derived grants only when `onConsole`, with what else expansion did.
 */
export function expansionFigures(result: SyncToFileResult, onConsole: boolean): SyncFigure[] {
  const e = result.expansion;
  const derived: SyncFigure = {
    json: ['derived_grants', e?.derivedGrants ?? 0],
    ...(onConsole ? { console: ['derived grants', expansionText(result)] as const } : {}),
  };
  return [
    derived,
    { json: ['direct_grants_also_derived', e?.directGrantsWithSources ?? 0] },
    { json: ['expansion_ms', e?.ms ?? 0] },
  ];
}

/** Derived grants, with what else expansion did worth knowing. */
function expansionText(result: SyncToFileResult): string {
  const e = result.expansion;
  if (e === undefined) return '0';
  const extra = [
    e.directGrantsWithSources > 0 ? `${countOf(e.directGrantsWithSources, 'direct grant')} also derived` : '',
    e.cycles > 0 ? countOf(e.cycles, 'cycle') : '',
    `${(e.ms / 1000).toFixed(1)} s`,
  ].filter((x) => x !== '');
  return `${formatCount(e.derivedGrants)} (${extra.join(', ')})`;
}
