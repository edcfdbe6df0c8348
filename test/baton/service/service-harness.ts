// Shared wiring for service-mode tests: a fake ConductorOne, a runner in-process with short waits, a
// capturing logger and a full sync that writes a real c1z from the in-memory fake connector.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { create } from '@bufbuild/protobuf';
import pino, { type Logger } from 'pino';
import { ConnectorMetadataSchema } from '../../../src/baton/gen/c1/connector/v2/connector_pb.js';
import { BatonError, GrpcCode } from '../../../src/baton/errors.js';
import { runServiceMode, type ServiceModeOptions } from '../../../src/baton/service/run-service-mode.js';
import type { FullSyncRequest, RunFullSync } from '../../../src/baton/service/task-context.js';
import type { ServiceTiming } from '../../../src/baton/service/service-timing.js';
import { connectorCapabilities } from '../../../src/baton/sync/capabilities.js';
import { syncToFile } from '../../../src/baton/sync/sync-to-file.js';
import { FakeConnector, type FakeTenant } from '../../support/fake-connector.js';
import { Agent } from 'undici';
import { BatonClient } from '../../../src/baton/service/baton-client.js';
import { c1Endpoint } from '../../../src/baton/service/c1-endpoint.js';
import { parseClientId } from '../../../src/baton/service/client-id.js';
import { parseClientSecret } from '../../../src/baton/service/client-secret.js';
import { TokenSource } from '../../../src/baton/service/token-source.js';
import { FakeC1, type FakeC1Options } from '../../support/fake-c1.js';
import { finishedSyncs, openC1zDb, syncContent } from '../../support/open-c1z-db.js';

export const TENANT: FakeTenant = {
  users: ['u1', 'u2', 'u3', 'u4', 'u5'],
  groups: { g1: ['u1', 'u2', 'u3'], g2: ['u4'], g3: [], g4: ['u5'] },
};

/** Waits short enough for tests; the behaviour is the same as with the defaults. */
export const FAST: Partial<ServiceTiming> = {
  helloBackoffInitialMs: 10,
  helloBackoffMaxMs: 40,
  heartbeatDefaultMs: 50,
  heartbeatMinMs: 10,
  getTaskBackoffUnitMs: 10,
  uploadRetryDelayMs: 10,
  finishTaskTimeoutMs: 5_000,
  rpcTimeoutMs: 10_000,
};

export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
  return { logger, lines };
}

export function metadata() {
  const connector = new FakeConnector(TENANT);
  return create(ConnectorMetadataSchema, {
    displayName: 'Fake',
    description: 'in-memory connector for tests',
    capabilities: connectorCapabilities(connector),
  });
}

/** A real full sync of TENANT into the requested file, recording every request. */
export function recordingSync(): { run: RunFullSync; requests: FullSyncRequest[] } {
  const requests: FullSyncRequest[] = [];
  const run: RunFullSync = async (req) => {
    requests.push(req);
    await syncToFile({
      file: req.file,
      tmpDir: req.tmpDir,
      connector: new FakeConnector(TENANT),
      signal: req.signal,
      resourceTypeIds: req.resourceTypeIds,
      skipEntitlementsAndGrants: req.skipEntitlementsAndGrants,
    });
  };
  return { run, requests };
}

/** A sync that only ends when its signal aborts, rejecting with the signal's reason. */
export function blockingSync(started: FullSyncRequest[] = []): RunFullSync {
  return (req) =>
    new Promise((_resolve, reject) => {
      started.push(req);
      const stop = (): void =>
        reject(req.signal.reason instanceof Error ? req.signal.reason : new Error('aborted'));
      if (req.signal.aborted) stop();
      else req.signal.addEventListener('abort', stop, { once: true });
    });
}

export interface RunningService {
  c1: FakeC1;
  controller: AbortController;
  done: Promise<void>;
  tmpDir: string;
  lines: string[];
  /** Aborts as SIGTERM does and waits for the runner to return. */
  stop(): Promise<void>;
}

export function startService(
  c1: FakeC1,
  extra: Partial<ServiceModeOptions> & Pick<ServiceModeOptions, 'runFullSync'>,
): RunningService {
  const controller = new AbortController();
  const tmpDir = mkdtempSync(join(tmpdir(), 'service-test-'));
  const { logger, lines } = captureLogger();
  const done = runServiceMode({
    clientId: c1.clientId,
    clientSecret: c1.clientSecret,
    hostId: 'test-host',
    apiHostOverride: c1.host,
    taskConcurrency: 3,
    tmpDir,
    connectorMetadata: metadata(),
    build: { package: 'baton-xmatters', packageVersion: '9.9.9' },
    logger,
    signal: controller.signal,
    tls: { ca: c1.ca },
    timing: FAST,
    ...extra,
  });
  return {
    c1,
    controller,
    done,
    tmpDir,
    lines,
    stop: async () => {
      controller.abort(new BatonError(GrpcCode.CANCELLED, 'interrupted by SIGTERM'));
      await done;
    },
  };
}

/**
 * Rejects with `what` if `promise` has not settled within `ms`: a wait that could hang gets its own bound,
 * so a hang fails the test at once and names the step instead of running into the test runner's timeout.
 */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starters of fake ConductorOnes and runners for one test file, registering the cleanup once: after the
 * file's tests, every runner still going is stopped and its temp dir removed, then every fake is closed.
 */
export function serviceFile(): {
  fakeC1: (...args: Parameters<typeof FakeC1.start>) => Promise<FakeC1>;
  start: (...args: Parameters<typeof startService>) => RunningService;
} {
  const running: RunningService[] = [];
  const fakes: FakeC1[] = [];
  after(async () => {
    for (const s of running) {
      if (!s.controller.signal.aborted)
        await within(s.stop(), 5_000, 'stopping a runner').catch(() => undefined);
      cleanup(s.tmpDir);
    }
    for (const c1 of fakes) await within(c1.close(), 5_000, 'closing a fake ConductorOne');
  });
  return {
    fakeC1: async (...args) => {
      const c1 = await FakeC1.start(...args);
      fakes.push(c1);
      return c1;
    },
    start: (...args) => {
      const s = startService(...args);
      running.push(s);
      return s;
    },
  };
}

export const leftovers = (dir: string): string[] => readdirSync(dir);

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** The rows of the last finished sync of a c1z given as bytes. */
export function c1zContent(bytes: Buffer) {
  const dir = mkdtempSync(join(tmpdir(), 'uploaded-'));
  const file = join(dir, 'upload.c1z');
  writeFileSync(file, bytes);
  const { db, close } = openC1zDb(file);
  try {
    const syncs = finishedSyncs(db);
    const last = syncs.at(-1)!;
    return { syncs: syncs.length, syncType: last.sync_type, ...syncContent(db, last.sync_id) };
  } finally {
    close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What a one-shot sync of TENANT writes, for comparison with an upload. */
export async function referenceContent(
  opts: { skipEntitlementsAndGrants?: boolean; resourceTypeIds?: string[] } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'reference-'));
  try {
    const file = join(dir, 'ref.c1z');
    await syncToFile({ file, tmpDir: dir, connector: new FakeConnector(TENANT), ...opts });
    return c1zContent(readFileSync(file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A BatonClient signed in to a fresh fake ConductorOne; the cleanup pushed onto `cleanups` closes both. */
export async function connectBatonClient(
  opts: FakeC1Options,
  cleanups: (() => Promise<void>)[],
  hostId: string,
): Promise<{ c1: FakeC1; client: BatonClient }> {
  const c1 = await FakeC1.start(opts);
  const agent = new Agent({ connect: { ca: c1.ca } });
  const clientId = parseClientId(c1.clientId);
  const endpoint = c1Endpoint(clientId, c1.host);
  const tokens = new TokenSource({
    clientId,
    key: parseClientSecret(c1.clientSecret),
    endpoint,
    dispatcher: agent,
  });
  const client = new BatonClient({
    baseUrl: endpoint.grpcBaseUrl,
    tokens,
    userAgent: 'test',
    hostId,
    ca: c1.ca,
    rpcTimeoutMs: 10_000,
  });
  cleanups.push(async () => {
    client.close();
    await agent.close();
    await c1.close();
  });
  return { c1, client };
}
