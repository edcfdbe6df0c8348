import type { Logger } from 'pino';
import type { FieldValue } from '../baton/cli/field.js';
import type { Progress } from '../baton/cli/progress.js';
import { countOf, formatCount, type SyncSummary } from '../baton/cli/summary.js';
import { syncToFile, type SyncToFileResult } from '../baton/sync/sync-to-file.js';
import type { SyncPhase } from '../baton/sync/syncer.js';
import { XmattersClient, type ClientStats } from '../xmatters/index.js';
import { instanceFingerprint } from './instance-fingerprint.js';
import { SUPERVISOR_LISTS_READ } from './group-supervisors.js';
import { nestedGroupGrants, skippedMembers } from './member-tally.js';
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
  /** A ConductorOne task's `skip_expand_grants`: nested-group grants are uploaded unexpanded. */
  skipExpandGrants?: boolean;
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
  expanding: 'expanding nested groups',
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
  const resourceTypeIds = values['sync-resource-types'];
  const listsGroups =
    !Array.isArray(resourceTypeIds) || resourceTypeIds.length === 0 || resourceTypeIds.includes('group');
  const readsGrants = values['skip-entitlements-and-grants'] !== true && opts.skipGrants !== true;
  const connector = new XmattersConnector(client, {
    readsRosters: listsGroups && readsGrants,
    syncEmails: values['sync-emails'] === true,
    expandNestedGroups: values['expand-nested-groups'] === true,
  });
  let warningsLogged = 0;
  let phase: SyncPhase = 'resource-types';
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
      skipExpandGrants: opts.skipExpandGrants === true,
      skipFullSync: values['skip-full-sync'] === true,
      // Keep a few more resources in progress than requests allowed in flight, so the limiter stays busy.
      concurrency: Number(values['request-concurrency']) * 2,
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
  const thisRun = { requests: stats.requests, retries: stats.retries, wall_ms: wallMs };
  return {
    result,
    summary: summarize(result, thisRun, connector.groups.expandsNestedGroups),
    details: details(result, thisRun),
    client: stats,
    wallMs,
  };
}

/** Requests, retries and wall time of one run (the work the engine adds up over the runs of a sync). */
export interface RunWork {
  requests: number;
  retries: number;
  wall_ms: number;
}

/** The whole sync's work: this run's plus, after a resume, the earlier runs' (saved with the checkpoints). */
function wholeSync(result: SyncToFileResult, thisRun: RunWork): RunWork {
  const earlier = (key: keyof RunWork): number => result.earlierRuns[key] ?? 0;
  return {
    requests: earlier('requests') + thisRun.requests,
    retries: earlier('retries') + thisRun.retries,
    wall_ms: earlier('wall_ms') + thisRun.wall_ms,
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
 * The console summary. Every figure describes the finished sync as a whole: after a resume, the skipped
 * members, warnings, requests, retries and wall time of the earlier runs are included, and the `resumed`
 * line says what this run alone did.
 */
function summarize(result: SyncToFileResult, thisRun: RunWork, expandsNestedGroups: boolean): SyncSummary {
  const skipped = skippedMembers(result.counters);
  const whole = wholeSync(result, thisRun);
  return {
    syncId: result.syncId,
    syncType: result.syncType,
    file: result.file,
    fileBytes: result.fileBytes,
    wallMs: whole.wall_ms,
    counts: {
      users: activityText(activity(result, 'user')),
      groups: activityText(activity(result, 'group')),
      roles: formatCount(result.resourcesByType.role ?? 0),
      entitlements: result.entitlements,
      grants: result.grants,
      'supervisor grants': grantsOf(result, SUPERVISOR_ENTITLEMENT),
      'role grants': grantsOf(result, ASSIGNED_ENTITLEMENT),
      'skipped members': [
        countOf(skipped.GROUP, 'nested group'),
        countOf(skipped.DEVICE, 'device'),
        countOf(skipped.DYNAMIC_TEAM, 'dynamic team'),
      ].join(', '),
      ...(expandsNestedGroups
        ? {
            'nested-group grants': nestedGroupGrants(result.counters),
            'derived grants': expansionText(result),
          }
        : {}),
      requests: whole.requests,
      retries: whole.retries,
      ...(result.resumed
        ? {
            resumed:
              `yes (continued an interrupted sync; this run: ${formatCount(thisRun.requests)} ` +
              `requests, ${formatCount(thisRun.retries)} retries, ${(thisRun.wall_ms / 1000).toFixed(1)} s)`,
          }
        : {}),
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
  users: Activity;
  groups: Activity;
  roles: number;
  entitlements: number;
  grants: number;
  /** Grants of the whole sync, by kind. */
  member_grants: number;
  supervisor_grants: number;
  role_grants: number;
  /** Groups whose supervisors did not all fit in the groups listing and were read on their own. */
  supervisor_lists_read: number;
  skipped_members: { group: number; device: number; dynamic_team: number };
  /** Group-in-group grants written (--expand-nested-groups); 0 without the flag. */
  nested_group_grants: number;
  /**
   * Grants made by expansion: people of nested groups as members of the outer groups (in `grants`, not in
   * `member_grants`, which counts the grants read from rosters, nested-group grants included).
   */
  derived_grants: number;
  /** Direct grants that expansion also reached (they gained sources). */
  direct_grants_also_derived: number;
  expansion_ms: number;
  warnings: number;
  warnings_by_kind: Record<string, number>;
  /** Of the whole sync: after a resume, the earlier runs' are included (see this_run). */
  requests: number;
  retries: number;
  wall_ms: number;
  /** What this run alone did; differs from the figures above only after a resume. */
  this_run: RunWork;
  /** The process's peak resident set size so far (maxRSS), for capacity planning and the benchmark. */
  peak_rss_bytes: number;
}

/** The `--output json` summary: the same whole-sync figures as the console one. */
function details(result: SyncToFileResult, thisRun: RunWork): SyncDetails {
  const skipped = skippedMembers(result.counters);
  const whole = wholeSync(result, thisRun);
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
    supervisor_lists_read: result.counters[SUPERVISOR_LISTS_READ] ?? 0,
    skipped_members: {
      group: skipped.GROUP,
      device: skipped.DEVICE,
      dynamic_team: skipped.DYNAMIC_TEAM,
    },
    nested_group_grants: nestedGroupGrants(result.counters),
    derived_grants: result.expansion?.derivedGrants ?? 0,
    direct_grants_also_derived: result.expansion?.directGrantsWithSources ?? 0,
    expansion_ms: result.expansion?.ms ?? 0,
    warnings: result.warnings,
    warnings_by_kind: result.warningsByKind,
    requests: whole.requests,
    retries: whole.retries,
    wall_ms: whole.wall_ms,
    this_run: thisRun,
    peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
  };
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

/** Derived grants, with what else expansion did worth knowing. */
function expansionText(result: SyncToFileResult): string {
  const e = result.expansion;
  if (e === undefined) return '0';
  const extra = [
    e.directGrantsWithSources > 0 ? `${countOf(e.directGrantsWithSources, 'direct grant')} also derived` : '',
    e.cycles > 0 ? countOf(e.cycles, 'cycle') : '',
    `${(e.ms / 1000).toFixed(1)} s`,
  ].filter((x) => x !== '');
  return `${formatCount(e.derivedGrants)} (${extra.join(', ')})`;
}
