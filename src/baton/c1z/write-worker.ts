// Worker thread entry: upserts grant and resource rows on its own connection to the working database, so
// SQLite's share of a large sync runs on the second core while the main thread reads the API and encodes.
// See WriteWorkerClient.
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { GrantInserter } from './grant-insert.js';
import { RESOURCE_PARAMS, unpackGrantRows, unpackResourceRows } from './row-batch.js';
import { PUT_RESOURCE_SQL } from './store-statements.js';
import { CONTROL, type WriteWorkerData, type WriteWorkerMessage } from './write-worker-protocol.js';
import { openWorkingDb } from './working-db.js';

const data = workerData as WriteWorkerData;
const control = new Int32Array(data.control);
const errors: MessagePort = data.errors;
// Never EXCLUSIVE: the store's connection reads and checkpoints between batches.
const db = openWorkingDb(data.dbPath, { cacheMiB: data.cacheMiB, exclusive: false });
const grants = new GrantInserter(db);
const putResource = db.prepare(PUT_RESOURCE_SQL);
const resourceParams = new Array<unknown>(RESOURCE_PARAMS);

const writeBatch = db.transaction((msg: Extract<WriteWorkerMessage, { kind: 'rows' }>) => {
  const packed = Buffer.from(msg.packed.buffer, msg.packed.byteOffset, msg.packed.length);
  if (msg.table === 'v1_grants') {
    grants.insert(unpackGrantRows(packed, msg.rows, msg.syncId, msg.discoveredAt), msg.rows);
    return;
  }
  const values = unpackResourceRows(packed, msg.rows, msg.syncId, msg.discoveredAt);
  for (let at = 0; at < values.length; at += RESOURCE_PARAMS) {
    for (let k = 0; k < RESOURCE_PARAMS; k++) resourceParams[k] = values[at + k];
    putResource.run(resourceParams);
  }
});

parentPort!.on('message', (msg: WriteWorkerMessage) => {
  try {
    if (Atomics.load(control, CONTROL.failed) !== 0) return;
    if (msg.kind === 'close') db.close();
    else writeBatch(msg);
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
