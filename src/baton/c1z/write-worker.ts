// Worker thread entry: the one writer of the working database while a sync is written. It upserts rows and
// runs checkpoints on its own connection, in the order the store posted them, so SQLite's share of a sync
// runs on the second core while the main thread reads the API and encodes. See WriteWorkerClient.
import { parentPort, workerData } from 'node:worker_threads';
import { errorRecordOf } from '../../common/coded-error.js';
import { LAYOUTS, RowInserter, unpackRows, type WritableTable } from './row-layout.js';
import { DEFERRABLE_GRANT_INDEXES } from './schema.js';
import {
  WORKER_STATEMENTS,
  type WriteWorkerData,
  type WriteWorkerMessage,
  type WriteWorkerReply,
} from './write-worker-protocol.js';
import { openWorkingDb } from './working-db.js';

const data = workerData as WriteWorkerData;
// Never EXCLUSIVE: the store's connection reads between batches.
const db = openWorkingDb(data.dbPath, { cacheMiB: data.cacheMiB, exclusive: false });
const inserters = new Map<WritableTable, RowInserter>();
const statements = new Map(
  Object.entries(WORKER_STATEMENTS).map(([name, sql]) => [name, db.prepare(sql)] as const),
);
let failed = false;
/**
 * The plain v1_grants indexes are dropped before the first grant of a session and rebuilt from sorted data by
 * the store once the worker has stopped (a killed run's missing indexes are recreated by the next open).
 */
let grantIndexesDropped = false;

const inserter = (table: WritableTable): RowInserter => {
  let ins = inserters.get(table);
  if (ins === undefined) inserters.set(table, (ins = new RowInserter(db, LAYOUTS[table])));
  return ins;
};

const write = db.transaction((msg: Exclude<WriteWorkerMessage, { kind: 'close' }>) => {
  if (msg.kind === 'run') {
    statements.get(msg.statement)!.run(msg.params);
    return;
  }
  if (msg.table === 'v1_grants' && !grantIndexesDropped) {
    for (const ix of DEFERRABLE_GRANT_INDEXES) db.exec(`DROP INDEX IF EXISTS ${ix.name}`);
    grantIndexesDropped = true;
  }
  const packed = Buffer.from(msg.packed.buffer, msg.packed.byteOffset, msg.packed.length);
  const layout = LAYOUTS[msg.table];
  inserter(msg.table).insert(unpackRows(layout, packed, msg.rows, msg.syncId, msg.discoveredAt), msg.rows);
});

parentPort!.on('message', (msg: WriteWorkerMessage) => {
  // The rows' buffer goes back once they are committed (or dropped): nothing here holds on to it, and left to
  // this thread's garbage collector it would stay allocated long after (see WriteWorkerClient).
  const buffer = msg.kind === 'rows' ? (msg.packed.buffer as ArrayBuffer) : undefined;
  let reply: WriteWorkerReply = buffer === undefined ? { kind: 'done' } : { kind: 'done', buffer };
  try {
    if (!failed) {
      if (msg.kind === 'close') db.close();
      else write(msg);
    }
  } catch (e) {
    failed = true;
    // Structured clone would drop the class and the code: the record keeps them for the store's side.
    reply = { kind: 'failed', error: errorRecordOf(e) };
  }
  parentPort!.postMessage(reply, reply.kind === 'done' && buffer !== undefined ? [buffer] : []);
});
