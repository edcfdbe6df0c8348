/** What replaces a secret value in any text that leaves the process. */
export const REDACTED = '[REDACTED]';

/**
 * Shortest secret (in characters) removed wherever it appears in free text. A shorter value turns up by
 * chance in ordinary text (a password `1` is in every timestamp, `e` in every word), so replacing it would
 * corrupt the output and hide nothing; such a secret is only redacted where its place is known: fields that
 * hold secrets (logger.ts), URL user info and Authorization header values (below). Raising it lets more
 * secrets through free text; lowering it brings the corruption back.
 */
export const MIN_SCRUBBED_SECRET_LENGTH = 6;

/** `scheme://` followed by user info up to the last `@` before the host (a password may hold `@`). */
const URL_USER_INFO = /\b([a-z][a-z\d+.-]*:\/\/)[^\s/?#<>]*@/gi;
/**
 * An Authorization header value quoted back in text, e.g. by a server echoing the request. A plain word
 * after it ("Basic authentication") is prose, not a credential, and is kept.
 */
const AUTH_VALUE = /\b(Basic|Bearer)\s+([A-Za-z\d+/=._~-]{4,})/g;
const PLAIN_WORD = /^[A-Za-z][a-z]*$/;

/**
 * Builds a function that removes credentials from a text: URL user info and Authorization values by their
 * place, whatever their length, and every known secret of MIN_SCRUBBED_SECRET_LENGTH characters or more
 * wherever it appears, also in the forms it takes once embedded elsewhere: JSON-escaped (JSON inside a
 * string) and URL-encoded (a query string), so a password with a quote or a slash cannot slip through.
 */
export function createScrubber(secrets: readonly string[]): (text: string) => string {
  const variants = new Set<string>();
  for (const secret of secrets) {
    if ([...secret].length < MIN_SCRUBBED_SECRET_LENGTH) continue;
    const json = JSON.stringify(secret).slice(1, -1);
    variants.add(secret);
    variants.add(json);
    variants.add(JSON.stringify(json).slice(1, -1));
    variants.add(encodeURIComponent(secret));
  }
  // Longest first, so a secret that contains another one is replaced whole.
  const alternatives = [...variants].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = alternatives.length === 0 ? undefined : new RegExp(alternatives.join('|'), 'g');
  return (text) => {
    let out = text
      // A user info already masked (`***`, as messages that quote a URL show it) is left as it is.
      .replace(URL_USER_INFO, (whole, scheme: string) =>
        whole === `${scheme}***@` ? whole : `${scheme}${REDACTED}@`,
      )
      .replace(AUTH_VALUE, (whole, scheme: string, value: string) =>
        PLAIN_WORD.test(value) ? whole : `${scheme} ${REDACTED}`,
      );
    if (pattern !== undefined) out = out.replace(pattern, REDACTED);
    return out;
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}
