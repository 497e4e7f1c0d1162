// Media in an S3-compatible bucket. Uploads stream through lib-storage's multipart Upload (bounded
// memory: one part in flight), land under tmp/, and are copied to their key on commit.
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { byteCounter, sliceStream } from './streams.js';
import { assertSafeKey, assertSafePrefix, type ByteRange, type ObjectInfo, type Storage, type TempObject } from './types.js';

export interface S3Options {
  bucket: string;
  endpoint: string | undefined;
  region: string;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
}

const TEMP_PREFIX = 'tmp/';
const PART_SIZE = 5 * 1024 * 1024;

function isNotFound(err: unknown): boolean {
  return err instanceof S3ServiceException && (err.$metadata.httpStatusCode === 404 || err.name === 'NoSuchKey' || err.name === 'NotFound');
}

/**
 * A server may answer a Range with more than was asked: the whole object (ignoring Range is
 * allowed), or a longer range (s3rver reads "bytes=0-0" as "from 0 to the end"). Cut the body
 * down to exactly the requested bytes.
 */
function trimToRange(body: Readable, range: ByteRange, contentRange: string | undefined): Readable {
  const m = /^bytes (\d+)-(\d+)\//.exec(contentRange ?? '');
  const returnedStart = m ? Number(m[1]) : 0;
  if (m && returnedStart === range.start && Number(m[2]) === range.end) return body;
  return pipeline(body, sliceStream(range.start - returnedStart, range.end - range.start + 1), () => {});
}

export function createS3Storage(opts: S3Options): Storage {
  const client = new S3Client({
    region: opts.region,
    endpoint: opts.endpoint,
    forcePathStyle: true,
    credentials: opts.accessKeyId && opts.secretAccessKey ? { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey } : undefined,
    // The default (WHEN_SUPPORTED) sends streamed bodies aws-chunked with a CRC32 trailer, which
    // S3-compatible servers such as s3rver store verbatim: silently corrupted objects.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = opts.bucket;
  const keyOf = (key: string) => {
    assertSafeKey(key);
    return key;
  };

  return {
    kind: 's3',

    async putTemp(body: Readable): Promise<TempObject> {
      const key = `${TEMP_PREFIX}${randomBytes(16).toString('hex')}`;
      const counter = byteCounter();
      // A failing body (client gone, upload refused) destroys the counter, which fails the Upload;
      // the Upload then aborts its multipart upload, so no part is left behind.
      pipeline(body, counter, () => {});
      const upload = new Upload({ client, params: { Bucket, Key: key, Body: counter }, queueSize: 1, partSize: PART_SIZE, leavePartsOnError: false });
      try {
        await upload.done();
      } catch (err) {
        await client.send(new DeleteObjectCommand({ Bucket, Key: key })).catch(() => {});
        throw counter.errored ?? body.errored ?? err;
      }
      return { key, size: counter.bytes };
    },

    async commit(tempKey: string, key: string, contentType: string): Promise<void> {
      await client.send(
        new CopyObjectCommand({ Bucket, Key: keyOf(key), CopySource: `${Bucket}/${keyOf(tempKey)}`, ContentType: contentType, MetadataDirective: 'REPLACE' }),
      );
      await client.send(new DeleteObjectCommand({ Bucket, Key: tempKey }));
    },

    async get(key: string, range?: ByteRange): Promise<Readable | undefined> {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket, Key: keyOf(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined }));
        const body = res.Body as Readable;
        return range ? trimToRange(body, range, res.ContentRange) : body;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },

    async head(key: string): Promise<ObjectInfo | undefined> {
      try {
        const res = await client.send(new HeadObjectCommand({ Bucket, Key: keyOf(key) }));
        return { size: res.ContentLength ?? 0 };
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },

    async delete(key: string): Promise<void> {
      await client.send(new DeleteObjectCommand({ Bucket, Key: keyOf(key) }));
    },

    async deletePrefix(prefix: string): Promise<number> {
      assertSafePrefix(prefix);
      let removed = 0;
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken: token }));
        const keys = (page.Contents ?? []).flatMap((obj) => (obj.Key ? [obj.Key] : []));
        // One by one (a few at a time) rather than DeleteObjects, which S3-compatible servers
        // implement unevenly (it requires a Content-MD5 that some SDK settings leave out).
        for (let i = 0; i < keys.length; i += 8) {
          await Promise.all(keys.slice(i, i + 8).map((Key) => client.send(new DeleteObjectCommand({ Bucket, Key }))));
        }
        removed += keys.length;
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return removed;
    },

    async removeStaleTemp(before: Date): Promise<number> {
      let removed = 0;
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: TEMP_PREFIX, ContinuationToken: token }));
        for (const obj of page.Contents ?? []) {
          if (obj.Key && obj.LastModified && obj.LastModified < before) {
            await client.send(new DeleteObjectCommand({ Bucket, Key: obj.Key }));
            removed++;
          }
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return removed;
    },

    async close(): Promise<void> {
      client.destroy();
    },
  };
}
