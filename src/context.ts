import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import type { Database, Db } from './db/client.js';
import type { CountCache } from './db/count-cache.js';
import type { MediaUrls } from './modules/media/media.urls.js';
import type { Storage } from './storage/index.js';

/** What services need from the outside world, handed in rather than imported. */
export interface AppContext {
  db: Db;
  database: Database;
  config: Config;
  log: FastifyBaseLogger;
  now: () => Date;
  /** Where media files live (local disk or S3). */
  storage: Storage;
  mediaUrls: MediaUrls;
  /** Totals of staff article lists, exact, recounted only after a change (undefined: always count). */
  counts?: CountCache;
}
