import { BatonError, GrpcCode } from '../baton/errors.js';

/**
 * The connector only reads: -p/--provisioning and --ticketing are refused with UNIMPLEMENTED (exit 12).
 * The CLI runs this before the required-field check, so the answer is the same with or without credentials.
 */
export function refuseWriteModes(values: {
  readonly provisioning: boolean;
  readonly ticketing: boolean;
}): void {
  if (values.provisioning !== true && values.ticketing !== true) return;
  const [flag, env] =
    values.provisioning === true ? ['-p/--provisioning', 'PROVISIONING'] : ['--ticketing', 'TICKETING'];
  throw new BatonError(
    GrpcCode.UNIMPLEMENTED,
    `${flag} is not supported: baton-xmatters is read-only and never changes xMatters. ` +
      `Remove ${flag} (and $BATON_${env}) to run a sync.`,
  );
}
