import Database from 'better-sqlite3';

export interface WorkingDbOptions {
  /** SQLite page cache in MiB. */
  cacheMiB: number;
  /** A new, empty file: choose its page size. */
  fresh?: boolean;
  /** Hold the file lock for the connection's life (the store's own connection, while it is the only one). */
  exclusive?: boolean;
}

/**
 * Open the working database with the pragmas Go's writer uses: a rollback journal (never WAL, the file is
 * compressed as-is). A hot journal left by a killed process is rolled back here.
 */
export function openWorkingDb(path: string, opts: WorkingDbOptions): Database.Database {
  const db = new Database(path);
  // Bigger pages make bulk inserts and index builds cheaper; any page size reads the same in Go.
  if (opts.fresh === true) db.pragma('page_size = 16384');
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
