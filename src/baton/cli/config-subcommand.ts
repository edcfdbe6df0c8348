import type { Command } from 'commander';
import { configurationJson } from './config-schema.js';
import type { BatonProgram } from './program.js';

/** `<program> config`: the configuration schema (gui and ops fields) as ConductorOne reads it. */
export function addConfigSubcommand(
  program: BatonProgram<object>,
  opts: { readonly displayName: string },
): Command {
  return program.addSubcommand(
    { name: 'config', description: 'Print the connector configuration schema as JSON' },
    (ctx) => {
      ctx.io.stdout.write(`${configurationJson(program.fields, { displayName: opts.displayName })}\n`);
      return Promise.resolve();
    },
  );
}
