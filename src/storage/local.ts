// Media on the local disk under MEDIA_DIR. Uploads are written to MEDIA_DIR/.tmp and renamed into
// place on commit (same file system, so the rename is atomic); files and the directory entry are
// fsynced so that a 2xx survives a crash (API.md §1).
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { byteCounter } from './streams.js';
import { assertSafeKey, assertSafePrefix, type ByteRange, type ObjectInfo, type Storage, type TempObject } from './types.js';

const TEMP_DIR = '.tmp';

function isMissing(err: unknown): boolean {
  return (err as NodeJS.ErrnoException).code === 'ENOENT';
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export function createLocalStorage(root: string): Storage {
  const base = resolve(root);
  const tempDir = join(base, TEMP_DIR);
  mkdirSync(tempDir, { recursive: true });

  // Temporary objects live in the hidden .tmp folder, which a generated key cannot name.
  const pathOf = (key: string) => {
    const temp = key.startsWith(`${TEMP_DIR}/`);
    const name = temp ? key.slice(TEMP_DIR.length + 1) : key;
    assertSafeKey(name);
    return join(temp ? tempDir : base, name);
  };

  return {
    kind: 'local',

    async putTemp(body: Readable): Promise<TempObject> {
      const key = `${TEMP_DIR}/${randomBytes(16).toString('hex')}`;
      const path = pathOf(key);
      const counter = byteCounter();
      try {
        // flush: fsync before close, so the bytes are on disk before we report success.
        await pipeline(body, counter, createWriteStream(path, { flags: 'wx', flush: true }));
      } catch (err) {
        await rm(path, { force: true });
        throw err;
      }
      return { key, size: counter.bytes };
    },

    async commit(tempKey: string, key: string): Promise<void> {
      const target = pathOf(key);
      await mkdir(dirname(target), { recursive: true });
      await rename(pathOf(tempKey), target);
      await fsyncDir(dirname(target));
    },

    async get(key: string, range?: ByteRange): Promise<Readable | undefined> {
      let fh;
      try {
        fh = await open(pathOf(key), 'r');
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw err;
      }
      return fh.createReadStream(range ? { start: range.start, end: range.end } : {});
    },

    async head(key: string): Promise<ObjectInfo | undefined> {
      try {
        const s = await stat(pathOf(key));
        return s.isFile() ? { size: s.size } : undefined;
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw err;
      }
    },

    async delete(key: string): Promise<void> {
      await rm(pathOf(key), { force: true });
    },

    async deletePrefix(prefix: string): Promise<number> {
      assertSafePrefix(prefix);
      if (prefix.startsWith(`${TEMP_DIR}/`)) throw new Error(`Unsafe storage prefix "${prefix}"`);
      const dir = join(base, prefix);
      const names = await readdir(dir, { recursive: true, withFileTypes: true }).catch((err: unknown) => {
        if (isMissing(err)) return [];
        throw err;
      });
      await rm(dir, { recursive: true, force: true });
      return names.filter((e) => e.isFile()).length;
    },

    async removeStaleTemp(before: Date): Promise<number> {
      let removed = 0;
      for (const name of await readdir(tempDir)) {
        const path = join(tempDir, name);
        const s = await stat(path).catch(() => undefined);
        if (s && s.mtime < before) {
          await rm(path, { force: true });
          removed++;
        }
      }
      return removed;
    },

    async close(): Promise<void> {},
  };
}
