import type { ErrorRecord } from '../../common/coded-error.js';
import type { WritableTable } from './row-layout.js';

export interface WriteWorkerData {
  dbPath: string;
  cacheMiB: number;
}

/** Single-row statements the worker runs in queue order (so after every row posted before them). */
export const WORKER_STATEMENTS = {
  checkpoint: 'UPDATE v1_sync_runs SET sync_token = ? WHERE sync_id = ?',
  supportsDiff: 'UPDATE v1_sync_runs SET supports_diff = 1 WHERE sync_id = ?',
} as const;

export type WorkerStatement = keyof typeof WORKER_STATEMENTS;

/** Store to worker. Each message is one transaction; the worker answers each with one WriteWorkerReply. */
export type WriteWorkerMessage =
  | {
      kind: 'rows';
      table: WritableTable;
      /** Rows packed by row-layout.ts (a transferred buffer). */
      packed: Uint8Array;
      rows: number;
      syncId: string;
      discoveredAt: string;
    }
  | { kind: 'run'; statement: WorkerStatement; params: (string | number)[] }
  | { kind: 'close' };

/** Worker to store: one per message, in order. After a failure the worker drops (and acknowledges) the rest. */
export type WriteWorkerReply =
  | {
      kind: 'done';
      /** The packed buffer of a rows message, handed back (transferred) for the store to pack into again. */
      buffer?: ArrayBuffer;
    }
  | { kind: 'failed'; error: ErrorRecord };
