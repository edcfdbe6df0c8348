import type { CommandContext } from '../baton/cli/program.js';
import { syncReportJson } from '../baton/cli/sync-report.js';
import { runServiceMode } from '../baton/service/index.js';
import { XmattersClient } from '../xmatters/index.js';
import type { XmattersSyncSettings } from './config-fields.js';
import { runXmattersSync } from './run-xmatters-sync.js';
import { XmattersConnector, xmattersConnectorMetadata } from './xmatters-connector.js';

/** The program name and version ConductorOne shows for this connector. */
export interface BuildInfo {
  readonly package: string;
  readonly packageVersion: string;
}

/** Long-running ConductorOne connector: syncs when ConductorOne asks and uploads the result. */
export async function runXmattersService(
  ctx: CommandContext<XmattersSyncSettings>,
  build: BuildInfo,
): Promise<void> {
  const v = ctx.config.values;
  // The /health check's access probe; each sync task builds its own client.
  const probe = new XmattersConnector(
    new XmattersClient({
      baseUrl: v['base-url'],
      username: v.username,
      password: v.password,
      logger: ctx.logger.child({ component: 'xmatters' }),
    }),
  );
  try {
    await runServiceMode({
      clientId: v['client-id'],
      clientSecret: v['client-secret'],
      ...(v['host-id'] === '' ? {} : { hostId: v['host-id'] }),
      ...(v['c1-api-host'] === '' ? {} : { apiHostOverride: v['c1-api-host'] }),
      taskConcurrency: v['task-concurrency'],
      ...(v['c1z-temp-dir'] === '' ? {} : { tmpDir: v['c1z-temp-dir'] }),
      connectorMetadata: xmattersConnectorMetadata(),
      build,
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
      ...(v['health-check']
        ? {
            healthCheck: {
              port: v['health-check-port'],
              bindAddress: v['health-check-bind-address'],
            },
          }
        : {}),
    });
  } finally {
    await probe.client.close();
  }
}
