/**
 * The one boolean parser of the Baton layer (flags `--x=…`, `BATON_*` variables, envOnly ones included, and
 * YAML scalars): true/1/yes and false/0/no in any case, surrounding blanks ignored. Anything else is
 * undefined, so the caller can name the setting that is wrong.
 */
export function parseBool(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'true' || t === '1' || t === 'yes') return true;
  if (t === 'false' || t === '0' || t === 'no') return false;
  return undefined;
}
