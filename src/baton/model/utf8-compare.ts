/**
 * Order strings by their UTF-8 bytes, which is how Go sorts map keys for deterministic protobuf
 * output. JavaScript's default comparison uses UTF-16 code units and disagrees for characters above
 * U+FFFF versus U+E000–U+FFFF.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800–DFFF) encode code points above U+FFFF: they sort after every BMP character.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Copy a record with its keys inserted in UTF-8 order (protobuf-es writes maps in insertion order). */
export function sortedRecord<V>(record: Readonly<Record<string, V>>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const key of Object.keys(record).sort(compareUtf8)) out[key] = record[key] as V;
  return out;
}
