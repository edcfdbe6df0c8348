import type { LogFormat } from './logger.js';

export interface ProgressState {
  /** What is happening, e.g. "syncing grants". */
  readonly phase: string;
  readonly done?: number;
  readonly total?: number;
  /** What done/total count, e.g. "groups". */
  readonly unit?: string;
  readonly requests?: number;
  readonly retries?: number;
}

export interface ProgressStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface ProgressTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface ProgressOptions {
  /** Normally process.stderr. */
  readonly stream: ProgressStream;
  /** JSON logs are for machines: no status line then. */
  readonly logFormat: LogFormat;
  /** Milliseconds clock; defaults to Date.now. */
  readonly now?: () => number;
  readonly timers?: ProgressTimers;
}

export interface Progress {
  /** False when the stream is not a TTY or logs are JSON; every method then does nothing visible. */
  readonly enabled: boolean;
  /** Merges into the current state; redrawn at most ten times a second. */
  update(state: Partial<ProgressState>): void;
  /** Writes text (a log line) above the status line, so the two never garble each other. */
  write(chunk: string): void;
  /** Clears the line for good. */
  stop(): void;
}

const MIN_INTERVAL_MS = 100;
const CLEAR_LINE = '\r\u001b[2K';

const realTimers: ProgressTimers = {
  setInterval(fn, ms) {
    const handle = setInterval(fn, ms);
    // A status line must never keep the process alive.
    handle.unref();
    return handle;
  },
  clearInterval(handle) {
    clearInterval(handle as ReturnType<typeof setInterval>);
  },
};

/**
 * A live one-line status on a terminal: phase, done/total, requests, retries and elapsed time. Go
 * connectors print only log lines; this adds the line for people watching a long sync, and nothing at all
 * when stderr is captured or logs are JSON.
 */
export function createProgress(options: ProgressOptions): Progress {
  const { stream } = options;
  const enabled = stream.isTTY === true && options.logFormat !== 'json';
  const now = options.now ?? Date.now;
  const timers = options.timers ?? realTimers;
  const started = now();
  let state: ProgressState = { phase: 'starting' };
  let shown = '';
  let lastDraw = -Infinity;
  let dirty = false;
  let ticker: unknown;
  let stopped = false;

  const line = (): string => {
    const parts = [state.phase];
    if (state.done !== undefined) {
      const of = state.total === undefined ? '' : `/${state.total}`;
      parts.push(`${state.done}${of}${state.unit === undefined ? '' : ` ${state.unit}`}`);
    }
    if (state.requests !== undefined) parts.push(`${state.requests} requests`);
    if (state.retries !== undefined) parts.push(`${state.retries} retries`);
    parts.push(formatElapsed(now() - started));
    const text = parts.join(' · ');
    // A wrapped line cannot be cleared with \r, so stay one column short of the edge.
    const width = (stream.columns ?? 80) - 1;
    return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
  };
  const draw = (): void => {
    const next = line();
    lastDraw = now();
    dirty = false;
    if (next === shown) return;
    shown = next;
    stream.write(CLEAR_LINE + next);
  };
  const tick = (): void => {
    // Redraws pending updates, and the elapsed clock while nothing else moves.
    if (dirty || now() - lastDraw >= 1000) draw();
  };

  return {
    enabled,
    update(partial) {
      if (!enabled || stopped) return;
      if (partial.phase !== undefined && partial.phase !== state.phase) {
        // A new phase counts something else: only the request counters carry over.
        const { done: _done, total: _total, unit: _unit, ...kept } = state;
        state = kept;
      }
      state = { ...state, ...partial };
      ticker ??= timers.setInterval(tick, MIN_INTERVAL_MS);
      if (now() - lastDraw >= MIN_INTERVAL_MS) draw();
      else dirty = true;
    },
    write(chunk) {
      if (!enabled || shown === '') {
        stream.write(chunk);
        return;
      }
      stream.write(CLEAR_LINE + chunk + shown);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (ticker !== undefined) timers.clearInterval(ticker);
      if (shown !== '') stream.write(CLEAR_LINE);
      shown = '';
    },
  };
}

function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
