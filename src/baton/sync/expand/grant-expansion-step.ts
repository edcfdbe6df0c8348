import type { GrantExpansionStore } from '../../c1z/grant-expansion-store.js';
import type { SyncState } from '../sync-state.js';
import { expandGrants, type ExpansionOptions, type ExpansionStats } from './expand-grants.js';

export interface ExpansionStepOptions extends ExpansionOptions {
  /** Called once before expanding, only when there is something to expand. */
  onStart?: () => void;
}

/**
 * The sync's `grant-expansion` step: when some grant of the sync carries GrantExpandable, record
 * `needs_expansion` in the sync token (as baton-sdk does) and expand. Returns undefined when there is
 * nothing to expand.
 */
export function runGrantExpansion(
  store: GrantExpansionStore,
  state: SyncState,
  opts: ExpansionStepOptions,
): ExpansionStats | undefined {
  if (store.countExpandable() === 0) return undefined;
  state.needsExpansion = true;
  opts.onStart?.();
  return expandGrants(store, opts);
}
