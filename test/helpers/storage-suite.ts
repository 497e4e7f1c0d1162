// The storage contract, written once and run against every driver (test/unit/storage.test.ts).
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { Test } from 'tap';
import type { Storage } from '../../src/storage/index.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function bytesOf(stream: Readable | undefined): Promise<Buffer> {
  if (!stream) throw new Error('no object');
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A body of `size` bytes delivered in 64 KiB chunks, that fails after `failAt` bytes if given. */
function chunked(data: Buffer, failAt?: number): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (failAt !== undefined && offset >= failAt) return this.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
      if (offset >= data.length) return this.push(null);
      this.push(data.subarray(offset, offset + 65536));
      offset += 65536;
    },
  });
}

const future = () => new Date(Date.now() + 60_000);

export function storageSuite(t: Test, make: () => Promise<Storage>): void {
  let storage: Storage;
  t.before(async () => {
    storage = await make();
  });
  t.teardown(async () => storage.close());

  t.test('a streamed body is invisible until committed, then intact', async (t) => {
    const data = randomBytes(12 * 1024 * 1024 + 123);
    const temp = await storage.putTemp(chunked(data));
    t.equal(temp.size, data.length);
    t.equal(await storage.head('abc123.bin'), undefined, 'nothing under the final key yet');
    await storage.commit(temp.key, 'abc123.bin', 'application/octet-stream');
    t.same(await storage.head('abc123.bin'), { size: data.length });
    t.equal(sha(await bytesOf(await storage.get('abc123.bin'))), sha(data), 'byte-identical');
    t.equal(await storage.removeStaleTemp(future()), 0, 'the commit consumed the temporary object');
  });

  t.test('ranges', async (t) => {
    const data = Buffer.from('0123456789abcdefghij');
    const temp = await storage.putTemp(Readable.from([data]));
    await storage.commit(temp.key, 'nested/range.txt', 'text/plain');
    t.equal(await text((await storage.get('nested/range.txt', { start: 3, end: 7 }))!), '34567');
    t.equal(await text((await storage.get('nested/range.txt', { start: 15, end: 19 }))!), 'fghij');
    t.equal(await text((await storage.get('nested/range.txt', { start: 0, end: 0 }))!), '0');
  });

  t.test('missing objects', async (t) => {
    t.equal(await storage.get('missing.jpg'), undefined);
    t.equal(await storage.head('missing.jpg'), undefined);
    await storage.delete('missing.jpg');
    t.pass('deleting a missing object is fine');
  });

  t.test('delete', async (t) => {
    const temp = await storage.putTemp(Readable.from([Buffer.from('x')]));
    await storage.commit(temp.key, 'gone.txt', 'text/plain');
    await storage.delete('gone.txt');
    t.equal(await storage.head('gone.txt'), undefined);
    t.equal(await storage.get('gone.txt'), undefined);
  });

  t.test('deleting a prefix deletes the keys under it and nothing else', async (t) => {
    const put = async (key: string) => storage.commit((await storage.putTemp(Readable.from([Buffer.from(key)]))).key, key, 'text/plain');
    for (const key of ['derived/aa/one.webp', 'derived/aa/two.avif', 'derived/aab/other.webp', 'derived/aa.webp', 'aa.webp']) await put(key);
    t.equal(await storage.deletePrefix('derived/aa/'), 2);
    t.equal(await storage.head('derived/aa/one.webp'), undefined);
    t.equal(await storage.head('derived/aa/two.avif'), undefined);
    for (const kept of ['derived/aab/other.webp', 'derived/aa.webp', 'aa.webp']) t.ok(await storage.head(kept), `${kept} kept`);
    t.equal(await storage.deletePrefix('derived/none/'), 0, 'an empty prefix is not an error');
    for (const bad of ['', '/', 'derived', '../', 'derived/../', '.tmp/', '*/']) await t.rejects(storage.deletePrefix(bad), `refuses ${JSON.stringify(bad)}`);
  });

  t.test('a failing body leaves nothing behind', async (t) => {
    const data = randomBytes(8 * 1024 * 1024);
    await t.rejects(storage.putTemp(chunked(data, 6 * 1024 * 1024)), { message: 'aborted' });
    await t.rejects(storage.putTemp(chunked(data, 0)), { message: 'aborted' });
    t.equal(await storage.removeStaleTemp(future()), 0, 'no temporary object left');
  });

  t.test('an empty body is a zero-byte object', async (t) => {
    const temp = await storage.putTemp(Readable.from([]));
    t.equal(temp.size, 0);
    await storage.delete(temp.key);
    t.equal(await storage.removeStaleTemp(future()), 0);
  });

  t.test('stale temporary objects are swept, recent ones kept', async (t) => {
    const temp = await storage.putTemp(Readable.from([Buffer.from('left by a crash')]));
    t.equal(await storage.removeStaleTemp(new Date(Date.now() - 60_000)), 0, 'a recent one is an upload in progress');
    t.equal(await storage.removeStaleTemp(future()), 1);
    await t.rejects(storage.commit(temp.key, 'late.txt', 'text/plain'));
  });

  t.test('keys that could escape the store are refused', async (t) => {
    for (const key of ['../outside.txt', '/etc/passwd', 'a/../../b', '.tmp/../../x', '.hidden', '', 'a//b', 'a\\b']) {
      await t.rejects(storage.get(key), `get ${JSON.stringify(key)}`);
      await t.rejects(storage.head(key), `head ${JSON.stringify(key)}`);
    }
  });
}
