import type { Logger } from 'pino';
import type { Progress } from '../baton/cli/progress.js';
import { syncStoreOptionsOf } from '../baton/cli/store-fields.js';
import { countOf, formatCount } from '../baton/cli/summary.js';
import { expansionFigures, type SyncFigure, type SyncReport } from '../baton/cli/sync-report.js';
import { syncToFile, type SyncToFileResult } from '../baton/sync/sync-to-file.js';
import type { SyncPhase } from '../baton/sync/syncer.js';
import { XmattersClient } from '../xmatters/index.js';
import type { XmattersSyncSettings } from './config-fields.js';
import { instanceFingerprint } from './instance-fingerprint.js';
import { SUPERVISOR_LISTS_READ } from './group-supervisors.js';
import { nestedGroupGrants, skippedMembers } from './member-tally.js';
import { refuseWriteModes } from './refuse-write-modes.js';
import { ASSIGNED_ENTITLEMENT, MEMBER_ENTITLEMENT, SUPERVISOR_ENTITLEMENT } from './resource-types.js';
import { XmattersConnector } from './xmatters-connector.js';

export interface XmattersSyncOptions {
  values: XmattersSyncSettings;
  logger: Logger;
  progress: Progress;
  signal: AbortSignal;
  /** Overrides of the connection fields (the demo points them at its simulator). */
  connection?: { baseUrl: string; username: string; password: string };
  /** A ConductorOne task's `skip_grants`. */
  skipGrants?: boolean;
  /** A ConductorOne task's `skip_expand_grants`: nested-group grants are uploaded unexpanded. */
  skipExpandGrants?: boolean;
}

const PHASE_TEXT: Record<SyncPhase, string> = {
  'resource-types': 'syncing resource types',
  resources: 'syncing resources',
  entitlements: 'syncing entitlements',
  grants: 'syncing grants',
  expanding: 'expanding nested groups',
  finishing: 'finishing',
};

/** Warnings beyond this many are logged at debug only; all are counted in the summary. */
const WARNINGS_AT_WARN_LEVEL = 20;

/** The one-shot sync of xMatters into `--file`, with logs, a live status line and a summary. */
export async function runXmattersSync(opts: XmattersSyncOptions): Promise<SyncReport> {
  const { values, logger, progress } = opts;
  // The CLI refused these already for a sync; this covers `demo`, which needs no config check.
  refuseWriteModes(values);
  const started = Date.now();
  const client = new XmattersClient({
    baseUrl: opts.connection?.baseUrl ?? values['base-url'],
    username: opts.connection?.username ?? values.username,
    password: opts.connection?.password ?? values.password,
    maxInFlight: values['request-concurrency'],
    timeoutMs: values['request-timeout-seconds'] * 1000,
    maxAttempts: values['max-attempts'],
    maxTotalWaitMs: values['max-retry-wait-seconds'] * 1000,
    pageSize: values['page-size'],
    logger: logger.child({ component: 'xmatters' }),
  });
  const resourceTypeIds = values['sync-resource-types'];
  const listsGroups = resourceTypeIds.length === 0 || resourceTypeIds.includes('group');
  const readsGrants = !values['skip-entitlements-and-grants'] && opts.skipGrants !== true;
  const connector = new XmattersConnector(client, {
    readsRosters: listsGroups && readsGrants,
    syncEmails: values['sync-emails'],
    expandNestedGroups: values['expand-nested-groups'],
  });
  let warningsLogged = 0;
  let phase: SyncPhase = 'resource-types';
  let result: SyncToFileResult;
  try {
    result = await syncToFile({
      file: values.file,
      tmpDir: values['c1z-temp-dir'] === '' ? undefined : values['c1z-temp-dir'],
      connector,
      ...syncStoreOptionsOf(values),
      signal: opts.signal,
      resourceTypeIds,
      skipEntitlementsAndGrants: values['skip-entitlements-and-grants'],
      skipGrants: opts.skipGrants === true,
      skipExpandGrants: opts.skipExpandGrants === true,
      skipFullSync: values['skip-full-sync'],
      // Keep a few more resources in progress than requests allowed in flight, so the limiter stays busy.
      concurrency: values['request-concurrency'] * 2,
      onValidated: () => logger.info({ file: values.file }, 'credentials accepted, starting sync'),
      resumeFingerprint: instanceFingerprint(client),
      onDiscarded: ({ syncId, startedAt }) =>
        logger.info(
          { syncId, startedAt },
          'an unfinished sync in the working database was started against another xMatters instance or account: discarded, starting a fresh sync',
        ),
      // Added up over the runs of a resumed sync, so the summary describes the whole sync.
      workCounters: () => {
        const s = client.stats();
        return { requests: s.requests, retries: s.retries, wall_ms: Date.now() - started };
      },
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
    thisRun: { requests: stats.requests, retries: stats.retries, wall_ms: wallMs },
    figures: xmattersFigures(result, connector.groups.expandsNestedGroups),
  };
}

function unitOf(p: SyncPhase, detail: Record<string, unknown>): string {
  if (p === 'resources')
    return `${typeof detail.resourceTypeId === 'string' ? detail.resourceTypeId : 'resource'}s`;
  // Groups and roles have entitlements and grants here (the user type skips them).
  if (p === 'entitlements' || p === 'grants') return 'groups and roles';
  if (p === 'expanding') return 'group pairs';
  return '';
}

/**
 * What the summaries show of an xMatters sync, in display order; src/baton/cli/sync-report.ts adds the
 * generic head and tail (sync id, file, warnings, requests, wall time). Console text and JSON keys are
 * outputs people and scripts read: change them only on purpose.
 */
function xmattersFigures(result: SyncToFileResult, expandsNestedGroups: boolean): SyncFigure[] {
  const skipped = skippedMembers(result.counters);
  const users = activity(result, 'user');
  const groups = activity(result, 'group');
  const roles = result.resourcesByType.role ?? 0;
  const supervisorGrants = grantsOf(result, SUPERVISOR_ENTITLEMENT);
  const roleGrants = grantsOf(result, ASSIGNED_ENTITLEMENT);
  const nested = nestedGroupGrants(result.counters);
  return [
    { console: ['users', activityText(users)], json: ['users', users] },
    { console: ['groups', activityText(groups)], json: ['groups', groups] },
    { console: ['roles', formatCount(roles)], json: ['roles', roles] },
    { console: ['entitlements', result.entitlements], json: ['entitlements', result.entitlements] },
    { console: ['grants', result.grants], json: ['grants', result.grants] },
    // Member grants read from rosters (nested-group grants included, derived grants not).
    { json: ['member_grants', grantsOf(result, MEMBER_ENTITLEMENT)] },
    { console: ['supervisor grants', supervisorGrants], json: ['supervisor_grants', supervisorGrants] },
    { console: ['role grants', roleGrants], json: ['role_grants', roleGrants] },
    // Groups whose supervisors did not all fit in the groups listing and were read on their own.
    { json: ['supervisor_lists_read', result.counters[SUPERVISOR_LISTS_READ] ?? 0] },
    {
      console: [
        'skipped members',
        [
          countOf(skipped.GROUP, 'nested group'),
          countOf(skipped.DEVICE, 'device'),
          countOf(skipped.DYNAMIC_TEAM, 'dynamic team'),
        ].join(', '),
      ],
      json: [
        'skipped_members',
        { group: skipped.GROUP, device: skipped.DEVICE, dynamic_team: skipped.DYNAMIC_TEAM },
      ],
    },
    // Group-in-group grants written with --expand-nested-groups; 0 in JSON without the flag.
    expandsNestedGroups
      ? { console: ['nested-group grants', nested], json: ['nested_group_grants', nested] }
      : { json: ['nested_group_grants', nested] },
    ...expansionFigures(result, expandsNestedGroups),
  ];
}

const grantsOf = (result: SyncToFileResult, slug: string): number => result.grantsBySlug[slug] ?? 0;

/** How many resources of a type there are, by xMatters status. */
export interface Activity {
  total: number;
  active: number;
  inactive: number;
  /** Any other status (synced as unspecified): counted, so that the parts always add up to the total. */
  other: number;
}

/**
 * ACTIVE maps to enabled and INACTIVE to disabled (user-resource.ts, group-resource.ts); every other status
 * xMatters may send maps to unspecified and is counted as `other`.
 */
function activity(result: SyncToFileResult, type: string): Activity {
  const byStatus = result.resourcesByStatus[type] ?? {};
  const total = result.resourcesByType[type] ?? 0;
  const active = byStatus.ENABLED ?? 0;
  const inactive = byStatus.DISABLED ?? 0;
  return { total, active, inactive, other: total - active - inactive };
}

/** "9 (2 active, 1 inactive, 6 other)"; the `other` part only when there are any. */
function activityText(a: Activity): string {
  const other = a.other > 0 ? `, ${formatCount(a.other)} other` : '';
  return `${formatCount(a.total)} (${formatCount(a.active)} active, ${formatCount(a.inactive)} inactive${other})`;
}
