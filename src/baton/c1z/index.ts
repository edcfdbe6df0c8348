export * from './c1z-file.js';
export * from './compress.js';
export * from './decompress.js';
export * from './go-time.js';
export * from './ksuid.js';
export * from './reader.js';
export * from './store.js';
export * from './zstd-frame.js';
