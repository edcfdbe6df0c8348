import Database from 'better-sqlite3';

export interface WorkingDbOptions {
  /** SQLite page cache in MiB. */
  cacheMiB: number;
  /** A new, empty file: choose its page size. */
  fresh?: boolean;
  /** Hold the file lock for the connection's life (the store's own connection, while it is the only one). */
  exclusive?: boolean;
}

/** Page size of a new working database: measured with the v1_grants schema, 64 KiB pages take ~20 % less
 * CPU per inserted row and per index build than 16 KiB (and ~35 % less than 4 KiB); Go reads any size. */
const PAGE_SIZE = 65_536;

/**
 * Open the working database with the pragmas Go's writer uses: a rollback journal (never WAL, the file is
 * compressed as-is). A hot journal left by a killed process is rolled back here. This file is the one place
 * that sets pragmas and file locking of the working database: every connection to it comes from here.
 */
export function openWorkingDb(path: string, opts: WorkingDbOptions): Database.Database {
  const db = new Database(path);
  // Bigger pages make bulk inserts and index builds cheaper; any page size reads the same in Go.
  if (opts.fresh === true) db.pragma(`page_size = ${PAGE_SIZE}`);
  if (opts.exclusive !== false) db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('journal_mode = TRUNCATE');
  // No fsync per transaction: a killed process loses nothing the OS already has, and a working database
  // damaged by a power loss fails quick_check on reopen and is rebuilt from <file>. close() fsyncs <file>.
  db.pragma('synchronous = OFF');
  db.pragma(`cache_size = -${opts.cacheMiB * 1024}`);
  // Helper threads for the sorter that rebuilds indexes.
  db.pragma('threads = 2');
  return db;
}

/**
 * Lets other connections (the write worker's) write: the store's connection gives up its exclusive lock; the
 * read makes that take effect (SQLite drops the lock at the end of the next transaction).
 */
export function shareWorkingDb(db: Database.Database): void {
  db.pragma('locking_mode = NORMAL');
  db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
}

/** The store's connection is the only one again: it holds the file lock from its next access on. */
export function holdWorkingDb(db: Database.Database): void {
  db.pragma('locking_mode = EXCLUSIVE');
}
