import type { Command } from 'commander';
import type { BatonProgram } from '../baton/cli/program.js';
import { SYNC_STORE_FIELDS } from '../baton/cli/store-fields.js';
import type { XmattersSettings } from './config-fields.js';
import { printOutcome } from './print-outcome.js';
import { runXmattersSync } from './run-xmatters-sync.js';

/** A running stand-in xMatters with the sample tenant, and the credentials it accepts. */
export interface DemoServer {
  readonly baseUrl: string;
  readonly username: string;
  readonly password: string;
  close(): Promise<void>;
}

/**
 * `<program> demo`: a sync of the sample tenant from a local simulator. The connector may not import the
 * simulator (docs/architecture.md), so main.ts hands in `startServer`.
 */
export function addDemoSubcommand(
  program: BatonProgram<XmattersSettings>,
  opts: { readonly programName: string; readonly startServer: () => Promise<DemoServer> },
): Command {
  return program.addSubcommand(
    {
      name: 'demo',
      description:
        'Sync the built-in sample tenant from a local simulator into --file (no credentials needed)',
      fields: SYNC_STORE_FIELDS,
    },
    async (ctx) => {
      const server = await opts.startServer();
      ctx.logger.info(
        { baseUrl: server.baseUrl },
        'demo: started the xMatters simulator with the sample tenant',
      );
      try {
        const { baseUrl, username, password } = server;
        const report = await runXmattersSync({
          ...ctx,
          values: ctx.config.values,
          connection: { baseUrl, username, password },
        });
        printOutcome(ctx, report);
        if (ctx.config.values.output !== 'json') {
          ctx.io.stderr.write(
            `\nLook inside: npx ${opts.programName} inspect --file ${ctx.config.values.file}\n`,
          );
        }
      } finally {
        await server.close();
      }
    },
  );
}
