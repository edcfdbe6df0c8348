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

/**
 * Bytes of packed rows posted and not yet committed above which ready() waits: bounds memory when SQLite is
 * slower than the producer, whatever the row size (a count of messages did not: 8 messages of big grants
 * are megabytes).
 */
export const DEFAULT_MAX_QUEUED_BYTES = 4 * 1024 * 1024;
/** Rows per posted message at most: one transaction of the worker stays short. */
const CHUNK_ROWS = 500;
/** What a statement message counts for at least (a sync token counts its text too): many of them also wait. */
const MESSAGE_BYTES = 1024;
/** Smallest packed buffer allocated; sizes are powers of two from here so that returned buffers fit again. */
const MIN_BUFFER_BYTES = 64 * 1024;

export interface WriteWorkerClientOptions {
  /** See DEFAULT_MAX_QUEUED_BYTES. */
  maxQueuedBytes?: number | undefined;
}

interface Waiter {
  /** Resolves when this holds. */
  done: () => boolean;
  resolve: () => void;
  reject: (e: Error) => void;
}

/**
 * The store's side of the write worker (write-worker.ts). Posting never waits: messages are committed by the
 * worker's connection one transaction each, in the order posted, so a checkpoint posted after rows is written
 * after them by construction. Waiting is asynchronous and the caller's choice: ready() for backpressure
 * (the queued bytes are below their bound), flush() before reading what was written. The event loop is never
 * blocked.
 *
 * Memory: the worker hands every packed buffer back once its rows are committed, and the next batches are
 * packed into those (the spare ones kept are bounded by the same byte bound). A buffer left to the worker's
 * garbage collector instead stays allocated until that isolate happens to collect, which is rare since the
 * worker allocates little on its own heap: tens of MiB on the large benchmark tenant.
 */
export class WriteWorkerClient {
  private readonly worker: Worker;
  private readonly maxQueuedBytes: number;
  /** Messages posted and not acknowledged. */
  private pending = 0;
  /** Bytes each posted message not acknowledged counts for, in posting order (see post()). */
  private readonly queued: number[] = [];
  private queuedTotal = 0;
  /** Buffers the worker returned, to pack the next batches into. */
  private spare: ArrayBuffer[] = [];
  private spareBytes = 0;
  private waiters: Waiter[] = [];
  private failure: Error | undefined;
  private exited = false;

  constructor(dbPath: string, cacheMiB: number, opts: WriteWorkerClientOptions = {}) {
    this.maxQueuedBytes = opts.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
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

  /** Bytes of packed rows posted and not yet committed (their buffers' sizes). */
  get queuedBytes(): number {
    return this.queuedTotal;
  }

  /** Queue rows of one table, packed in chunks (their buffers are handed over); throws an earlier failure. */
  postRows<R>(layout: RowLayout<R>, rows: readonly R[], syncId: string, discoveredAt: string): void {
    for (let at = 0; at < rows.length; at += CHUNK_ROWS) {
      const chunk = rows.slice(at, at + CHUNK_ROWS);
      const packed = packRows(layout, chunk, (n) => this.takeBuffer(n));
      const msg = {
        kind: 'rows',
        table: layout.table,
        packed,
        rows: chunk.length,
        syncId,
        discoveredAt,
      } as const;
      const buffer = packed.buffer as ArrayBuffer;
      this.post(msg, buffer.byteLength, [buffer]);
    }
  }

  /** Queue one statement, committed after everything posted before it. */
  run(statement: WorkerStatement, params: (string | number)[]): void {
    let bytes = MESSAGE_BYTES;
    for (const p of params) if (typeof p === 'string') bytes += 3 * p.length;
    this.post({ kind: 'run', statement, params }, bytes);
  }

  /** Resolves once the queued bytes are below their bound; rejects with the first write failure. */
  ready(): Promise<void> {
    return this.when(() => this.queuedTotal < this.maxQueuedBytes);
  }

  /** Resolves once everything posted is committed; rejects with the first write failure. */
  flush(): Promise<void> {
    return this.when(() => this.pending === 0);
  }

  /** Flush, close the worker's connection and end the thread. With `quiet`, a failure is not thrown. */
  async stop(quiet = false): Promise<void> {
    try {
      await this.flush();
      if (!this.exited) {
        this.post({ kind: 'close' }, 0);
        await this.flush();
      }
    } catch (e) {
      if (!quiet) throw e;
    } finally {
      await this.worker.terminate();
    }
  }

  private post(msg: WriteWorkerMessage, bytes: number, transfer: ArrayBuffer[] = []): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.pending++ === 0) this.worker.ref();
    this.queued.push(bytes);
    this.queuedTotal += bytes;
    this.worker.postMessage(msg, transfer);
  }

  /** A returned buffer of at least `minBytes`, else a new one (a power of two, so that it fits again later). */
  private takeBuffer(minBytes: number): Buffer {
    const i = this.spare.findIndex((b) => b.byteLength >= minBytes);
    if (i >= 0) {
      const [buffer] = this.spare.splice(i, 1);
      this.spareBytes -= buffer!.byteLength;
      return Buffer.from(buffer!);
    }
    let size = MIN_BUFFER_BYTES;
    while (size < minBytes) size *= 2;
    return Buffer.allocUnsafeSlow(size);
  }

  private onReply(reply: WriteWorkerReply): void {
    // After a failure nothing is waited for any more: what the worker acknowledges then was dropped.
    if (this.failure !== undefined) return;
    if (reply.kind === 'failed') {
      this.fail(writeWorkerError(reply.error));
      return;
    }
    this.queuedTotal -= this.queued.shift() ?? 0;
    const returned = reply.buffer;
    if (returned !== undefined && this.spareBytes + returned.byteLength <= this.maxQueuedBytes) {
      this.spare.push(returned);
      this.spareBytes += returned.byteLength;
    }
    if (--this.pending === 0) this.worker.unref();
    this.settleWaiters();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.pending = 0;
    this.queued.length = 0;
    this.queuedTotal = 0;
    this.worker.unref();
    this.settleWaiters();
  }

  private when(done: () => boolean): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ done, resolve, reject }));
  }

  private settleWaiters(): void {
    if (this.waiters.length === 0) return;
    const waiting: Waiter[] = [];
    for (const w of this.waiters) {
      if (this.failure !== undefined) w.reject(this.failure);
      else if (w.done()) w.resolve();
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
