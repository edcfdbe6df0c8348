/** Counters of API traffic (admin requests excluded), readable in-process and at GET /_sim/stats. */
export interface SimStats {
  requests: number;
  byMethod: Record<string, number>;
  /** By method and path template, e.g. `GET /groups/{id}/members`. */
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  inFlight: number;
  maxConcurrency: number;
  /** Sum of per-request handling time, injected latency included. */
  serviceTimeMs: number;
  /** Requests with any method but GET; a read-only client keeps this at 0. */
  nonGetRequests: number;
  /** Non-GET requests since the simulator started: `resetStats()` does not clear it. */
  lifetimeNonGetRequests: number;
  /** TCP connections accepted (keep-alive reuse shows as few connections for many requests). */
  connections: number;
  /** 401 answers (missing or wrong credentials). */
  authFailures: number;
  /** 403 answers (a user without permission). */
  permissionDenied: number;
  /** Items returned in list `data` arrays. */
  itemsServed: number;
  /** Injected faults by action type (`status`, `reset`, `concurrency-429`, `rate-429`, …). */
  faults: Record<string, number>;
}

export function emptyStats(): SimStats {
  return {
    requests: 0,
    byMethod: {},
    byRoute: {},
    byStatus: {},
    inFlight: 0,
    maxConcurrency: 0,
    serviceTimeMs: 0,
    nonGetRequests: 0,
    lifetimeNonGetRequests: 0,
    connections: 0,
    authFailures: 0,
    permissionDenied: 0,
    itemsServed: 0,
    faults: {},
  };
}

export const bump = (m: Record<string, number>, key: string, n = 1): void => {
  m[key] = (m[key] ?? 0) + n;
};
