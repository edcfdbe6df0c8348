import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { BatonError, GrpcCode } from '../errors.js';

export interface HealthServerOptions {
  port: number;
  bindAddress: string;
  /** The connector's cheap authenticated call; /health is healthy when it resolves. */
  validate?: ((signal: AbortSignal) => Promise<void>) | undefined;
  /** /ready answers 200 while this returns true. */
  isReady: () => boolean;
  logger: Logger;
  /** Scrubs secrets from validation errors before they are served. */
  scrub: (text: string) => string;
  /** baton-sdk gives validation 30 s. */
  validateTimeoutMs?: number;
}

export interface HealthServer {
  /** `http://host:port`. */
  readonly url: string;
  close(): Promise<void>;
}

interface HealthBody {
  status: string;
  timestamp: string;
  details?: Record<string, string>;
}

/**
 * `--health-check`: the Go SDK's health server (`pkg/healthcheck`). `/live` is always 200 `alive`; `/ready`
 * is 200 `ready` once the runner is connected to ConductorOne, 503 `not_ready` before and while stopping;
 * `/health` validates the connector's credentials: 200 `healthy` or 503 `unhealthy`. Bodies are JSON
 * `{status, timestamp, details?}` as in Go.
 */
export async function startHealthServer(opts: HealthServerOptions): Promise<HealthServer> {
  const timeoutMs = opts.validateTimeoutMs ?? 30_000;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://health').pathname;
    const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    if (path === '/live') return send(res, 200, { status: 'alive', timestamp });
    if (path === '/ready') {
      return opts.isReady()
        ? send(res, 200, { status: 'ready', timestamp })
        : send(res, 503, {
            status: 'not_ready',
            timestamp,
            details: { error: 'not connected to ConductorOne' },
          });
    }
    if (path === '/health') {
      try {
        await opts.validate?.(AbortSignal.timeout(timeoutMs));
        return send(res, 200, { status: 'healthy', timestamp });
      } catch (err) {
        opts.logger.warn({ err }, 'health check failed: connector validation failed');
        const message = err instanceof Error ? err.message : String(err);
        return send(res, 503, {
          status: 'unhealthy',
          timestamp,
          details: { error: 'connector validation failed', validation_error: opts.scrub(message) },
        });
      }
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      opts.logger.error({ err }, 'health check handler failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(
        new BatonError(
          GrpcCode.FAILED_PRECONDITION,
          `cannot serve health checks on ${opts.bindAddress}:${opts.port}: ${err.message}`,
          { cause: err },
        ),
      ),
    );
    server.listen(opts.port, opts.bindAddress, resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const url = `http://${host}:${port}`;
  opts.logger.info({ url }, 'health check server listening');
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: HealthBody): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`);
}
