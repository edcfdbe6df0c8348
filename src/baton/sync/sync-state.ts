import { numberRecord, parseTallySnapshot, type TallySnapshot } from './sync-tally.js';

/**
 * The resumable state of a sync, stored in `v1_sync_runs.sync_token`.
 *
 * The JSON uses baton-sdk's V1 token keys (`actions_map`, `action_order`, `current_action_id`, ...) and its
 * operation names, so `baton syncs` shows a familiar token and a finished sync ends with the same "completed"
 * shape a Go connector leaves (docs/c1z-format.md, "Syncs inside a file" and "Resuming"). Readers never need
 * it to read data. While the sync is unfinished the token also holds what only a resume needs (Go readers
 * ignore unknown keys): `resume_fingerprint`, `tallies` and `work`; a finished token drops them.
 */
export type Operation =
  'list-resource-types' | 'list-resources' | 'list-entitlements' | 'list-grants' | 'grant-expansion';

export interface Action {
  id: number;
  operation: Operation;
  /** Root fan-out actions: index of the next stored resource to hand out. */
  page_token?: string;
  resource_type_id?: string;
  resource_id?: string;
}

export interface SyncState {
  /** A stack: the last action runs first, as in baton-sdk. */
  actions: Action[];
  currentActionId: number;
  completedActionsCount: number;
  skipEntitlementsAndGrants: boolean;
  /** A ConductorOne task may ask for resources and entitlements without grants. */
  skipGrants: boolean;
  /** Opaque identity of what is synced (the caller's hash of instance and account): resumed only by the same. */
  fingerprint?: string | undefined;
  /** Warnings and counters of the finished actions. */
  tallies?: TallySnapshot | undefined;
  /** Work done by the runs so far (requests, time...): added up over the runs of a resumed sync. */
  work?: Record<string, number> | undefined;
  /** Some grant carries GrantExpandable and expansion was not skipped (Go's `needs_expansion`). */
  needsExpansion?: boolean;
  /**
   * Grant rows of the sync when expansion first started (expansion only adds rows): saved before anything is
   * expanded, so that the derived grants of an expansion a killed run left half done are counted whole.
   */
  grantsBeforeExpansion?: number | undefined;
}

const TOKEN_VERSION = 1;
const pad = (id: number): string => String(id).padStart(10, '0');

export function initialState(skipEntitlementsAndGrants: boolean, skipGrants = false): SyncState {
  const state: SyncState = {
    actions: [],
    currentActionId: 0,
    completedActionsCount: 0,
    skipEntitlementsAndGrants,
    skipGrants,
  };
  // Pushed in reverse so that resource types run first (baton-sdk InitOp order).
  const order: Operation[] = skipEntitlementsAndGrants
    ? ['list-resources', 'list-resource-types']
    : skipGrants
      ? ['list-entitlements', 'list-resources', 'list-resource-types']
      : ['grant-expansion', 'list-grants', 'list-entitlements', 'list-resources', 'list-resource-types'];
  for (const operation of order) pushAction(state, { operation });
  return state;
}

export function pushAction(state: SyncState, action: Omit<Action, 'id'>): Action {
  state.currentActionId += 1;
  const full: Action = { id: state.currentActionId, ...action };
  state.actions.push(full);
  return full;
}

export function serializeState(state: SyncState, extraActions: readonly Action[] = []): string {
  const actions = [...state.actions, ...extraActions];
  const actionsMap: Record<string, Action> = {};
  for (const a of actions) actionsMap[pad(a.id)] = a;
  return JSON.stringify({
    ...(actions.length > 0 ? { actions_map: actionsMap, action_order: actions.map((a) => pad(a.id)) } : {}),
    current_action_id: state.currentActionId,
    ...(state.needsExpansion === true ? { needs_expansion: true } : {}),
    ...(state.skipEntitlementsAndGrants ? { should_skip_entitlements_and_grants: true } : {}),
    ...(state.skipGrants ? { should_skip_grants: true } : {}),
    completed_actions_count: state.completedActionsCount,
    ingest_quality: {},
    version: TOKEN_VERSION,
    ...(actions.length > 0 ? resumeOnly(state) : {}),
  });
}

function resumeOnly(state: SyncState): Record<string, unknown> {
  return {
    ...(state.fingerprint === undefined ? {} : { resume_fingerprint: state.fingerprint }),
    ...(state.tallies === undefined ? {} : { tallies: state.tallies }),
    ...(state.grantsBeforeExpansion === undefined
      ? {}
      : { grants_before_expansion: state.grantsBeforeExpansion }),
    ...(state.work === undefined ? {} : { work: state.work }),
  };
}

const OPERATIONS = new Set<string>([
  'list-resource-types',
  'list-resources',
  'list-entitlements',
  'list-grants',
  'grant-expansion',
]);

/**
 * Parses a token this engine wrote. Anything else (empty, another engine's V0 format, garbage) yields
 * undefined and the sync restarts from the beginning within the same sync id, as baton-sdk does.
 */
export function parseState(token: string): SyncState | undefined {
  if (!token) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(token);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const t = raw as Record<string, unknown>;
  if (t.version !== TOKEN_VERSION || typeof t.current_action_id !== 'number') return undefined;
  const map = (t.actions_map ?? {}) as Record<string, unknown>;
  const order = Array.isArray(t.action_order) ? (t.action_order as unknown[]) : [];
  const actions: Action[] = [];
  for (const key of order) {
    const a = typeof key === 'string' ? (map[key] as Partial<Action> | undefined) : undefined;
    if (!a || typeof a.id !== 'number' || typeof a.operation !== 'string' || !OPERATIONS.has(a.operation)) {
      return undefined;
    }
    actions.push({
      id: a.id,
      operation: a.operation,
      ...(typeof a.page_token === 'string' ? { page_token: a.page_token } : {}),
      ...(typeof a.resource_type_id === 'string' ? { resource_type_id: a.resource_type_id } : {}),
      ...(typeof a.resource_id === 'string' ? { resource_id: a.resource_id } : {}),
    });
  }
  // A finished sync has no actions left; treating it as resumable would be a bug upstream of here.
  if (actions.length === 0) return undefined;
  return {
    actions,
    currentActionId: t.current_action_id,
    completedActionsCount: typeof t.completed_actions_count === 'number' ? t.completed_actions_count : 0,
    skipEntitlementsAndGrants: t.should_skip_entitlements_and_grants === true,
    skipGrants: t.should_skip_grants === true,
    fingerprint: typeof t.resume_fingerprint === 'string' ? t.resume_fingerprint : undefined,
    tallies: parseTallySnapshot(t.tallies),
    work: numberRecord(t.work),
    ...(t.needs_expansion === true ? { needsExpansion: true } : {}),
    ...(typeof t.grants_before_expansion === 'number' && Number.isSafeInteger(t.grants_before_expansion)
      ? { grantsBeforeExpansion: t.grants_before_expansion }
      : {}),
  };
}
