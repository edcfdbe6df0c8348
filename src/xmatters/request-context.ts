import type { Dispatcher } from 'undici';
import type { AdaptiveLimiter } from './adaptive-limiter.js';
import type { RetryPolicy } from './retry-policy.js';

/** The pino-compatible subset the client logs through. */
export interface ClientLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Counters for the end-of-run summary. */
export interface ClientStats {
  /** HTTP requests sent, retries included. */
  requests: number;
  retries: number;
  /** Retries by reason: `http-429`, `http-503`, `timeout`, `reset`, `connect`, `socket`, … */
  retriesByReason: Record<string, number>;
  /** Total time spent waiting between attempts. */
  waitedMs: number;
  maxInFlightSeen: number;
  /** The limiter's effective concurrency now and its lowest value (it drops on 429). */
  concurrencyLimit: number;
  lowestConcurrencyLimit: number;
  /** Items dropped because an earlier page of the same listing already had them. */
  duplicatesSkipped: number;
  /** Extra listing passes made because the data changed while it was paged. */
  verificationPasses: number;
}

/** Everything one request needs; built once by XmattersClient. */
export interface RequestContext {
  readonly origin: string;
  readonly dispatcher: Dispatcher;
  readonly username: string;
  readonly headers: Record<string, string>;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly maxTotalWaitMs: number;
  readonly maxBodyBytes: number;
  readonly pageSize: number;
  readonly limiter: AdaptiveLimiter;
  readonly policy: RetryPolicy;
  readonly logger: ClientLogger | undefined;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random: () => number;
  readonly now: () => number;
  readonly stats: Omit<ClientStats, 'maxInFlightSeen' | 'concurrencyLimit' | 'lowestConcurrencyLimit'>;
}
