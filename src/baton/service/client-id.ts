import { BatonError, GrpcCode } from '../errors.js';
import { isHostPort } from './c1-endpoint.js';

/**
 * A parsed ConductorOne client ID, `<clientName>@<tokenHost>/<suffix>` (docs/service-mode.md, "Credentials").
 */
export interface ClientId {
  /** The whole client ID: the JWT issuer and subject, and the `client_id` form field. */
  readonly value: string;
  /** The part before `@`; the first word of the gRPC user agent. */
  readonly clientName: string;
  /** The part between `@` and the first `/`, e.g. `acme.conductor.one`; may carry a `:port`. */
  readonly tokenHost: string;
}

const HINT =
  'expected <name>@<host>/<suffix>, as shown by ConductorOne when the connector was created ' +
  '(set --client-id or BATON_CLIENT_ID)';

/**
 * Splits on the first `@`, then the remainder on the first `/`, as baton-sdk does. Every part must be
 * non-empty. The value is never echoed: people paste the secret into the wrong variable.
 */
export function parseClientId(raw: string): ClientId {
  const value = raw.trim();
  if (value === '') throw invalid('it is empty');
  if (/\s/.test(value)) throw invalid('it contains whitespace');
  const at = value.indexOf('@');
  if (at < 0) throw invalid("it has no '@'");
  const clientName = value.slice(0, at);
  if (clientName === '') throw invalid("the name before '@' is empty");
  const rest = value.slice(at + 1);
  const slash = rest.indexOf('/');
  if (slash < 0) throw invalid("it has no '/' after the host");
  const tokenHost = rest.slice(0, slash);
  if (tokenHost === '') throw invalid("the host between '@' and '/' is empty");
  if (rest.slice(slash + 1) === '') throw invalid("the part after '/' is empty");
  if (!isHostPort(tokenHost)) throw invalid('the host is not a valid host name with an optional port');
  return { value, clientName, tokenHost };
}

function invalid(what: string): BatonError {
  return new BatonError(GrpcCode.INVALID_ARGUMENT, `invalid client ID: ${what}; ${HINT}`);
}
