export { buildReportData, type ReportData, type ReportFacts } from './build-report-data.js';
export {
  finishedFullSyncs,
  chooseSyncsInFile,
  chooseLatestFull,
  type DiffSyncChoice,
} from './choose-diff-syncs.js';
export {
  computeDiff,
  syncInfo,
  kindOf,
  tallyDiff,
  type DiffSyncInfo,
  type ResourceChange,
  type EntitlementChange,
  type GrantChange,
  type SyncDiff,
  type DiffTally,
} from './compute-diff.js';
export { addDiffSubcommand } from './diff-subcommand.js';
export { summaryLine, diffJson, diffConsole, diffCsvRows, diffCsv, CSV_HEADER } from './render-diff.js';
export { renderReport, type ReportPage, type ChangeSection } from './render-report.js';
export { addReportSubcommand, type ReportSubcommandOptions } from './report-subcommand.js';
export {
  kindOfType,
  resourceFacts,
  type ResourceKind,
  type ResourceStatus,
  type ResourceFacts,
  isInactive,
} from './resource-facts.js';
export { runDiff, type DiffOutput, DIFF_OUTPUTS, type DiffOptions } from './run-diff.js';
export { runReport, type ReportOptions, type ReportResult } from './run-report.js';
export { type EntitlementFacts, SyncView, principalKey } from './sync-view.js';
