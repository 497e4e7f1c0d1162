// Small stored objects kept in memory. The most read files are small and hot (the crops of the
// covers in article lists): from memory they are sent without a file-system or S3 round trip
// per request. Correct because a key's bytes never change (keys are generated and written
// once); a delete, a prefix delete or a new commit under a key forgets it at once in this
// process, and every entry expires after `ttlMs`, which bounds how long another instance may
// still serve a file deleted here.
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { LRUCache } from 'lru-cache';
import type { ByteRange, ObjectInfo, Storage } from './types.js';

export interface ReadCacheOptions {
  /** Bytes of file data kept in all. */
  maxBytes: number;
  /** Larger objects are always read from the store. */
  maxObjectBytes: number;
  ttlMs: number;
}

interface Entry {
  size: number;
  data?: Buffer;
}

const ENTRY_OVERHEAD = 64;

export function withReadCache(inner: Storage, opts: ReadCacheOptions): Storage {
  const cache = new LRUCache<string, Entry>({
    maxSize: opts.maxBytes,
    sizeCalculation: (e) => (e.data?.length ?? 0) + ENTRY_OVERHEAD,
    ttl: opts.ttlMs,
  });
  const forget = (key: string) => void cache.delete(key);
  const forgetPrefix = (prefix: string) => {
    for (const key of [...cache.keys()]) if (key.startsWith(prefix)) cache.delete(key);
  };
  const sliceOf = (data: Buffer, range?: ByteRange) => Readable.from([range ? data.subarray(range.start, range.end + 1) : data]);

  const head = async (key: string): Promise<ObjectInfo | undefined> => {
    const hit = cache.get(key);
    if (hit) return { size: hit.size };
    const info = await inner.head(key);
    if (info) cache.set(key, { size: info.size });
    return info;
  };

  return {
    kind: inner.kind,
    putTemp: (body) => inner.putTemp(body),

    async commit(tempKey, key, contentType) {
      await inner.commit(tempKey, key, contentType);
      forget(tempKey);
      forget(key);
    },

    head,

    peek: (key) => cache.get(key)?.data,

    async get(key, range) {
      const hit = cache.get(key);
      if (hit?.data) return sliceOf(hit.data, range);
      const size = hit?.size ?? (await inner.head(key))?.size;
      if (size === undefined || size > opts.maxObjectBytes) return inner.get(key, range);
      const whole = await inner.get(key);
      if (!whole) {
        forget(key);
        return undefined;
      }
      const data = await buffer(whole);
      cache.set(key, { size: data.length, data });
      return sliceOf(data, range);
    },

    async delete(key) {
      forget(key);
      await inner.delete(key);
      // A read that was under way may have brought it back in between.
      forget(key);
    },

    async deletePrefix(prefix) {
      forgetPrefix(prefix);
      const removed = await inner.deletePrefix(prefix);
      forgetPrefix(prefix);
      return removed;
    },

    removeStaleTemp: (before) => inner.removeStaleTemp(before),
    close: () => inner.close(),
  };
}
