import { formatBytes } from '../format-bytes.js';

/**
 * The console summary's input, built from a SyncReport (sync-report.ts); labels and their order come from the
 * caller, so this stays generic. The JSON summary is built in sync-report.ts.
 */
export interface SyncSummary {
  readonly syncId: string;
  /** e.g. "full" or "resources_only". */
  readonly syncType: string;
  readonly file: string;
  readonly fileBytes: number;
  readonly wallMs: number;
  /** Shown in insertion order; numbers get thousands separators, strings are shown as given. */
  readonly counts: Readonly<Record<string, number | string>>;
  readonly warnings: number;
  /** A few warning texts to show under the count. */
  readonly warningSamples?: readonly string[];
}

/**
 * The end-of-sync summary for people (stderr): one short line per figure, labels aligned so the numbers
 * can be read at a glance. No trailing newline.
 */
export function renderSummary(summary: SyncSummary): string {
  const rows: [string, string][] = Object.entries(summary.counts).map(([label, value]) => [
    label,
    typeof value === 'number' ? formatCount(value) : value,
  ]);
  rows.push(['warnings', formatCount(summary.warnings)]);
  rows.push(['wall time', formatDuration(summary.wallMs)]);
  rows.push(['file', `${summary.file} (${formatBytes(summary.fileBytes)})`]);

  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const lines = [`sync finished: ${summary.syncType} sync ${summary.syncId}`];
  for (const [label, value] of rows) {
    lines.push(`  ${label.padEnd(width)}${value}`);
    if (label === 'warnings') {
      const samples = summary.warningSamples ?? [];
      for (const sample of samples) lines.push(`  ${' '.repeat(width)}- ${sample}`);
      const more = summary.warnings - samples.length;
      if (samples.length > 0 && more > 0)
        lines.push(`  ${' '.repeat(width)}… and ${formatCount(more)} more in the log`);
    }
  }
  return lines.join('\n');
}

/** A count with thousands separators (1,234,567), the one number format of every summary figure. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1 dynamic team", "2 dynamic teams", "1,500 devices": the count formatted, the noun agreeing with it. */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : plural}`;
}

function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  return `${m} min ${String(s).padStart(2, '0')} s`;
}
