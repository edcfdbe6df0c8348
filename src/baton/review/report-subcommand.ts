import type { Command } from 'commander';
import type { BatonProgram } from '../cli/program.js';
import { runReport } from './run-report.js';

export interface ReportSubcommandOptions {
  /** Product wording for the page title, e.g. "Acme" → "Acme access report". */
  product: string;
  /** The program name (for hints on the page) and its version. */
  command: string;
  version: string;
  /** Entitlement slug → column label, e.g. { supervisor: 'Supervisors' }. */
  labels?: Record<string, string>;
  env: NodeJS.ProcessEnv;
}

/** `<program> report`: wired by the executable; reads --file, --output and --c1z-temp-dir from the shared flags. */
export function addReportSubcommand(program: BatonProgram, opts: ReportSubcommandOptions): Command {
  return program
    .addSubcommand(
      {
        name: 'report',
        description:
          'Write a self-contained HTML access report of --file for reviewers (never modifies the file)',
      },
      async (ctx) => {
        const o = ctx.command.opts<{ out: string; instance?: string }>();
        const v = ctx.config.values;
        const started = Date.now();
        const result = await runReport({
          file: String(v.file),
          out: o.out,
          product: opts.product,
          generator: `${opts.command} ${opts.version}`,
          command: opts.command,
          instance: o.instance,
          labels: opts.labels,
          env: opts.env,
          tmpDir: v['c1z-temp-dir'] === '' ? undefined : String(v['c1z-temp-dir']),
        });
        const seconds = (Date.now() - started) / 1000;
        if (v.output === 'json') {
          ctx.io.stdout.write(
            `${JSON.stringify({ out: result.out, bytes: result.bytes, sync_id: result.syncId, previous_sync_id: result.previousSyncId ?? null, seconds })}\n`,
          );
        } else {
          const kib = (result.bytes / 1024).toFixed(1);
          const since = result.previousSyncId === undefined ? '' : `, changes since ${result.previousSyncId}`;
          ctx.io.stdout.write(
            `report written: ${result.out} (${kib} KiB, sync ${result.syncId}${since}, ${seconds.toFixed(1)} s)\n`,
          );
        }
      },
    )
    .option('--out <file>', 'the HTML file to write (replaced if it exists)', 'access-report.html')
    .option('--instance <name>', 'the instance name shown in the heading (the c1z does not record it)')
    .addHelpText(
      'after',
      '\nOpen the file in any browser; it works offline and from disk, and makes no network request.\n' +
        'Exit codes: 0 written; 3 for a bad flag, a missing --out directory or a file that is not a c1z; 15 for a corrupt file;\n' +
        '9 when the file holds no sync.',
    );
}
