import type { SyncWarning } from './connector.js';

/** Counts warnings by kind and keeps the first few messages for the summary. */
export class WarningLog {
  total = 0;
  private readonly counts = new Map<string, number>();
  private readonly kept: string[] = [];

  constructor(
    private readonly onWarning?: (w: SyncWarning) => void,
    private readonly maxSamples = 10,
  ) {}

  add(w: SyncWarning): void {
    this.total += 1;
    this.counts.set(w.kind, (this.counts.get(w.kind) ?? 0) + 1);
    if (this.kept.length < this.maxSamples) this.kept.push(w.message);
    this.onWarning?.(w);
  }

  byKind(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  samples(): string[] {
    return [...this.kept];
  }
}
