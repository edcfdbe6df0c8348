import type { Command } from 'commander';
import { defineFields } from '../baton/cli/field.js';
import type { BatonProgram } from '../baton/cli/program.js';

/**
 * The simulator's flags. Range checks happen in the simulator's own command, which names the flag it
 * rejects; here only the kinds (whole number, number) are checked.
 */
const SIMULATOR_FIELDS = defineFields([
  {
    name: 'tenant',
    type: 'string',
    optional: true,
    description: 'serve this tenant JSON file (format in src/simulator/README.md)',
    exportTarget: 'cli',
  },
  {
    name: 'people',
    type: 'int',
    optional: true,
    description: 'generate a tenant with this many people',
    exportTarget: 'cli',
  },
  {
    name: 'groups',
    type: 'int',
    optional: true,
    description: 'generate a tenant with this many groups',
    exportTarget: 'cli',
  },
  {
    name: 'seed',
    type: 'int',
    optional: true,
    description: 'seed of the generated tenant',
    exportTarget: 'cli',
  },
  {
    name: 'port',
    type: 'int',
    optional: true,
    description: 'port on 127.0.0.1 (default: any free port)',
    exportTarget: 'cli',
  },
  {
    name: 'latency-ms',
    type: 'number',
    optional: true,
    description: 'added to every response',
    exportTarget: 'cli',
  },
  {
    name: 'per-item-latency-ms',
    type: 'number',
    optional: true,
    description: 'added per item in a response',
    exportTarget: 'cli',
  },
  {
    name: 'max-concurrency',
    type: 'int',
    optional: true,
    description: 'answer 429 above this many requests in flight',
    exportTarget: 'cli',
  },
  {
    name: 'rate-limit',
    type: 'number',
    optional: true,
    description: 'answer 429 (with Retry-After) above this many requests per second',
    exportTarget: 'cli',
  },
  {
    name: 'error-rate',
    type: 'number',
    optional: true,
    description: 'share (0-1) of requests answered with a random 5xx',
    exportTarget: 'cli',
  },
  {
    name: 'faults',
    type: 'string',
    optional: true,
    description: 'a JSON file of fault rules',
    exportTarget: 'cli',
  },
  {
    name: 'supervisor-embed-limit',
    type: 'int',
    optional: true,
    description: 'most supervisors a group carries under embed=supervisors (default 100)',
    exportTarget: 'cli',
  },
  { name: 'roles-forbidden', type: 'bool', description: 'answer GET /roles with 403', exportTarget: 'cli' },
]);

/** What the simulator command is given (the simulator's own options type, which the connector may not import). */
export interface SimulatorRun {
  tenantFile: string | undefined;
  people: number | undefined;
  groups: number | undefined;
  seed: number | undefined;
  port: number | undefined;
  latencyMs: number | undefined;
  perItemLatencyMs: number | undefined;
  maxConcurrency: number | undefined;
  rateLimit: number | undefined;
  errorRate: number | undefined;
  faultsFile: string | undefined;
  supervisorEmbedLimit: number | undefined;
  rolesForbidden: boolean;
  stdout: { write(chunk: string): unknown };
  signal: AbortSignal;
}

/**
 * `<program> simulator`: a local xMatters API stand-in for trying the connector by hand. The connector may
 * not import the simulator (docs/architecture.md): main.ts hands in `run`, the simulator's command.
 */
export function addSimulatorSubcommand(
  program: BatonProgram<object>,
  opts: { readonly run: (run: SimulatorRun) => Promise<void> },
): Command {
  return program.addSubcommand(
    {
      name: 'simulator',
      description: 'Run a local xMatters API simulator for trying the connector by hand',
      fields: SIMULATOR_FIELDS,
    },
    async (ctx) => {
      const v = ctx.config.values;
      // Its flag errors are XmattersError CONFIG, which carries INVALID_ARGUMENT: they exit 3.
      await opts.run({
        tenantFile: v.tenant,
        people: v.people,
        groups: v.groups,
        seed: v.seed,
        port: v.port,
        latencyMs: v['latency-ms'],
        perItemLatencyMs: v['per-item-latency-ms'],
        maxConcurrency: v['max-concurrency'],
        rateLimit: v['rate-limit'],
        errorRate: v['error-rate'],
        faultsFile: v.faults,
        supervisorEmbedLimit: v['supervisor-embed-limit'],
        rolesForbidden: v['roles-forbidden'],
        stdout: ctx.io.stdout,
        signal: ctx.signal,
      });
    },
  );
}
