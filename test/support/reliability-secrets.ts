// The reliability suite's credentials and a scanner proving they never leave the process: not in stdout,
// stderr, the c1z (compressed or not), a partial `<file>.tmp`, or any working file left in the temp dirs.
import assert from 'node:assert/strict';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Decompress } from 'fzstd';

/** A user whose password has a quote, a slash, a colon, a regex metacharacter and non-ASCII text. */
export const REL_USER = 'rel-user';
export const REL_PASSWORD = 'Rel!able-"pass"/wörd:4.2+';
/** A user with no role at all: xMatters answers 403 on every route. */
export const REL_NOACCESS = { username: 'rel-noaccess', password: 'NoAccess-pw-91!' } as const;
/** A user that may list people and groups but not read group rosters. */
export const REL_NOROSTERS = { username: 'rel-norosters', password: 'NoRosters-pw-37?' } as const;

const basic = (user: string, password: string): string =>
  Buffer.from(`${user}:${password}`, 'utf8').toString('base64');

/** Every form a secret could take on the way out: raw, JSON-escaped, URL-encoded, and the Basic header value. */
function forms(user: string, password: string): string[] {
  return [
    password,
    JSON.stringify(password).slice(1, -1),
    encodeURIComponent(password),
    basic(user, password),
    `${user}:${password}`,
  ];
}

export const REL_SECRETS: readonly string[] = [
  ...new Set([
    ...forms(REL_USER, REL_PASSWORD),
    ...forms(REL_NOACCESS.username, REL_NOACCESS.password),
    ...forms(REL_NOROSTERS.username, REL_NOROSTERS.password),
  ]),
];

const C1Z_MAGIC = Buffer.from('C1ZF\0', 'latin1');

/** What the scanner looked at in this process, for the suite's closing figures. */
export const scanTally = { texts: 0, files: 0, bytes: 0 };

/** The secret found in `bytes`, if any. */
export function findSecret(
  bytes: Buffer | string,
  secrets: readonly string[] = REL_SECRETS,
): string | undefined {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  scanTally.bytes += buf.length;
  return secrets.find((s) => buf.includes(Buffer.from(s, 'utf8')));
}

/**
 * The readable content of a file: a c1z (or a partial `<file>.tmp`) is decompressed as far as its
 * bytes go, so a secret inside the SQLite database cannot hide behind zstd.
 */
export function fileContents(path: string): Buffer[] {
  const raw = readFileSync(path);
  const out = [raw];
  if (raw.subarray(0, 5).equals(C1Z_MAGIC)) {
    const chunks: Uint8Array[] = [];
    try {
      const stream = new Decompress((chunk) => void chunks.push(chunk));
      stream.push(raw.subarray(5), false);
    } catch {
      // A truncated frame still yields every block before the cut.
    }
    out.push(Buffer.concat(chunks));
  }
  return out;
}

/** Every regular file below `dir` (symlinks are not followed). */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const info = lstatSync(path);
    if (info.isDirectory()) out.push(...filesUnder(path));
    else if (info.isFile()) out.push(path);
  }
  return out;
}

/** Fails if any secret form appears in the texts or in any file below the directories. */
export function assertNoSecretLeak(
  texts: Record<string, string>,
  dirs: readonly string[],
  secrets: readonly string[] = REL_SECRETS,
): void {
  for (const [name, text] of Object.entries(texts)) {
    scanTally.texts++;
    const hit = findSecret(text, secrets);
    assert.equal(hit, undefined, `a secret leaked into ${name}: ${JSON.stringify(hit)}`);
  }
  for (const dir of dirs) {
    for (const path of filesUnder(dir)) {
      scanTally.files++;
      for (const content of fileContents(path)) {
        const hit = findSecret(content, secrets);
        assert.equal(hit, undefined, `a secret leaked into ${path}: ${JSON.stringify(hit)}`);
      }
    }
  }
}
