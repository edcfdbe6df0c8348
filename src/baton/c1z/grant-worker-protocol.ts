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

/** `rows` grant rows packed by packGrantRows into `packed` (a transferred buffer). */
export type GrantWorkerMessage =
  | { kind: 'rows'; packed: Uint8Array; rows: number; syncId: string; discoveredAt: string }
  | { kind: 'close' };

export interface GrantWorkerFailure {
  message: string;
  code: string | undefined;
}
