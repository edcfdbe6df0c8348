import { hostname, tmpdir } from 'node:os';
import type { Logger } from 'pino';
import { durationMs } from '@bufbuild/protobuf/wkt';
import { Agent } from 'undici';
import { findInCauses } from '../../common/causes.js';
import { createScrubber } from '../cli/scrub.js';
import { BatonError, GrpcCode, isBatonError } from '../errors.js';
import type { ConnectorMetadata } from '../gen/c1/connector/v2/connector_pb.js';
import { BatonClient } from './baton-client.js';
import { c1Endpoint } from './c1-endpoint.js';
import { parseClientId } from './client-id.js';
import { parseClientSecret } from './client-secret.js';
import { startHealthServer, type HealthServer } from './health-server.js';
import { helloFields, type BuildInfo } from './hello-request.js';
import { runTask } from './run-task.js';
import {
  clampPoll,
  getTaskBackoff,
  helloBackoff,
  SERVICE_TIMING,
  type ServiceTiming,
} from './service-timing.js';
import { classifyFailure } from './rpc-retry.js';
import type { RunFullSync, TaskContext } from './task-context.js';
import { TaskSlots } from './task-slots.js';
import { TokenSource } from './token-source.js';
import { waitFor } from './wait-for.js';

export interface ServiceModeOptions {
  /** `--client-id` / BATON_CLIENT_ID. */
  clientId: string;
  /** `--client-secret` / BATON_CLIENT_SECRET. */
  clientSecret: string;
  /** BATON_HOST_ID; default the host name, else `baton-sdk`. */
  hostId?: string | undefined;
  /** BATON_C1_API_HOST: where the token endpoint and the gRPC service are, instead of the client ID's host. */
  apiHostOverride?: string | undefined;
  /** `--task-concurrency` (1–100). */
  taskConcurrency: number;
  /** `--c1z-temp-dir`; default the OS temporary directory. */
  tmpDir?: string | undefined;
  /** Sent in every Hello; must have a display name and should carry the capabilities. */
  connectorMetadata: ConnectorMetadata;
  /** Package name and version for Hello's build info. */
  build: BuildInfo;
  runFullSync: RunFullSync;
  /** The connector's credential check, behind `/health`. */
  validate?: ((signal: AbortSignal) => Promise<void>) | undefined;
  logger: Logger;
  /** Aborted on SIGTERM/SIGINT: stops polling, stops in-flight tasks, reports them and returns. */
  signal: AbortSignal;
  /** `--health-check` with its port and bind address. */
  healthCheck?: { port: number; bindAddress: string } | undefined;
  /**
   * CA certificates (PEM) trusted for ConductorOne's TLS instead of Node's bundled roots; for tests against a
   * local fake. Production needs none (a corporate CA can be added with NODE_EXTRA_CA_CERTS).
   */
  tls?: { ca?: string | Buffer | undefined } | undefined;
  /** Shorter waits, for tests. */
  timing?: Partial<ServiceTiming> | undefined;
  /** Called with the health server's URL once it listens (useful with port 0). */
  onHealthServer?: ((url: string) => void) | undefined;
}

/** The SDK version whose service-mode protocol this implements; C1 sees it in the user agent. */
const SDK_PROTOCOL_VERSION = 'v0.25.0';

/**
 * The gRPC user agent, exactly as baton-sdk sends it (docs/service-mode.md, "The conversation"):
 * `<clientName> baton-sdk/<sdk version>`. The connector's own name and version reach ConductorOne in Hello's
 * build info instead.
 */
const userAgent = (clientName: string): string => `${clientName} baton-sdk/${SDK_PROTOCOL_VERSION}`;

/**
 * Service mode (`--client-id`, docs/service-mode.md): authenticate to ConductorOne, say Hello (retrying with
 * backoff from 1 s to 5 min), then poll GetTask and run up to `taskConcurrency` tasks at a time until
 * `signal` aborts. Resolves once in-flight tasks are stopped and reported; rejects only for configuration
 * errors (INVALID_ARGUMENT, before any network) or credentials the token endpoint rejects (UNAUTHENTICATED).
 */
export async function runServiceMode(opts: ServiceModeOptions): Promise<void> {
  const clientId = parseClientId(opts.clientId);
  const key = parseClientSecret(opts.clientSecret);
  const endpoint = c1Endpoint(clientId, opts.apiHostOverride);
  checkOptions(opts);
  const timing: ServiceTiming = { ...SERVICE_TIMING, ...opts.timing };
  const hostId = opts.hostId?.trim() || hostname() || 'baton-sdk';
  const logger = opts.logger.child({ component: 'service' });
  const scrub = createScrubber([opts.clientSecret.trim()]);

  const ca = opts.tls?.ca;
  const agent = new Agent({
    connect: { minVersion: 'TLSv1.2', timeout: 30_000, ...(ca === undefined ? {} : { ca }) },
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const tokens = new TokenSource({ clientId, key, endpoint, dispatcher: agent });
  const client = new BatonClient({
    baseUrl: endpoint.grpcBaseUrl,
    tokens,
    userAgent: userAgent(clientId.clientName),
    hostId,
    ca,
    rpcTimeoutMs: timing.rpcTimeoutMs,
  });
  const hello = async (taskId: string, signal: AbortSignal): Promise<void> => {
    const fields = await helloFields({
      taskId,
      build: opts.build,
      connectorMetadata: opts.connectorMetadata,
    });
    await client.hello(fields, signal);
  };
  const stopDeadline = deadlineAfterStop(opts.signal, timing.shutdownGraceMs);
  const ctx: TaskContext = {
    client,
    timing,
    logger,
    signal: opts.signal,
    stopDeadline: stopDeadline.signal,
    finishedTasks: new Set(),
    tmpDir: opts.tmpDir ?? tmpdir(),
    runFullSync: opts.runFullSync,
    hello,
    scrub,
  };

  let ready = false;
  let health: HealthServer | undefined;
  try {
    if (opts.healthCheck !== undefined) {
      health = await startHealthServer({
        ...opts.healthCheck,
        validate: opts.validate,
        isReady: () => ready && !opts.signal.aborted,
        logger,
        scrub,
      });
      opts.onHealthServer?.(health.url);
    }
    logger.info({ apiHost: endpoint.apiHost, hostId }, 'service mode: connecting to ConductorOne');
    if (!(await bootstrap(ctx, hello))) return;
    ready = true;
    logger.info({ taskConcurrency: opts.taskConcurrency }, 'connected to ConductorOne, waiting for tasks');
    await pollTasks(ctx, opts.taskConcurrency);
    logger.info({ retries: client.retries }, 'service mode stopped');
  } finally {
    ready = false;
    stopDeadline.dispose();
    await health?.close();
    client.close();
    // Every task has been reported by now; a token request still under way must not hold the exit.
    await agent.destroy();
  }
}

/** A signal that aborts `graceMs` after `signal` does; dispose() drops the timer and the listener. */
function deadlineAfterStop(signal: AbortSignal, graceMs: number): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const onStop = (): void => {
    timer = setTimeout(
      () => controller.abort(new BatonError(GrpcCode.DEADLINE_EXCEEDED, 'shutdown grace period over')),
      graceMs,
    );
    timer.unref();
  };
  if (signal.aborted) onStop();
  else signal.addEventListener('abort', onStop, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      signal.removeEventListener('abort', onStop);
      clearTimeout(timer);
    },
  };
}

function checkOptions(opts: ServiceModeOptions): void {
  const n = opts.taskConcurrency;
  if (!Number.isInteger(n) || n < 1 || n > 100) {
    throw new BatonError(GrpcCode.INVALID_ARGUMENT, `--task-concurrency must be between 1 and 100, got ${n}`);
  }
  if (opts.connectorMetadata.displayName === '') {
    // ConductorOne validates Hello and rejects metadata without a display name.
    throw new BatonError(GrpcCode.FAILED_PRECONDITION, 'connector metadata has no display name');
  }
}

/**
 * The start-up Hello, retried with exponential backoff. A token endpoint that rejects the credentials ends
 * it at once: no retry fixes a wrong or revoked secret. False when stopped before it succeeded.
 */
async function bootstrap(ctx: TaskContext, hello: TaskContext['hello']): Promise<boolean> {
  const { logger, signal, timing } = ctx;
  for (let attempt = 1; !signal.aborted; attempt++) {
    try {
      await hello('', signal);
      return true;
    } catch (err) {
      if (signal.aborted) return false;
      const tokenError = findInCauses(err, isBatonError);
      if (tokenError?.code === GrpcCode.UNAUTHENTICATED) throw tokenError;
      // A refused (expired) access token was dropped: the next attempt fetches a new one at once.
      const waitMs = classifyFailure(err) === 'token' && attempt === 1 ? 0 : helloBackoff(timing, attempt);
      ctx.client.countRetry('hello');
      logger.warn({ err, attempt, waitMs, rpc: 'hello' }, 'hello to ConductorOne failed, retrying');
      await waitFor(waitMs, signal);
    }
  }
  return false;
}

/**
 * The runner loop (baton-sdk `runner.go`): take a slot, ask for a task, start it without waiting, then wait
 * `next_poll`; after n GetTask failures in a row wait about n² s (jittered, max 60 s), or retry at once
 * after a first refused (expired) token. On abort, waits for running tasks, which report themselves.
 */
async function pollTasks(ctx: TaskContext, concurrency: number): Promise<void> {
  const { client, logger, signal, timing } = ctx;
  const slots = new TaskSlots(concurrency);
  const running = new Set<Promise<void>>();
  let waitMs = 0;
  let failures = 0;
  while (!signal.aborted) {
    await waitFor(waitMs, signal);
    if (!(await slots.acquire(signal))) break;
    let res;
    try {
      res = await client.getTask(signal);
    } catch (err) {
      slots.release();
      if (signal.aborted) break;
      failures += 1;
      waitMs = classifyFailure(err) === 'token' && failures === 1 ? 0 : getTaskBackoff(timing, failures);
      client.countRetry('getTask');
      logger.warn({ err, failures, waitMs, rpc: 'getTask' }, 'GetTask failed');
      continue;
    }
    failures = 0;
    waitMs = clampPoll(timing, res.nextPoll === undefined ? 0 : durationMs(res.nextPoll));
    const task = res.task;
    if (task === undefined || task.taskType.case === undefined || task.taskType.case === 'none') {
      slots.release();
      continue;
    }
    const job = runTask(ctx, task).finally(() => {
      slots.release();
      running.delete(job);
    });
    running.add(job);
  }
  if (running.size > 0) logger.info({ tasks: running.size }, 'stopping: waiting for running tasks to end');
  await Promise.all(running);
}
