#!/usr/bin/env node
// The executable: wires the Baton CLI layer, the xMatters connector and the simulator together.
import { readFileSync } from 'node:fs';
import { BatonError, GrpcCode } from './baton/errors.js';
import { limitHeapGrowth } from './baton/heap-growth.js';
import { runServiceMode } from './baton/service/index.js';
import { configurationJson } from './baton/cli/config-schema.js';
import { inspect } from './baton/cli/inspect.js';
import { OUTPUT_FIELD } from './baton/cli/output-field.js';
import { createProgram, type CommandContext } from './baton/cli/program.js';
import { syncReportJson, writeSyncReport, type SyncReport } from './baton/cli/sync-report.js';
import { addDiffSubcommand } from './baton/review/diff-subcommand.js';
import { addReportSubcommand } from './baton/review/report-subcommand.js';
import { capabilitiesJson, connectorCapabilities } from './baton/sync/capabilities.js';
import { CONNECTOR_FIELDS } from './connector/config-fields.js';
import { refuseWriteModes } from './connector/refuse-write-modes.js';
import { RESOURCE_TYPE_IDS } from './connector/resource-types.js';
import { runXmattersSync } from './connector/run-xmatters-sync.js';
import { CONNECTOR_DISPLAY_NAME, XmattersConnector } from './connector/xmatters-connector.js';
import {
  XmattersSimulator,
  runSimulatorCommand,
  sampleTenant,
  SAMPLE_CREDENTIALS,
} from './simulator/index.js';
import { XmattersClient } from './xmatters/index.js';

const NAME = 'baton-xmatters';
const REPORT_URL = 'https://github.com/baton-xmatters/baton-xmatters/issues';

function readVersion(): string {
  // dist/main.js and src/main.ts both sit one level below package.json.
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

async function main(): Promise<number> {
  // Peak memory of a sync: the V8 heap stays near its live size (see heap-growth.ts).
  limitHeapGrowth();
  const controller = new AbortController();
  const stop = (signal: string) => () =>
    controller.abort(
      new BatonError(
        GrpcCode.CANCELLED,
        `interrupted by ${signal}; the previous file is unchanged. Run the same command again to resume ` +
          'the sync where it stopped.',
      ),
    );
  process.once('SIGINT', stop('SIGINT'));
  process.once('SIGTERM', stop('SIGTERM'));

  const program = createProgram({
    name: NAME,
    version: readVersion(),
    description: 'ConductorOne Baton connector for xMatters: syncs people, groups and group memberships',
    fields: [...CONNECTOR_FIELDS, OUTPUT_FIELD],
    // Both are checked with the config, before any request (and before service mode starts).
    resourceTypeIds: RESOURCE_TYPE_IDS,
    refuseModes: refuseWriteModes,
    env: process.env,
    cwd: process.cwd(),
    io: { stdout: process.stdout, stderr: process.stderr },
    signal: controller.signal,
    // The Authorization header carries base64(user:password): scrub that form too.
    deriveSecrets: (v) =>
      v.password ? [Buffer.from(`${String(v.username)}:${String(v.password)}`).toString('base64')] : [],
    reportUrl: REPORT_URL,
  });

  program.setDefaultAction(async (ctx) => {
    if (ctx.config.values['client-id'] !== '') return serviceMode(ctx);
    printOutcome(ctx, await runXmattersSync({ ...ctx, values: ctx.config.values }));
  });

  program.addSubcommand(
    { name: 'capabilities', description: 'Print the connector capabilities as JSON' },
    (ctx) => {
      // Capabilities describe the connector, not an instance: no credentials, no request.
      const connector = new XmattersConnector(
        new XmattersClient({
          baseUrl: 'https://capabilities.invalid/api/xm/1',
          username: 'x',
          password: 'x',
        }),
      );
      ctx.io.stdout.write(`${capabilitiesJson(connectorCapabilities(connector))}\n`);
      return connector.client.close();
    },
  );

  program.addSubcommand(
    { name: 'config', description: 'Print the connector configuration schema as JSON' },
    (ctx) => {
      ctx.io.stdout.write(`${configurationJson(program.fields, { displayName: CONNECTOR_DISPLAY_NAME })}\n`);
      return Promise.resolve();
    },
  );

  program
    .addSubcommand(
      { name: 'inspect', description: 'Show what a c1z file holds (never modifies it)' },
      async (ctx) => {
        const opts = ctx.command.opts<{
          syncId?: string;
          resources?: string;
          grants?: boolean;
          syncs?: boolean;
        }>();
        await inspect({
          file: String(ctx.config.values.file),
          output: ctx.config.values.output === 'json' ? 'json' : 'console',
          ...(opts.syncId === undefined ? {} : { syncId: opts.syncId }),
          ...(opts.resources === undefined ? {} : { resources: opts.resources }),
          grants: opts.grants === true,
          syncs: opts.syncs === true,
          stdout: ctx.io.stdout,
          env: process.env,
          ...(ctx.config.values['c1z-temp-dir'] === ''
            ? {}
            : { tmpDir: String(ctx.config.values['c1z-temp-dir']) }),
        });
      },
    )
    .option('--sync-id <id>', 'inspect this sync instead of the latest finished full sync')
    .option('--resources <type>', 'list the resources of this resource type (user, group, role)')
    .option('--grants', 'list the grants')
    .option('--syncs', 'list every sync in the file (id, type, started, ended) instead');

  addDiffSubcommand(program, { env: process.env });
  addReportSubcommand(program, {
    product: 'xMatters',
    command: NAME,
    version: readVersion(),
    labels: { member: 'Members', supervisor: 'Supervisors' },
    env: process.env,
  });

  program
    .addSubcommand(
      {
        name: 'simulator',
        description: 'Run a local xMatters API simulator for trying the connector by hand',
      },
      async (ctx) => {
        const o = ctx.command.opts<Record<string, string | undefined>>();
        // Integer and range checks happen in runSimulatorCommand, which names the flag it rejects.
        const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
        // Its flag errors are XmattersError CONFIG, which carries INVALID_ARGUMENT: they exit 3.
        await runSimulatorCommand({
          ...(o.tenant === undefined ? {} : { tenantFile: o.tenant }),
          ...defined({
            people: num(o.people),
            groups: num(o.groups),
            seed: num(o.seed),
            port: num(o.port),
            latencyMs: num(o.latencyMs),
            perItemLatencyMs: num(o.perItemLatencyMs),
            maxConcurrency: num(o.maxConcurrency),
            rateLimit: num(o.rateLimit),
            errorRate: num(o.errorRate),
            supervisorEmbedLimit: num(o.supervisorEmbedLimit),
          }),
          ...(o.rolesForbidden === undefined ? {} : { rolesForbidden: true }),
          ...(o.faults === undefined ? {} : { faultsFile: o.faults }),
          stdout: ctx.io.stdout,
          signal: ctx.signal,
        });
      },
    )
    .option('--tenant <file>', 'serve this tenant JSON file (format in src/simulator/README.md)')
    .option('--people <n>', 'generate a tenant with this many people')
    .option('--groups <n>', 'generate a tenant with this many groups')
    .option('--seed <n>', 'seed of the generated tenant')
    .option('--port <n>', 'port on 127.0.0.1 (default: any free port)')
    .option('--latency-ms <ms>', 'added to every response')
    .option('--per-item-latency-ms <ms>', 'added per item in a response')
    .option('--max-concurrency <n>', 'answer 429 above this many requests in flight')
    .option('--rate-limit <n>', 'answer 429 (with Retry-After) above this many requests per second')
    .option('--error-rate <share>', 'share (0-1) of requests answered with a random 5xx')
    .option('--faults <file>', 'a JSON file of fault rules')
    .option(
      '--supervisor-embed-limit <n>',
      'most supervisors a group carries under embed=supervisors (default 100)',
    )
    .option('--roles-forbidden', 'answer GET /roles with 403');

  program.addSubcommand(
    {
      name: 'demo',
      description:
        'Sync the built-in sample tenant from a local simulator into --file (no credentials needed)',
    },
    async (ctx) => {
      const sim = await XmattersSimulator.start({ tenant: sampleTenant() });
      ctx.logger.info(
        { baseUrl: sim.baseUrl },
        'demo: started the xMatters simulator with the sample tenant',
      );
      try {
        const outcome = await runXmattersSync({
          ...ctx,
          values: ctx.config.values,
          connection: {
            baseUrl: sim.baseUrl,
            username: SAMPLE_CREDENTIALS.username,
            password: SAMPLE_CREDENTIALS.password,
          },
        });
        printOutcome(ctx, outcome);
        if (ctx.config.values.output !== 'json') {
          ctx.io.stderr.write(
            `\nLook inside: npx ${NAME} inspect --file ${String(ctx.config.values.file)}\n`,
          );
        }
      } finally {
        await sim.close();
      }
    },
  );

  return program.run(process.argv.slice(2));
}

/** Long-running ConductorOne connector: syncs when ConductorOne asks and uploads the result. */
async function serviceMode(ctx: CommandContext): Promise<void> {
  const v = ctx.config.values;
  // Used for metadata and the /health check; each sync task builds its own client.
  const probe = new XmattersConnector(
    new XmattersClient({
      baseUrl: String(v['base-url']),
      username: String(v.username),
      password: String(v.password),
      logger: ctx.logger.child({ component: 'xmatters' }),
    }),
  );
  try {
    await runServiceMode({
      clientId: String(v['client-id']),
      clientSecret: String(v['client-secret']),
      ...(process.env.BATON_HOST_ID ? { hostId: process.env.BATON_HOST_ID } : {}),
      ...(process.env.BATON_C1_API_HOST ? { apiHostOverride: process.env.BATON_C1_API_HOST } : {}),
      taskConcurrency: Number(v['task-concurrency']),
      ...(v['c1z-temp-dir'] === '' ? {} : { tmpDir: String(v['c1z-temp-dir']) }),
      connectorMetadata: probe.metadata(),
      build: { package: NAME, packageVersion: readVersion() },
      runFullSync: async (req) => {
        const report = await runXmattersSync({
          ...ctx,
          signal: req.signal,
          skipGrants: req.skipGrants,
          skipExpandGrants: req.skipExpandGrants,
          values: {
            ...v,
            file: req.file,
            'c1z-temp-dir': req.tmpDir,
            'sync-resource-types': req.resourceTypeIds,
            'skip-entitlements-and-grants': req.skipEntitlementsAndGrants,
          },
        });
        ctx.logger.info(syncReportJson(report), 'sync task finished');
      },
      validate: (signal) => probe.validate(signal),
      logger: ctx.logger,
      signal: ctx.signal,
      ...(v['health-check'] === true
        ? {
            healthCheck: {
              port: Number(v['health-check-port']),
              bindAddress: String(v['health-check-bind-address']),
            },
          }
        : {}),
    });
  } finally {
    await probe.client.close();
  }
}

function printOutcome(ctx: CommandContext, report: SyncReport): void {
  ctx.progress.stop();
  writeSyncReport(ctx.io, report, ctx.config.values.output === 'json' ? 'json' : 'console');
}

function defined<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

const code = await main();
process.exitCode = code;
// Let stdout drain; a leftover keep-alive socket must not hold the process open.
setTimeout(() => process.exit(code), 1000).unref();
