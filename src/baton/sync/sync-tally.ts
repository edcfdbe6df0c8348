import type { SyncWarning } from './connector.js';

/** A SyncTally as saved in the sync token (JSON), so that a resumed sync reports the whole sync. */
export interface TallySnapshot {
  warnings_by_kind: Record<string, number>;
  warning_samples: string[];
  counters: Record<string, number>;
}

const MAX_SAMPLES = 10;

/**
 * What a part of a sync noticed: warnings by kind with the first few messages, and named counters (e.g.
 * members left out, by kind). The engine keeps one per running action and adds it to the sync's tally only
 * when the action finishes, so that the tally saved with a checkpoint covers exactly the finished work: a
 * resumed run redoes the unfinished actions and counts their items once.
 */
export class SyncTally {
  private readonly kinds = new Map<string, number>();
  private readonly samples: string[] = [];
  private readonly counts = new Map<string, number>();

  static from(snapshot: TallySnapshot | undefined): SyncTally {
    const tally = new SyncTally();
    if (snapshot === undefined) return tally;
    for (const [kind, n] of Object.entries(snapshot.warnings_by_kind)) tally.kinds.set(kind, n);
    tally.samples.push(...snapshot.warning_samples.slice(0, MAX_SAMPLES));
    for (const [name, n] of Object.entries(snapshot.counters)) tally.counts.set(name, n);
    return tally;
  }

  warn(w: SyncWarning): void {
    this.kinds.set(w.kind, (this.kinds.get(w.kind) ?? 0) + 1);
    if (this.samples.length < MAX_SAMPLES) this.samples.push(w.message);
  }

  count(counter: string, n = 1): void {
    this.counts.set(counter, (this.counts.get(counter) ?? 0) + n);
  }

  /** Adds everything `other` holds to this tally. */
  add(other: SyncTally): void {
    for (const [kind, n] of other.kinds) this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + n);
    for (const sample of other.samples) if (this.samples.length < MAX_SAMPLES) this.samples.push(sample);
    for (const [name, n] of other.counts) this.counts.set(name, (this.counts.get(name) ?? 0) + n);
  }

  get warnings(): number {
    let total = 0;
    for (const n of this.kinds.values()) total += n;
    return total;
  }

  warningsByKind(): Record<string, number> {
    return sortedRecord(this.kinds);
  }

  warningSamples(): string[] {
    return [...this.samples];
  }

  counters(): Record<string, number> {
    return sortedRecord(this.counts);
  }

  snapshot(): TallySnapshot {
    return {
      warnings_by_kind: this.warningsByKind(),
      warning_samples: this.warningSamples(),
      counters: this.counters(),
    };
  }
}

const sortedRecord = (m: Map<string, number>): Record<string, number> =>
  Object.fromEntries([...m.entries()].sort(([a], [b]) => a.localeCompare(b)));

/** Parses a TallySnapshot read back from a token; undefined for anything malformed. */
export function parseTallySnapshot(raw: unknown): TallySnapshot | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const t = raw as Record<string, unknown>;
  const kinds = numberRecord(t.warnings_by_kind);
  const counters = numberRecord(t.counters);
  const samples = Array.isArray(t.warning_samples)
    ? t.warning_samples.filter((s): s is string => typeof s === 'string')
    : undefined;
  if (kinds === undefined || counters === undefined || samples === undefined) return undefined;
  return { warnings_by_kind: kinds, warning_samples: samples, counters };
}

/** A record of non-negative finite numbers; undefined when it is anything else. */
export function numberRecord(raw: unknown): Record<string, number> | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return undefined;
    out[k] = v;
  }
  return out;
}
