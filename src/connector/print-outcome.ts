import type { CommandContext } from '../baton/cli/program.js';
import type { OutputSettings } from '../baton/cli/output-field.js';
import { writeSyncReport, type SyncReport } from '../baton/cli/sync-report.js';

/** The end of a one-shot sync: the JSON details on stdout, or the console summary on stderr. */
export function printOutcome(ctx: CommandContext<OutputSettings>, report: SyncReport): void {
  ctx.progress.stop();
  writeSyncReport(ctx.io, report, ctx.config.values.output === 'json' ? 'json' : 'console');
}
