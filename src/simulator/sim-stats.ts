/** Counters of API traffic (admin requests excluded), readable in-process and at GET /_sim/stats. */
export interface SimStats {
  requests: number;
  byMethod: Record<string, number>;
  /** By method and path template, e.g. `GET /groups/{id}/members`. */
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  inFlight: number;
  maxConcurrency: number;
  /**
   * Mean API requests in flight, time-weighted from the first request's arrival to the last answer (0 before
   * any answer): a client allowed N in flight wastes capacity whenever this is below N.
   */
  meanInFlight: number;
  /** Milliseconds from the first request's arrival to the last answer (the span meanInFlight covers). */
  activeSpanMs: number;
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
    meanInFlight: 0,
    activeSpanMs: 0,
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

/**
 * The time integral of requests in flight, from the first arrival to the last answer. Changes arrive in time
 * order (one event loop), so the integral is exact: in-flight count times the time it held.
 */
export class InFlightClock {
  private firstAt: number | undefined;
  private lastChangeAt = 0;
  private lastAnswerAt: number | undefined;
  /** In-flight milliseconds up to lastChangeAt. */
  private area = 0;
  /** The area when the last answer left. */
  private areaAtLastAnswer = 0;

  /** `inFlight` is the count before this change of `delta` (+1 arrival, -1 answer) at time `at`. */
  change(inFlight: number, delta: 1 | -1, at: number): void {
    if (this.firstAt === undefined) {
      this.firstAt = at;
      this.lastChangeAt = at;
    }
    this.area += inFlight * (at - this.lastChangeAt);
    this.lastChangeAt = at;
    if (delta < 0) {
      this.lastAnswerAt = at;
      this.areaAtLastAnswer = this.area;
    }
  }

  get spanMs(): number {
    return this.firstAt === undefined || this.lastAnswerAt === undefined
      ? 0
      : this.lastAnswerAt - this.firstAt;
  }

  get mean(): number {
    const span = this.spanMs;
    return span > 0 ? this.areaAtLastAnswer / span : 0;
  }
}
