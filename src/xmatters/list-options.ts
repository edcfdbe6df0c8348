/** Options every listing accepts. */
export interface ListOptions {
  signal?: AbortSignal;
  /** Called for each item skipped because it failed validation; the sync counts these as warnings. */
  onInvalidItem?: (info: InvalidItem) => void;
  /**
   * Called once at the end of a listing that holds fewer distinct items than its first `total` announced, or
   * whose `total` changed while it was read: items may be missing that the client cannot name.
   */
  onListingShort?: (info: ListingShort) => void;
}

/** A listing that ended short of what xMatters announced, or whose total moved. */
export interface ListingShort {
  /** The first page's request path (no credentials). */
  path: string;
  /** The `total` of the first page. */
  promised: number;
  /** The `total` of the last page read (differs from `promised` when it moved). */
  lastTotal: number;
  /** Distinct items read, invalid ones included (they are reported on their own). */
  listed: number;
}

/** An item a listing skipped, and why. `path` is the page's request path (no credentials). */
export interface InvalidItem {
  path: string;
  index: number;
  id?: string;
  reason: string;
}
