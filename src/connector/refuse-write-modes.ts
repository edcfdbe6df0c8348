import { BatonError, GrpcCode } from '../baton/errors.js';
import type { FieldValue } from '../baton/cli/field.js';

/**
 * The connector only reads: -p/--provisioning and --ticketing are refused with UNIMPLEMENTED (exit 12).
 * main.ts runs this before the required-field check, so the answer is the same with or without credentials.
 */
export function refuseWriteModes(values: Readonly<Record<string, FieldValue>>): void {
  if (values.provisioning !== true && values.ticketing !== true) return;
  const [flag, env] =
    values.provisioning === true ? ['-p/--provisioning', 'PROVISIONING'] : ['--ticketing', 'TICKETING'];
  throw new BatonError(
    GrpcCode.UNIMPLEMENTED,
    `${flag} is not supported: baton-xmatters is read-only and never changes xMatters. ` +
      `Remove ${flag} (and $BATON_${env}) to run a sync.`,
  );
}
