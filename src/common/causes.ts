/**
 * `err`, then its `cause`, then that error's cause, and so on: every error of a cause chain, outermost first.
 * Stops at a value that is not an Error (after yielding it) and at a cycle, so a hostile or self-referencing
 * chain cannot loop.
 */
export function* causeChain(err: unknown): Generator<unknown, void, undefined> {
  const seen = new Set<unknown>();
  let cur: unknown = err;
  while (cur !== undefined && cur !== null && !seen.has(cur)) {
    yield cur;
    seen.add(cur);
    cur = cur instanceof Error ? cur.cause : undefined;
  }
}

/** The first error in `err` and its causes that matches. */
export function findInCauses<T>(err: unknown, match: (e: unknown) => e is T): T | undefined;
export function findInCauses(err: unknown, match: (e: unknown) => boolean): unknown;
export function findInCauses(err: unknown, match: (e: unknown) => boolean): unknown {
  for (const e of causeChain(err)) if (match(e)) return e;
  return undefined;
}

/** The Node (or SQLite, undici) error code, such as `ENOSPC`, of the first error in the chain that has one in `codes`. */
export function errnoInCauses(err: unknown, codes: ReadonlySet<string>): string | undefined {
  for (const e of causeChain(err)) {
    const code = errnoOf(e);
    if (code !== undefined && codes.has(code)) return code;
  }
  return undefined;
}

/** A string `code` property (Node's system and library errors carry one), else undefined. */
export function errnoOf(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
