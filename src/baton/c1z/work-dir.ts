import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, lstat, mkdir, open, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BatonError, GrpcCode } from '../errors.js';

/** Identity of the c1z a working database was derived from ("none": there was no file). */
export type BaseInfo = { source: 'none' } | { source: 'file'; size: number; mtimeMs: number; sha256: string };

/** Lock files this process holds, to tell them from leftovers that happen to carry our pid. */
const heldLocks = new Set<string>();

/**
 * The private working directory of one output file: `<tmpDir>/baton-c1z-<hash of the path>/` with
 * `db` (the SQLite database being written), `base.json` (written last, so its presence means `db` is
 * complete) and `lock`. It is stable per output path, so a killed or failed run can be resumed.
 */
export class WorkDir {
  readonly dir: string;
  readonly dbPath: string;
  private readonly basePath: string;
  private readonly lockPath: string;
  private locked = false;

  private constructor(dir: string) {
    this.dir = dir;
    this.dbPath = join(dir, 'db');
    this.basePath = join(dir, 'base.json');
    this.lockPath = join(dir, 'lock');
  }

  static async acquire(outputPath: string, tmpDir: string): Promise<WorkDir> {
    const hash = createHash('sha256').update(outputPath).digest('hex').slice(0, 16);
    const dir = join(tmpDir, `baton-c1z-${hash}`);
    await mkdir(dir, { mode: 0o700 }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'EEXIST') return;
      // A configuration problem, not a bug: say which directory and how to fix it.
      throw new BatonError(
        e.code === 'ENOENT' || e.code === 'ENOTDIR'
          ? GrpcCode.INVALID_ARGUMENT
          : GrpcCode.FAILED_PRECONDITION,
        e.code === 'ENOENT' || e.code === 'ENOTDIR'
          ? `the temp directory ${tmpDir} does not exist: create it or choose another --c1z-temp-dir`
          : `cannot create the working directory in ${tmpDir} (${e.code ?? 'error'}): choose a writable ` +
              '--c1z-temp-dir or give this user write permission there',
      );
    });
    // Shared temp directories: refuse a symlink or someone else's directory in our place.
    const info = await lstat(dir);
    if (!info.isDirectory() || (process.getuid !== undefined && info.uid !== process.getuid())) {
      throw new BatonError(
        GrpcCode.FAILED_PRECONDITION,
        `working directory ${dir} is not a directory we own`,
      );
    }
    await chmod(dir, 0o700);
    const workDir = new WorkDir(dir);
    await workDir.lock(outputPath);
    return workDir;
  }

  private async lock(outputPath: string): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await writeFile(this.lockPath, String(process.pid), { flag: 'wx', mode: 0o600 });
        this.locked = true;
        heldLocks.add(this.lockPath);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const pid = Number((await readFile(this.lockPath, 'utf8').catch(() => '')).trim());
      // Our own pid in a lock this process does not hold is a leftover of a killed run that had the same
      // pid (a container's node is PID 1 on every start): nobody holds it.
      const held = pid === process.pid ? heldLocks.has(this.lockPath) : isAlive(pid);
      if (Number.isInteger(pid) && pid > 0 && held) {
        throw new BatonError(
          GrpcCode.FAILED_PRECONDITION,
          `another process (pid ${pid}) is writing ${outputPath}: wait for it to finish, or choose another --file`,
        );
      }
      // The holder died without releasing the lock: take it over.
      await unlink(this.lockPath).catch(() => undefined);
    }
    throw new BatonError(
      GrpcCode.FAILED_PRECONDITION,
      `another process is writing ${outputPath}: wait for it to finish, or choose another --file`,
    );
  }

  async readBase(): Promise<BaseInfo | undefined> {
    try {
      return JSON.parse(await readFile(this.basePath, 'utf8')) as BaseInfo;
    } catch {
      return undefined;
    }
  }

  /** Record the base atomically; called only once `db` is complete and fsynced. */
  async writeBase(base: BaseInfo): Promise<void> {
    const tmp = `${this.basePath}.tmp`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(JSON.stringify(base));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.basePath);
    await syncDir(this.dir);
  }

  /** Forget the working database (base.json first, so a crash midway cannot leave a "valid" half). */
  async discardDb(): Promise<void> {
    await rm(this.basePath, { force: true });
    for (const suffix of ['', '-journal', '-wal', '-shm']) await rm(this.dbPath + suffix, { force: true });
  }

  async release(): Promise<void> {
    if (!this.locked) return;
    this.locked = false;
    heldLocks.delete(this.lockPath);
    await rm(this.lockPath, { force: true });
  }

  /** Delete the whole directory (after a successful close). */
  async remove(): Promise<void> {
    this.locked = false;
    heldLocks.delete(this.lockPath);
    await rm(this.dir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Identity of the file at `path`, hashing its content. */
export async function fingerprint(path: string): Promise<BaseInfo> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { source: 'none' };
    throw e;
  }
  if (info.size === 0) return { source: 'none' };
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { source: 'file', size: info.size, mtimeMs: info.mtimeMs, sha256: hash.digest('hex') };
}

export function sameBase(a: BaseInfo | undefined, b: BaseInfo): boolean {
  if (a === undefined || a.source !== b.source) return false;
  if (a.source === 'none' || b.source === 'none') return true;
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.sha256 === b.sha256;
}

/** fsync a directory so a rename in it survives a power loss. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
