import type { Logger } from 'pino';
import type { FieldValue } from '../baton/cli/field.js';
import type { Progress } from '../baton/cli/progress.js';
import type { SyncSummary } from '../baton/cli/summary.js';
import { syncToFile, type SyncToFileResult } from '../baton/sync/sync-to-file.js';
import type { SyncPhase } from '../baton/sync/syncer.js';
import { XmattersClient, type ClientStats } from '../xmatters/index.js';
import { refuseWriteModes } from './refuse-write-modes.js';
import { ASSIGNED_ENTITLEMENT, MEMBER_ENTITLEMENT, SUPERVISOR_ENTITLEMENT } from './resource-types.js';
import { XmattersConnector } from './xmatters-connector.js';

export interface XmattersSyncOptions {
  values: Readonly<Record<string, FieldValue>>;
  logger: Logger;
  progress: Progress;
  signal: AbortSignal;
  /** Overrides of the connection fields (the demo points them at its simulator). */
  connection?: { baseUrl: string; username: string; password: string };
  /** A ConductorOne task's `skip_grants`. */
  skipGrants?: boolean;
}

export interface XmattersSyncOutcome {
  result: SyncToFileResult;
  summary: SyncSummary;
  /** The machine-readable summary printed by `--output json`. */
  details: SyncDetails;
  client: ClientStats;
  wallMs: number;
}

const PHASE_TEXT: Record<SyncPhase, string> = {
  'resource-types': 'syncing resource types',
  resources: 'syncing resources',
  entitlements: 'syncing entitlements',
  grants: 'syncing grants',
  finishing: 'finishing',
};

/** Warnings beyond this many are logged at debug only; all are counted in the summary. */
const WARNINGS_AT_WARN_LEVEL = 20;

/** The one-shot sync of xMatters into `--file`, with logs, a live status line and a summary. */
export async function runXmattersSync(opts: XmattersSyncOptions): Promise<XmattersSyncOutcome> {
  const { values, logger, progress } = opts;
  // The CLI refused these already for a sync; this covers `demo`, which needs no config check.
  refuseWriteModes(values);
  const started = Date.now();
  const client = new XmattersClient({
    baseUrl: opts.connection?.baseUrl ?? String(values['base-url']),
    username: opts.connection?.username ?? String(values.username),
    password: opts.connection?.password ?? String(values.password),
    maxInFlight: Number(values['request-concurrency']),
    timeoutMs: Number(values['request-timeout-seconds']) * 1000,
    maxAttempts: Number(values['max-attempts']),
    maxTotalWaitMs: Number(values['max-retry-wait-seconds']) * 1000,
    pageSize: Number(values['page-size']),
    logger: logger.child({ component: 'xmatters' }),
  });
  const connector = new XmattersConnector(client, { syncEmails: values['sync-emails'] === true });
  let warningsLogged = 0;
  let phase: SyncPhase = 'resource-types';
  const resourceTypeIds = values['sync-resource-types'];
  let result: SyncToFileResult;
  try {
    result = await syncToFile({
      file: String(values.file),
      tmpDir: values['c1z-temp-dir'] === '' ? undefined : String(values['c1z-temp-dir']),
      connector,
      signal: opts.signal,
      resourceTypeIds: Array.isArray(resourceTypeIds) ? resourceTypeIds : [],
      skipEntitlementsAndGrants: values['skip-entitlements-and-grants'] === true,
      skipGrants: opts.skipGrants === true,
      skipFullSync: values['skip-full-sync'] === true,
      // Keep a few more resources in progress than requests allowed in flight, so the limiter stays busy.
      concurrency: Number(values['request-concurrency']) * 2,
      onValidated: () => logger.info({ file: values.file }, 'credentials accepted, starting sync'),
      onPhase: (p, detail) => {
        phase = p;
        logger.info(detail, PHASE_TEXT[p]);
        progress.update({ phase: PHASE_TEXT[p], done: 0, unit: unitOf(p, detail) });
      },
      onProgress: (p) => {
        const stats = client.stats();
        progress.update({
          phase: PHASE_TEXT[p.phase],
          done: p.done,
          ...(p.total === undefined ? {} : { total: p.total }),
          requests: stats.requests,
          retries: stats.retries,
        });
      },
      onWarning: (w) => {
        warningsLogged += 1;
        const level = warningsLogged <= WARNINGS_AT_WARN_LEVEL ? 'warn' : 'debug';
        logger[level]({ kind: w.kind, phase }, w.message);
      },
    });
  } finally {
    await client.close();
  }
  const stats = client.stats();
  const wallMs = Date.now() - started;
  logger.info(
    {
      requests: stats.requests,
      retries: stats.retries,
      retriesByReason: stats.retriesByReason,
      waitedMs: stats.waitedMs,
    },
    'xmatters requests finished',
  );
  return {
    result,
    summary: summarize(connector, result, stats, wallMs),
    details: details(connector, result, stats, wallMs),
    client: stats,
    wallMs,
  };
}

function unitOf(p: SyncPhase, detail: Record<string, unknown>): string {
  if (p === 'resources')
    return `${typeof detail.resourceTypeId === 'string' ? detail.resourceTypeId : 'resource'}s`;
  // Groups and roles have entitlements and grants here (the user type skips them).
  if (p === 'entitlements' || p === 'grants') return 'groups and roles';
  return '';
}

function summarize(
  connector: XmattersConnector,
  result: SyncToFileResult,
  stats: ClientStats,
  wallMs: number,
): SyncSummary {
  const skipped = connector.tally.skipped;
  const users = activity(result, 'user');
  const groups = activity(result, 'group');
  return {
    syncId: result.syncId,
    syncType: result.syncType,
    file: result.file,
    fileBytes: result.fileBytes,
    wallMs,
    counts: {
      users: `${users.total} (${users.active} active, ${users.inactive} inactive)`,
      groups: `${groups.total} (${groups.active} active, ${groups.inactive} inactive)`,
      roles: result.resourcesByType.role ?? 0,
      entitlements: result.entitlements,
      grants: result.grants,
      'supervisor grants': grantsOf(result, SUPERVISOR_ENTITLEMENT),
      'role grants': grantsOf(result, ASSIGNED_ENTITLEMENT),
      'skipped members': `${skipped.GROUP} nested groups, ${skipped.DEVICE} devices, ${skipped.DYNAMIC_TEAM} dynamic teams`,
      requests: stats.requests,
      retries: stats.retries,
      ...(result.resumed ? { resumed: 'yes (continued an interrupted sync)' } : {}),
    },
    warnings: result.warnings,
    warningSamples: result.warningSamples,
  };
}

export interface SyncDetails {
  sync_id: string;
  sync_type: string;
  resumed: boolean;
  file: string;
  file_bytes: number;
  users: { total: number; active: number; inactive: number };
  groups: { total: number; active: number; inactive: number };
  roles: number;
  entitlements: number;
  grants: number;
  /** Grants written by this run, by kind. */
  member_grants: number;
  supervisor_grants: number;
  role_grants: number;
  /** Groups whose supervisors did not all fit in the groups listing and were read on their own. */
  supervisor_lists_read: number;
  skipped_members: { group: number; device: number; dynamic_team: number };
  warnings: number;
  warnings_by_kind: Record<string, number>;
  requests: number;
  retries: number;
  wall_ms: number;
  /** The process's peak resident set size so far (maxRSS), for capacity planning and the benchmark. */
  peak_rss_bytes: number;
}

function details(
  connector: XmattersConnector,
  result: SyncToFileResult,
  stats: ClientStats,
  wallMs: number,
): SyncDetails {
  const { tally } = connector;
  return {
    sync_id: result.syncId,
    sync_type: result.syncType,
    resumed: result.resumed,
    file: result.file,
    file_bytes: result.fileBytes,
    users: activity(result, 'user'),
    groups: activity(result, 'group'),
    roles: result.resourcesByType.role ?? 0,
    entitlements: result.entitlements,
    grants: result.grants,
    member_grants: grantsOf(result, MEMBER_ENTITLEMENT),
    supervisor_grants: grantsOf(result, SUPERVISOR_ENTITLEMENT),
    role_grants: grantsOf(result, ASSIGNED_ENTITLEMENT),
    supervisor_lists_read: tally.supervisorFallbacks,
    skipped_members: {
      group: tally.skipped.GROUP,
      device: tally.skipped.DEVICE,
      dynamic_team: tally.skipped.DYNAMIC_TEAM,
    },
    warnings: result.warnings,
    warnings_by_kind: result.warningsByKind,
    requests: stats.requests,
    retries: stats.retries,
    wall_ms: wallMs,
    peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
  };
}

const grantsOf = (result: SyncToFileResult, slug: string): number => result.grantsBySlug[slug] ?? 0;

/** ACTIVE maps to enabled and INACTIVE to disabled (user-resource.ts, group-resource.ts). */
function activity(
  result: SyncToFileResult,
  type: string,
): { total: number; active: number; inactive: number } {
  const byStatus = result.resourcesByStatus[type] ?? {};
  return {
    total: result.resourcesByType[type] ?? 0,
    active: byStatus.ENABLED ?? 0,
    inactive: byStatus.DISABLED ?? 0,
  };
}
