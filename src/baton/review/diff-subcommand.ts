import type { Command } from 'commander';
import type { BatonProgram } from '../cli/program.js';
import { runDiff } from './run-diff.js';
import type { DiffOutput } from './run-diff.js';

/** `<program> diff`: wired by the executable; reads --file, --output and --c1z-temp-dir from the shared flags. */
export function addDiffSubcommand(program: BatonProgram, opts: { env: NodeJS.ProcessEnv }): Command {
  return program
    .addSubcommand(
      {
        name: 'diff',
        description:
          'Show what changed between the newest two full syncs of --file, or against --base-file (never modifies either file)',
      },
      async (ctx) => {
        const o = ctx.command.opts<{ baseFile?: string; from?: string; to?: string }>();
        const v = ctx.config.values;
        await runDiff({
          file: String(v.file),
          baseFile: o.baseFile,
          from: o.from,
          to: o.to,
          output: String(v.output) as DiffOutput,
          stdout: ctx.io.stdout,
          env: opts.env,
          tmpDir: v['c1z-temp-dir'] === '' ? undefined : String(v['c1z-temp-dir']),
        });
      },
    )
    .option(
      '--base-file <file>',
      "compare this file's latest full sync (the older state) with --file's latest",
    )
    .option('--from <sync-id>', 'the older sync (in --base-file when given, else in --file)')
    .option('--to <sync-id>', 'the newer sync, in --file (default: its latest finished full sync)')
    .addHelpText(
      'after',
      '\nOutput (-o): console (summary, then the changes, privileged first), json (one object), csv (one row per change).\n' +
        'Exit codes: 0 with or without changes; 9 when --file holds only one full sync and no --base-file is given;\n' +
        '5 when a --from/--to sync is not in the file; 3 for a bad flag or a file that is not a c1z; 15 for a corrupt file.',
    );
}
