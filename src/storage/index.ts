import type { Config } from '../config.js';
import { createLocalStorage } from './local.js';
import { withReadCache } from './read-cache.js';
import { createS3Storage } from './s3.js';
import type { Storage } from './types.js';

export type { ByteRange, ObjectInfo, Storage, TempObject } from './types.js';

// Small files in memory: 32 MiB of them, up to 256 KiB each, for at most a minute.
const READ_CACHE = { maxBytes: 32 * 1024 * 1024, maxObjectBytes: 256 * 1024, ttlMs: 60_000 };

/** S3_BUCKET set → the bucket; otherwise the local disk under MEDIA_DIR. Small files are read through a memory cache. */
export function createStorage(config: Config): Storage {
  return withReadCache(config.s3 ? createS3Storage(config.s3) : createLocalStorage(config.mediaDir), READ_CACHE);
}
