import type { Command } from 'commander';
import type { BatonSettings } from '../cli/default-fields.js';
import { defineFields } from '../cli/field.js';
import { DECODER_FIELDS, decodeLimitsOf } from '../cli/store-fields.js';
import type { OutputSettings } from '../cli/output-field.js';
import type { BatonProgram } from '../cli/program.js';
import { runDiff } from './run-diff.js';

/** diff's own options and the decoder caps; --file, --output and --c1z-temp-dir are the program's. */
const DIFF_FIELDS = defineFields([
  ...DECODER_FIELDS,
  {
    name: 'base-file',
    type: 'string',
    optional: true,
    description: "compare this file's latest full sync (the older state) with --file's latest",
    exportTarget: 'cli',
  },
  {
    name: 'from',
    type: 'string',
    optional: true,
    description: 'the older sync (in --base-file when given, else in --file)',
    exportTarget: 'cli',
  },
  {
    name: 'to',
    type: 'string',
    optional: true,
    description: 'the newer sync, in --file (default: its latest finished full sync)',
    exportTarget: 'cli',
  },
]);

/** `<program> diff`: wired by the executable; reads --file, --output and --c1z-temp-dir from the shared flags. */
export function addDiffSubcommand(program: BatonProgram<BatonSettings & OutputSettings>): Command {
  return program
    .addSubcommand(
      {
        name: 'diff',
        description:
          'Show what changed between the newest two full syncs of --file, or against --base-file (never modifies either file)',
        fields: DIFF_FIELDS,
      },
      async (ctx) => {
        const v = ctx.config.values;
        await runDiff({
          file: v.file,
          baseFile: v['base-file'],
          from: v.from,
          to: v.to,
          output: v.output,
          stdout: ctx.io.stdout,
          decodeLimits: decodeLimitsOf(v),
          tmpDir: v['c1z-temp-dir'] === '' ? undefined : v['c1z-temp-dir'],
        });
      },
    )
    .addHelpText(
      'after',
      '\nOutput (-o): console (summary, then the changes, privileged first), json (one object), csv (one row per change).\n' +
        'Exit codes: 0 with or without changes; 9 when --file holds only one full sync and no --base-file is given;\n' +
        '5 when a --from/--to sync is not in the file; 3 for a bad flag or a file that is not a c1z; 15 for a corrupt file.',
    );
}
