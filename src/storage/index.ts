import type { Config } from '../config.js';
import { createLocalStorage } from './local.js';
import { createS3Storage } from './s3.js';
import type { Storage } from './types.js';

export type { ByteRange, ObjectInfo, Storage, TempObject } from './types.js';

/** S3_BUCKET set → the bucket; otherwise the local disk under MEDIA_DIR. */
export function createStorage(config: Config): Storage {
  return config.s3 ? createS3Storage(config.s3) : createLocalStorage(config.mediaDir);
}
