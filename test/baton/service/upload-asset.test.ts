import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UPLOAD_CHUNK_BYTES, uploadAsset } from '../../../src/baton/service/upload-asset.js';
import type { FakeC1Options } from '../../support/fake-c1.js';
import { captureLogger, connectBatonClient } from './service-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'upload-test-'));
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
  rmSync(dir, { recursive: true, force: true });
});

/** uploadAsset with the test logger and a 1 ms retry delay; the signal never aborts unless one is given. */
const sendFile = (
  client: Awaited<ReturnType<typeof connect>>['client'],
  taskId: string,
  file: string,
  signal = new AbortController().signal,
) => uploadAsset({ client, taskId, file, signal, logger: captureLogger().logger, retryDelayMs: 1 });

const connect = (opts: FakeC1Options = {}) => connectBatonClient(opts, cleanups, 'host-1');

function file(name: string, bytes: number): { path: string; data: Buffer } {
  const data = randomBytes(bytes);
  const path = join(dir, name);
  writeFileSync(path, data);
  return { path, data };
}

describe('uploadAsset', () => {
  test('sends metadata, 512 KiB chunks and the SHA-256 of the whole file', async () => {
    const { c1, client } = await connect();
    const { path, data } = file('big.c1z', 2 * UPLOAD_CHUNK_BYTES + 1234);
    const result = await sendFile(client, 'task-1', path);
    const [upload] = c1.uploads;
    assert.deepEqual(upload?.chunkSizes, [UPLOAD_CHUNK_BYTES, UPLOAD_CHUNK_BYTES, 1234]);
    assert.ok(upload.bytes.equals(data), 'the file arrives byte for byte');
    assert.ok(upload.checksumOk);
    assert.equal(upload.taskId, 'task-1');
    assert.equal(upload.hostId, 'host-1');
    assert.deepEqual(result, {
      bytes: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
      attempts: 1,
    });
  });

  test('a file of exactly one chunk is sent as one chunk', async () => {
    const { c1, client } = await connect();
    const { path } = file('one.c1z', UPLOAD_CHUNK_BYTES);
    await sendFile(client, 't', path);
    assert.deepEqual(c1.uploads[0]?.chunkSizes, [UPLOAD_CHUNK_BYTES]);
  });

  test('starts over from the first byte after a failed attempt', async () => {
    const { c1, client } = await connect({ failUploads: 2 });
    const { path, data } = file('retry.c1z', UPLOAD_CHUNK_BYTES + 10);
    const result = await sendFile(client, 't', path);
    assert.equal(result.attempts, 3);
    assert.equal(c1.failedUploads, 2);
    assert.ok(c1.uploads[0]?.bytes.equals(data));
  });

  test('gives up after 3 attempts with the last error', async () => {
    const { c1, client } = await connect({ failUploads: 5 });
    const { path } = file('lost.c1z', 100);
    await assert.rejects(sendFile(client, 't', path), /upload interrupted/);
    assert.equal(c1.failedUploads, 3);
    assert.equal(c1.uploads.length, 0);
  });

  test('does not retry once its signal is aborted', async () => {
    const { c1, client } = await connect({ failUploads: 5 });
    const { path } = file('stop.c1z', 100);
    const controller = new AbortController();
    controller.abort(new Error('stopping'));
    await assert.rejects(sendFile(client, 't', path, controller.signal));
    assert.equal(c1.failedUploads, 0, 'nothing was sent');
  });
});
