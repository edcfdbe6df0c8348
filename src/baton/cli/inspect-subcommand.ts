import type { Command } from 'commander';
import type { BatonSettings } from './default-fields.js';
import { defineFields } from './field.js';
import { inspect } from './inspect.js';
import { DECODER_FIELDS, decodeLimitsOf } from './store-fields.js';
import type { OutputSettings } from './output-field.js';
import type { BatonProgram } from './program.js';

/** inspect's own options and the decoder caps; --file, --output and --c1z-temp-dir are the program's. */
const INSPECT_FIELDS = defineFields([
  ...DECODER_FIELDS,
  {
    name: 'sync-id',
    type: 'string',
    optional: true,
    description: 'inspect this sync instead of the latest finished full sync',
    exportTarget: 'cli',
  },
  {
    name: 'resources',
    type: 'string',
    optional: true,
    description: 'list the resources of this resource type (user, group, role)',
    exportTarget: 'cli',
  },
  { name: 'grants', type: 'bool', description: 'list the grants', exportTarget: 'cli' },
  {
    name: 'syncs',
    type: 'bool',
    description: 'list every sync in the file (id, type, started, ended) instead',
    exportTarget: 'cli',
  },
]);

/** `<program> inspect`: what a c1z holds, read-only. */
export function addInspectSubcommand(program: BatonProgram<BatonSettings & OutputSettings>): Command {
  return program.addSubcommand(
    {
      name: 'inspect',
      description: 'Show what a c1z file holds (never modifies it)',
      fields: INSPECT_FIELDS,
    },
    async (ctx) => {
      const v = ctx.config.values;
      await inspect({
        file: v.file,
        output: v.output === 'json' ? 'json' : 'console',
        syncId: v['sync-id'],
        resources: v.resources,
        grants: v.grants,
        syncs: v.syncs,
        stdout: ctx.io.stdout,
        decodeLimits: decodeLimitsOf(v),
        tmpDir: v['c1z-temp-dir'] === '' ? undefined : v['c1z-temp-dir'],
      });
    },
  );
}
