import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { BatonError, GrpcCode } from '../errors.js';
import type { GrantRow } from './grant-row.js';
import { packGrantRows, packResourceRows, type ResourceRow } from './row-batch.js';
import { CONTROL } from './write-worker-protocol.js';
import type { WriteWorkerData, WriteWorkerFailure, WriteWorkerMessage } from './write-worker-protocol.js';

/** Batches posted and not yet committed before a post waits: bounds memory when SQLite is the slower side. */
const MAX_PENDING = 8;
/** Rows per posted batch at most, so that MAX_PENDING bounds bytes whatever batch size the caller uses. */
const CHUNK_ROWS = 500;
/** A worker that makes no progress for this long is gone (it cannot tell us while we block). */
const STALL_MS = 120_000;

/**
 * The store's side of the write worker (write-worker.ts). Batches are posted and committed in order by the
 * worker's own connection; drain() blocks (Atomics.wait on a shared counter) until all are committed, so the
 * store's other operations, checkpoints above all, only ever see rows that are really written: the sync
 * token never claims rows that a crash could still lose.
 */
export class WriteWorkerClient {
  private readonly worker: Worker;
  private readonly control: Int32Array;
  private readonly errors: MessagePort;
  private failure: Error | undefined;
  private stopped = false;

  constructor(dbPath: string, cacheMiB: number) {
    const shared = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
    this.control = new Int32Array(shared);
    const { port1, port2 } = new MessageChannel();
    this.errors = port1;
    const data: WriteWorkerData = { dbPath, cacheMiB, control: shared, errors: port2 };
    this.worker = new Worker(bootstrap(), { eval: true, workerData: data, transferList: [port2] });
    // The store's callers wait on the counter, never on the thread: it must not keep the process alive.
    this.worker.unref();
    this.errors.unref();
  }

  /** Queue grant rows (their packed buffers are handed over); throws if an earlier batch failed. */
  postGrants(rows: readonly GrantRow[], syncId: string, discoveredAt: string): void {
    this.postRows('v1_grants', rows, packGrantRows, syncId, discoveredAt);
  }

  /** Queue resource rows, like postGrants. */
  postResources(rows: readonly ResourceRow[], syncId: string, discoveredAt: string): void {
    this.postRows('v1_resources', rows, packResourceRows, syncId, discoveredAt);
  }

  /** Block until every posted batch is committed; throws the first failure. */
  drain(): void {
    this.waitBelow(1);
    this.throwIfFailed();
  }

  /** Drain, close the worker's connection and end the thread. With `quiet`, a failure is not thrown. */
  stop(quiet = false): void {
    if (this.stopped) return;
    this.stopped = true;
    try {
      this.waitBelow(1);
      if (Atomics.load(this.control, CONTROL.failed) === 0) {
        this.send({ kind: 'close' });
        this.waitBelow(1);
      }
    } finally {
      void this.worker.terminate();
      this.errors.close();
    }
    if (!quiet) this.throwIfFailed();
  }

  /** Posts `rows` in chunks of CHUNK_ROWS, each packed only once the backlog has room for it. */
  private postRows<R>(
    table: 'v1_grants' | 'v1_resources',
    rows: readonly R[],
    pack: (chunk: readonly R[]) => Buffer,
    syncId: string,
    discoveredAt: string,
  ): void {
    for (let at = 0; at < rows.length; at += CHUNK_ROWS) {
      this.throwIfFailed();
      this.waitBelow(MAX_PENDING);
      this.throwIfFailed();
      const chunk = rows.slice(at, at + CHUNK_ROWS);
      const packed = pack(chunk);
      // The packer allocates a buffer of its own (never pooled): handing it over moves no bytes.
      const transfer = [packed.buffer as ArrayBuffer];
      this.send({ kind: 'rows', table, packed, rows: chunk.length, syncId, discoveredAt }, transfer);
    }
  }

  private send(msg: WriteWorkerMessage, transfer: ArrayBuffer[] = []): void {
    Atomics.add(this.control, CONTROL.pending, 1);
    this.worker.postMessage(msg, transfer);
  }

  private waitBelow(limit: number): void {
    let last = Atomics.load(this.control, CONTROL.pending);
    let since = Date.now();
    while (last >= limit && Atomics.load(this.control, CONTROL.failed) === 0) {
      Atomics.wait(this.control, CONTROL.pending, last, 1000);
      const now = Atomics.load(this.control, CONTROL.pending);
      if (now !== last) {
        last = now;
        since = Date.now();
      } else if (Date.now() - since > STALL_MS) {
        this.failure ??= new BatonError(
          GrpcCode.INTERNAL,
          `the write worker thread made no progress for ${STALL_MS / 1000} s`,
        );
        throw this.failure;
      }
    }
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
    if (Atomics.load(this.control, CONTROL.failed) === 0) return;
    const msg = receiveMessageOnPort(this.errors)?.message as WriteWorkerFailure | undefined;
    const err = new Error(`writing to the working database failed: ${msg?.message ?? 'unknown error'}`);
    this.failure = Object.assign(err, { code: msg?.code });
    throw this.failure;
  }
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
  try {
    if (${JSON.stringify(tsx)}) (await import(${JSON.stringify(tsx)})).register();
    await import(${JSON.stringify(entry)});
  } catch (e) {
    const { workerData } = await import('node:worker_threads');
    workerData.errors.postMessage({ message: 'the write worker thread did not start: ' + (e && e.message) });
    const control = new Int32Array(workerData.control);
    Atomics.store(control, ${CONTROL.failed}, 1);
    Atomics.notify(control, ${CONTROL.pending});
  }
})();`;
}
