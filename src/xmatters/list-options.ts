/** Options every listing accepts. */
export interface ListOptions {
  signal?: AbortSignal;
  /** Called for each item skipped because it failed validation; the sync counts these as warnings. */
  onInvalidItem?: (info: InvalidItem) => void;
}

/** An item a listing skipped, and why. `path` is the page's request path (no credentials). */
export interface InvalidItem {
  path: string;
  index: number;
  id?: string;
  reason: string;
}
