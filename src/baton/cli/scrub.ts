/** What replaces a secret value in any text that leaves the process. */
export const REDACTED = '[REDACTED]';

/**
 * Builds a function that replaces every known secret value in a text. Each secret is also matched in the
 * forms it takes once embedded elsewhere: JSON-escaped (a log line, or JSON inside a JSON string) and
 * URL-encoded (a query string), so a password with a quote or a slash cannot slip through.
 */
export function createScrubber(secrets: readonly string[]): (text: string) => string {
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (secret === '') continue;
    const json = JSON.stringify(secret).slice(1, -1);
    variants.add(secret);
    variants.add(json);
    variants.add(JSON.stringify(json).slice(1, -1));
    variants.add(encodeURIComponent(secret));
  }
  if (variants.size === 0) return (text) => text;
  // Longest first, so a secret that contains another one is replaced whole.
  const alternatives = [...variants].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(alternatives.join('|'), 'g');
  return (text) => text.replace(pattern, REDACTED);
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}
