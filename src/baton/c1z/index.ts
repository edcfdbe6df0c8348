export {
  detectC1zFile,
  assertWritableKind,
  assertReadableKind,
  C1Z_V1_MAGIC,
  C1Z_V3_MAGIC,
  type C1zFileKind,
} from './c1z-file.js';
export {
  compressDbToC1z,
  compressedSizeOf,
  type CompressOptions,
  type CompressResult,
  CompressWriteError,
} from './compress.js';
export { decompressC1zToFile, type DecodeLimits, DEFAULT_MAX_DECODED_BYTES } from './decompress.js';
export { formatGoLocalTime, parseGoTime } from './go-time.js';
export { newKsuid, ksuidTime, KSUID_LENGTH, KSUID_PATTERN } from './ksuid.js';
export { type OpenReaderOptions, type SyncCounts, type GrantRef, C1zReader } from './reader.js';
export {
  type SyncType,
  type SyncRunRow,
  type OpenStoreOptions,
  type CloseResult,
  C1zStore,
} from './store.js';
export { parseZstdFrameHeader, type ZstdFrameHeader } from './zstd-frame.js';
