import type { MessagePort } from 'node:worker_threads';

/** Slots of the shared Int32Array between the store and its grant worker. */
export const CONTROL = {
  /** Messages posted and not yet handled by the worker. */
  pending: 0,
  /** Set once a write failed; the worker then drops everything after it. */
  failed: 1,
} as const;

export interface GrantWorkerData {
  dbPath: string;
  cacheMiB: number;
  control: SharedArrayBuffer;
  errors: MessagePort;
}

export type GrantWorkerMessage = { kind: 'rows'; values: unknown[]; rows: number } | { kind: 'close' };

export interface GrantWorkerFailure {
  message: string;
  code: string | undefined;
}
