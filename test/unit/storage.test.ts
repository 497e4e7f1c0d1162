// One storage suite, two drivers: the local disk and a real S3-protocol server on loopback.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { createLocalStorage } from '../../src/storage/local.js';
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
