// A second loopback server that only records what reaches it: proof that a foreign pagination link
// was never requested and never received credentials.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export class RecordingServer {
  private constructor(
    private readonly server: Server,
    readonly origin: string,
    readonly requests: RecordedRequest[],
  ) {}

  static async start(): Promise<RecordingServer> {
    const requests: RecordedRequest[] = [];
    const server = createServer((req, res) => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"count":0,"total":0,"data":[],"links":{"self":"/"}}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new RecordingServer(
      server,
      `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      requests,
    );
  }

  /** Requests that carried any Authorization header. */
  get authorizationHeadersSeen(): number {
    return this.requests.filter((r) => r.headers.authorization !== undefined).length;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
