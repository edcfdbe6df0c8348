// Worker thread entry: upserts grant rows on its own connection to the working database, so SQLite's share of
// a large sync runs on the second core while the main thread reads the API and encodes. See GrantWorkerClient.
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { unpackGrantRows } from './grant-batch.js';
import { GrantInserter } from './grant-insert.js';
import { CONTROL, type GrantWorkerData, type GrantWorkerMessage } from './grant-worker-protocol.js';
import { openWorkingDb } from './working-db.js';

const data = workerData as GrantWorkerData;
const control = new Int32Array(data.control);
const errors: MessagePort = data.errors;
// Never EXCLUSIVE: the store's connection reads and checkpoints between batches.
const db = openWorkingDb(data.dbPath, { cacheMiB: data.cacheMiB, exclusive: false });
const inserter = new GrantInserter(db);
const insertBatch = db.transaction((values: unknown[], rows: number) => inserter.insert(values, rows));

parentPort!.on('message', (msg: GrantWorkerMessage) => {
  try {
    if (Atomics.load(control, CONTROL.failed) !== 0) return;
    if (msg.kind === 'close') {
      db.close();
      return;
    }
    const packed = Buffer.from(msg.packed.buffer, msg.packed.byteOffset, msg.packed.length);
    const values = unpackGrantRows(packed, msg.rows, msg.syncId, msg.discoveredAt);
    insertBatch(values, msg.rows);
  } catch (e) {
    const err = e as Error & { code?: unknown };
    // The message is queued before the counter moves, so the waiting store finds it.
    errors.postMessage({ message: err.message, code: typeof err.code === 'string' ? err.code : undefined });
    Atomics.store(control, CONTROL.failed, 1);
  } finally {
    Atomics.sub(control, CONTROL.pending, 1);
    Atomics.notify(control, CONTROL.pending);
  }
});
