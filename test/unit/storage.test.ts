// One storage suite, two drivers: the local disk and a real S3-protocol server on loopback.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import t from 'tap';
import { createLocalStorage } from '../../src/storage/local.js';
import { withReadCache } from '../../src/storage/read-cache.js';
import { createS3Storage } from '../../src/storage/s3.js';
import { startTestS3 } from '../helpers/s3.js';
import { storageSuite } from '../helpers/storage-suite.js';

t.test('local disk', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'toasoan-storage-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  storageSuite(t, async () => createLocalStorage(dir));
});

t.test('S3-compatible (s3rver)', async (t) => {
  const s3 = await startTestS3();
  t.teardown(() => s3.close());
  storageSuite(t, async () => createS3Storage(s3.options));
});

t.test('read cache over the local disk', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'toasoan-storage-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  storageSuite(t, async () => withReadCache(createLocalStorage(dir), { maxBytes: 1024 * 1024, maxObjectBytes: 64 * 1024, ttlMs: 60_000 }));
});

t.test('the read cache serves small files from memory and forgets what is deleted or replaced', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'toasoan-storage-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const disk = createLocalStorage(dir);
  const storage = withReadCache(disk, { maxBytes: 1024 * 1024, maxObjectBytes: 1024, ttlMs: 60_000 });
  const put = async (key: string, data: Buffer) => storage.commit((await storage.putTemp(Readable.from([data]))).key, key, 'application/octet-stream');
  const read = async (key: string, range?: { start: number; end: number }) => {
    const body = await storage.get(key, range);
    return body ? (await buffer(body)).toString() : undefined;
  };
  await put('derived/aa/small.webp', Buffer.from('small file'));
  await put('derived/aa/big.webp', Buffer.alloc(4096, 'b'));
  t.equal(await read('derived/aa/small.webp'), 'small file');
  await rm(join(dir, 'derived/aa/small.webp'));
  t.equal(await read('derived/aa/small.webp'), 'small file', 'from memory once read');
  t.equal(await read('derived/aa/small.webp', { start: 6, end: 9 }), 'file', 'ranges too');
  t.same(await storage.head('derived/aa/small.webp'), { size: 10 });
  await rm(join(dir, 'derived/aa/big.webp'));
  t.equal(await read('derived/aa/big.webp'), undefined, 'large files are always read from the store');

  await put('derived/aa/small.webp', Buffer.from('written again'));
  t.equal(await read('derived/aa/small.webp'), 'written again', 'a commit under a key replaces what memory held');
  await storage.delete('derived/aa/small.webp');
  t.equal(await read('derived/aa/small.webp'), undefined, 'a delete forgets it');
  t.equal(await storage.head('derived/aa/small.webp'), undefined);

  await put('derived/bb/one.webp', Buffer.from('one'));
  t.equal(await read('derived/bb/one.webp'), 'one');
  await storage.deletePrefix('derived/bb/');
  t.equal(await read('derived/bb/one.webp'), undefined, 'a prefix delete forgets its keys');
});
