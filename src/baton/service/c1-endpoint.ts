import { BatonError, GrpcCode } from '../errors.js';
import type { ClientId } from './client-id.js';

/** Where the connector talks to ConductorOne, derived once from the client ID. */
export interface C1Endpoint {
  /** `host[:port]` of both the token endpoint and the gRPC service. */
  readonly apiHost: string;
  /** `https://<apiHost>/auth/v1/token`. */
  readonly tokenUrl: string;
  /** `https://<apiHost>`: gRPC goes to port 443 unless the host names one. */
  readonly grpcBaseUrl: string;
  /** The JWT audience: the client ID's host without its port, even when the API host is overridden. */
  readonly audience: string;
}

/**
 * The token URL and gRPC address come from the client ID's host, or from BATON_C1_API_HOST when set; the
 * assertion's audience always names the client ID's host (baton-sdk `c1_credential_provider.go`).
 */
export function c1Endpoint(clientId: ClientId, apiHostOverride?: string): C1Endpoint {
  const override = apiHostOverride?.trim() ?? '';
  if (override !== '' && !isHostPort(override)) {
    throw new BatonError(
      GrpcCode.INVALID_ARGUMENT,
      'invalid BATON_C1_API_HOST: expected a host name with an optional port, e.g. acme.conductor.one:443',
    );
  }
  const apiHost = override === '' ? clientId.tokenHost : override;
  const base = new URL(`https://${apiHost}`);
  return {
    apiHost,
    tokenUrl: new URL('/auth/v1/token', base).toString(),
    grpcBaseUrl: base.origin,
    audience: hostWithoutPort(clientId.tokenHost),
  };
}

/** `host`, `host:port` or `[v6]:port`, checked by the URL parser. */
export function isHostPort(hostPort: string): boolean {
  if (/[/?#@\\\s]/.test(hostPort)) return false;
  try {
    const url = new URL(`https://${hostPort}`);
    return url.hostname !== '' && url.pathname === '/';
  } catch {
    return false;
  }
}

function hostWithoutPort(hostPort: string): string {
  const { hostname } = new URL(`https://${hostPort}`);
  return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
}
