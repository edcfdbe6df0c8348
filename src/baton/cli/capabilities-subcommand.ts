import type { Command } from 'commander';
import type { ConnectorCapabilities } from '../gen/c1/connector/v2/connector_pb.js';
import { capabilitiesJson } from '../sync/capabilities.js';
import type { BatonProgram } from './program.js';

/**
 * `<program> capabilities`: what the connector can do, from its static description (see capabilitiesOf);
 * no configuration, client or request.
 */
export function addCapabilitiesSubcommand(
  program: BatonProgram<object>,
  opts: { readonly capabilities: () => ConnectorCapabilities },
): Command {
  return program.addSubcommand(
    { name: 'capabilities', description: 'Print the connector capabilities as JSON' },
    (ctx) => {
      ctx.io.stdout.write(`${capabilitiesJson(opts.capabilities())}\n`);
      return Promise.resolve();
    },
  );
}
