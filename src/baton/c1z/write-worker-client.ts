import { Worker } from 'node:worker_threads';
import { RemoteError, type ErrorRecord } from '../../common/coded-error.js';
import { statusOfErrno } from '../classify-error.js';
import { packRows, type RowLayout } from './row-layout.js';
import type {
  WorkerStatement,
  WriteWorkerData,
  WriteWorkerMessage,
  WriteWorkerReply,
} from './write-worker-protocol.js';

/** Messages posted and not yet committed above which ready() waits: bounds memory when SQLite is slower. */
const MAX_PENDING = 8;
/** Rows per posted message at most, so that MAX_PENDING bounds bytes whatever batch size the caller uses. */
const CHUNK_ROWS = 500;

interface Waiter {
  below: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

/**
 * The store's side of the write worker (write-worker.ts). Posting never waits: messages are committed by the
 * worker's connection one transaction each, in the order posted, so a checkpoint posted after rows is written
 * after them by construction. Waiting is asynchronous and the caller's choice: ready() for backpressure
 * (the backlog is below its bound), flush() before reading what was written. The event loop is never blocked.
 */
export class WriteWorkerClient {
  private readonly worker: Worker;
  private pending = 0;
  private waiters: Waiter[] = [];
  private failure: Error | undefined;
  private exited = false;

  constructor(dbPath: string, cacheMiB: number) {
    const data: WriteWorkerData = { dbPath, cacheMiB };
    this.worker = new Worker(bootstrap(), { eval: true, workerData: data });
    this.worker.on('message', (reply: WriteWorkerReply) => this.onReply(reply));
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', () => {
      this.exited = true;
      if (this.pending > 0) this.fail(new Error('the write worker thread ended before its work was done'));
    });
    // Only pending work keeps the process alive (see post()).
    this.worker.unref();
  }

  /** Queue rows of one table, packed in chunks (their buffers are handed over); throws an earlier failure. */
  postRows<R>(layout: RowLayout<R>, rows: readonly R[], syncId: string, discoveredAt: string): void {
    for (let at = 0; at < rows.length; at += CHUNK_ROWS) {
      const chunk = rows.slice(at, at + CHUNK_ROWS);
      const packed = packRows(layout, chunk);
      const msg = {
        kind: 'rows',
        table: layout.table,
        packed,
        rows: chunk.length,
        syncId,
        discoveredAt,
      } as const;
      this.post(msg, [packed.buffer as ArrayBuffer]);
    }
  }

  /** Queue one statement, committed after everything posted before it. */
  run(statement: WorkerStatement, params: (string | number)[]): void {
    this.post({ kind: 'run', statement, params });
  }

  /** Resolves once the backlog is below its bound; rejects with the first write failure. */
  ready(): Promise<void> {
    return this.whenBelow(MAX_PENDING);
  }

  /** Resolves once everything posted is committed; rejects with the first write failure. */
  flush(): Promise<void> {
    return this.whenBelow(1);
  }

  /** Flush, close the worker's connection and end the thread. With `quiet`, a failure is not thrown. */
  async stop(quiet = false): Promise<void> {
    try {
      await this.flush();
      if (!this.exited) {
        this.post({ kind: 'close' });
        await this.flush();
      }
    } catch (e) {
      if (!quiet) throw e;
    } finally {
      await this.worker.terminate();
    }
  }

  private post(msg: WriteWorkerMessage, transfer: ArrayBuffer[] = []): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.pending++ === 0) this.worker.ref();
    this.worker.postMessage(msg, transfer);
  }

  private onReply(reply: WriteWorkerReply): void {
    // After a failure nothing is waited for any more: what the worker acknowledges then was dropped.
    if (this.failure !== undefined) return;
    if (reply.kind === 'failed') {
      this.fail(writeWorkerError(reply.error));
      return;
    }
    if (--this.pending === 0) this.worker.unref();
    this.settleWaiters();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.pending = 0;
    this.worker.unref();
    this.settleWaiters();
  }

  private whenBelow(below: number): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.pending < below) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ below, resolve, reject }));
  }

  private settleWaiters(): void {
    if (this.waiters.length === 0) return;
    const waiting: Waiter[] = [];
    for (const w of this.waiters) {
      if (this.failure !== undefined) w.reject(this.failure);
      else if (this.pending < w.below) w.resolve();
      else waiting.push(w);
    }
    this.waiters = waiting;
  }
}

/**
 * A failure the worker thread reported, rebuilt on this thread as a CodedError: the worker's own code and
 * status when it threw a CodedError, else WRITE_WORKER_FAILED with the status of its Node or SQLite code
 * (SQLITE_FULL or ENOSPC: RESOURCE_EXHAUSTED, which the store reports as a full working directory).
 */
export function writeWorkerError(record: ErrorRecord): RemoteError {
  return new RemoteError(
    record,
    { errorCode: 'WRITE_WORKER_FAILED', grpcStatus: statusOfErrno(record.code) },
    'writing to the working database failed: ',
  );
}

/**
 * The worker's entry code. Tests run the TypeScript sources through tsx, whose hooks do not reach a worker's
 * entry module, so the .ts build registers them first. A module that fails to load reports it like a failed
 * write instead of leaving the store waiting.
 */
function bootstrap(): string {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './write-worker.ts' : './write-worker.js', import.meta.url).href;
  const tsx = fromSource ? import.meta.resolve('tsx/esm/api') : '';
  return `(async () => {
  const { parentPort } = await import('node:worker_threads');
  try {
    if (${JSON.stringify(tsx)}) (await import(${JSON.stringify(tsx)})).register();
    await import(${JSON.stringify(entry)});
  } catch (e) {
    const error = { message: 'the write worker thread did not start: ' + (e && e.message) };
    parentPort.on('message', () => parentPort.postMessage({ kind: 'failed', error }));
  }
})();`;
}
