import type { CommandAction } from '../baton/cli/program.js';
import type { XmattersSyncSettings } from './config-fields.js';
import { printOutcome } from './print-outcome.js';
import { runXmattersSync } from './run-xmatters-sync.js';
import { runXmattersService, type BuildInfo } from './service-action.js';

/** The command without a subcommand: service mode when --client-id is set, else one sync into --file. */
export function xmattersSyncAction(build: BuildInfo): CommandAction<XmattersSyncSettings> {
  return async (ctx) => {
    if (ctx.config.values['client-id'] !== '') return runXmattersService(ctx, build);
    printOutcome(ctx, await runXmattersSync({ ...ctx, values: ctx.config.values }));
  };
}
