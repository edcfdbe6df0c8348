/**
 * A short, printable excerpt of a response body for error messages: at most `max` characters, control
 * characters escaped so a hostile body cannot forge log lines or terminal sequences.
 */
export function bodyExcerpt(body: string, max = 200): string {
  let out = '';
  for (const ch of body) {
    const code = ch.codePointAt(0) ?? 0;
    let piece = ch;
    if (ch === '\n') piece = '\\n';
    else if (ch === '\r') piece = '\\r';
    else if (ch === '\t') piece = '\\t';
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0) || code === 0x2028 || code === 0x2029) {
      piece = `\\u${code.toString(16).padStart(4, '0')}`;
    } else if (code >= 0xd800 && code <= 0xdfff) piece = '\\ufffd'; // lone surrogate
    if (out.length + piece.length > max - 1) return `${out}…`;
    out += piece;
  }
  return out;
}
