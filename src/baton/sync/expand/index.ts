export { EntitlementGraph, type EdgeSpec, type GraphNode } from './entitlement-graph.js';
export {
  DEFAULT_MAX_DEPTH,
  expandGrants,
  type ExpansionOptions,
  type ExpansionStats,
} from './expand-grants.js';
export { runGrantExpansion, type ExpansionStepOptions } from './grant-expansion-step.js';
