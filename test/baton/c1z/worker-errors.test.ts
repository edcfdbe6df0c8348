// Errors that cross the write worker's thread boundary keep their code and gRPC status: structured clone keeps
// only message and name, so the worker posts an ErrorRecord and this side rebuilds a CodedError from it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { isDiskFull } from '../../../src/baton/c1z/disk-full.js';
import { writeWorkerError } from '../../../src/baton/c1z/write-worker-client.js';
import { exitCodeFor } from '../../../src/baton/cli/exit-code.js';
import { GrpcCode } from '../../../src/baton/errors.js';
import { statusOfError } from '../../../src/baton/service/status-of-error.js';
import { isCodedError, type ErrorRecord } from '../../../src/common/coded-error.js';

/**
 * Runs `body` (an async function body with `CodedError`, `errorRecordOf` and `Database` in scope) on a real
 * worker thread and returns what it posted back. tsx is registered in the worker so it can load the sources.
 */
async function onWorkerThread(body: string): Promise<unknown> {
  const common = new URL('../../../src/common/coded-error.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const worker = new Worker(
    `(async () => {
      const { parentPort } = await import('node:worker_threads');
      (await import(${JSON.stringify(tsx)})).register();
      const { CodedError, errorRecordOf } = await import(${JSON.stringify(common)});
      const { default: Database } = await import('better-sqlite3');
      parentPort.postMessage(await (async () => { ${body} })());
    })();`,
    { eval: true },
  );
  try {
    const [message] = (await Promise.race([
      once(worker, 'message'),
      once(worker, 'error').then(([e]) => Promise.reject(e as Error)),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('worker did not answer')), 20_000).unref(),
      ),
    ])) as [unknown];
    return message;
  } finally {
    await worker.terminate();
  }
}

describe('errors across the write worker boundary', () => {
  test('a CodedError thrown on the worker keeps its errorCode, status and message', async () => {
    const record = (await onWorkerThread(`
      try { throw new CodedError('SOME_CHECK', 9, 'precondition broke'); }
      catch (e) { return errorRecordOf(e); }
    `)) as ErrorRecord;
    const err = writeWorkerError(record);
    assert.ok(isCodedError(err));
    assert.equal(err.errorCode, 'SOME_CHECK');
    assert.equal(err.grpcStatus, GrpcCode.FAILED_PRECONDITION);
    assert.equal(err.message, 'writing to the working database failed: precondition broke');
    assert.equal(exitCodeFor(err), 9);
  });

  test('SQLite running out of room on the worker arrives as a full disk: RESOURCE_EXHAUSTED', async () => {
    const record = (await onWorkerThread(`
      const db = new Database(':memory:');
      try {
        db.pragma('max_page_count = 8');
        db.exec('create table t (x blob)');
        const insert = db.prepare('insert into t values (?)');
        for (let i = 0; i < 100; i++) insert.run(Buffer.alloc(4096));
        return 'no failure';
      } catch (e) {
        return errorRecordOf(e);
      } finally {
        db.close();
      }
    `)) as ErrorRecord;
    assert.equal(record.code, 'SQLITE_FULL');
    const err = writeWorkerError(record);
    assert.equal(err.errorCode, 'WRITE_WORKER_FAILED');
    assert.equal(err.code, 'SQLITE_FULL');
    assert.ok(isDiskFull(err), 'the store reports it as a full working directory');
    assert.equal(exitCodeFor(err), GrpcCode.RESOURCE_EXHAUSTED);
    assert.equal(statusOfError(err).code, GrpcCode.RESOURCE_EXHAUSTED);
  });

  test('any other worker failure is an error of ours with UNKNOWN status and the original text', async () => {
    const record = (await onWorkerThread(
      `return errorRecordOf(new TypeError('x is not a function'));`,
    )) as ErrorRecord;
    const err = writeWorkerError(record);
    assert.equal(err.errorCode, 'WRITE_WORKER_FAILED');
    assert.equal(err.grpcStatus, GrpcCode.UNKNOWN);
    assert.match(err.message, /x is not a function$/);
  });

  test('posted as is, the error would lose its class, code and status (why the record exists)', async () => {
    const posted = (await onWorkerThread(
      `return new CodedError('SOME_CHECK', 9, 'precondition broke');`,
    )) as Error;
    assert.ok(posted instanceof Error);
    assert.ok(!isCodedError(posted));
    assert.equal((posted as { grpcStatus?: unknown }).grpcStatus, undefined);
    assert.equal(exitCodeFor(posted), GrpcCode.UNKNOWN);
  });
});
