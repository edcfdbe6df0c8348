import type { MessagePort } from 'node:worker_threads';

/** Slots of the shared Int32Array between the store and its write worker. */
export const CONTROL = {
  /** Messages posted and not yet handled by the worker. */
  pending: 0,
  /** Set once a write failed; the worker then drops everything after it. */
  failed: 1,
} as const;

export interface WriteWorkerData {
  dbPath: string;
  cacheMiB: number;
  control: SharedArrayBuffer;
  errors: MessagePort;
}

/** Rows of one table packed by row-batch.ts into `packed` (a transferred buffer). */
export type WriteWorkerMessage =
  | {
      kind: 'rows';
      table: 'v1_grants' | 'v1_resources';
      packed: Uint8Array;
      rows: number;
      syncId: string;
      discoveredAt: string;
    }
  | { kind: 'close' };

export interface WriteWorkerFailure {
  message: string;
  code: string | undefined;
}
