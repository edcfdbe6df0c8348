import type { Logger } from 'pino';
import type { BatonClient } from './baton-client.js';
import type { ServiceTiming } from './service-timing.js';

/** What the connector does for a `sync_full` task: write a complete v1 c1z at `file`. */
export interface FullSyncRequest {
  /** Where to write the c1z; the file does not exist yet. */
  file: string;
  /** A private directory for working files (`--c1z-temp-dir` of the sync); removed after the task. */
  tmpDir: string;
  skipEntitlementsAndGrants: boolean;
  /** Empty: every resource type. */
  resourceTypeIds: string[];
  skipGrants: boolean;
  /** Upload GrantExpandable grants unexpanded: ConductorOne expands them itself. */
  skipExpandGrants: boolean;
  /** Aborted when ConductorOne cancels the task, heartbeats fail, or the process is stopping. */
  signal: AbortSignal;
}

export type RunFullSync = (request: FullSyncRequest) => Promise<void>;

/** Shared by the task handlers of one runner. */
export interface TaskContext {
  client: BatonClient;
  timing: ServiceTiming;
  logger: Logger;
  /** The runner's signal: aborted on SIGTERM. */
  signal: AbortSignal;
  /** Aborts `shutdownGraceMs` after `signal`: the last moment to report tasks while stopping. */
  stopDeadline: AbortSignal;
  /** Tasks already reported with FinishTask, so none is reported twice. */
  finishedTasks: Set<string>;
  /** Parent of each sync task's private directory. */
  tmpDir: string;
  runFullSync: RunFullSync;
  /** Sends Hello (with build, OS and connector metadata) for `taskId`, '' at start-up. */
  hello(taskId: string, signal: AbortSignal): Promise<void>;
  /** Removes secrets from text that leaves the process (FinishTask messages). */
  scrub(text: string): string;
}
