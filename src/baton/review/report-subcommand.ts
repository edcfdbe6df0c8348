import type { Command } from 'commander';
import type { BatonSettings } from '../cli/default-fields.js';
import { defineFields } from '../cli/field.js';
import { DECODER_FIELDS, decodeLimitsOf } from '../cli/store-fields.js';
import type { OutputSettings } from '../cli/output-field.js';
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
}

/** report's own options and the decoder caps; --file, --output and --c1z-temp-dir are the program's. */
const REPORT_FIELDS = defineFields([
  ...DECODER_FIELDS,
  {
    name: 'out',
    type: 'string',
    defaultValue: 'access-report.html',
    description: 'the HTML file to write (replaced if it exists)',
    exportTarget: 'cli',
  },
  {
    name: 'instance',
    type: 'string',
    optional: true,
    description: 'the instance name shown in the heading (the c1z does not record it)',
    exportTarget: 'cli',
  },
]);

/** `<program> report`: wired by the executable; reads --file, --output and --c1z-temp-dir from the shared flags. */
export function addReportSubcommand(
  program: BatonProgram<BatonSettings & OutputSettings>,
  opts: ReportSubcommandOptions,
): Command {
  return program
    .addSubcommand(
      {
        name: 'report',
        description:
          'Write a self-contained HTML access report of --file for reviewers (never modifies the file)',
        fields: REPORT_FIELDS,
      },
      async (ctx) => {
        const v = ctx.config.values;
        const started = Date.now();
        const result = await runReport({
          file: v.file,
          out: v.out,
          product: opts.product,
          generator: `${opts.command} ${opts.version}`,
          command: opts.command,
          instance: v.instance,
          labels: opts.labels,
          decodeLimits: decodeLimitsOf(v),
          tmpDir: v['c1z-temp-dir'] === '' ? undefined : v['c1z-temp-dir'],
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
    .addHelpText(
      'after',
      '\nOpen the file in any browser; it works offline and from disk, and makes no network request.\n' +
        'Exit codes: 0 written; 3 for a bad flag, a missing --out directory or a file that is not a c1z; 15 for a corrupt file;\n' +
        '9 when the file holds no sync.',
    );
}
