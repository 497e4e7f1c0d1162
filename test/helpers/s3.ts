// An S3-protocol server on loopback for tests (s3rver, in-process), with a fresh bucket.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface TestS3 {
  env: Record<string, string>;
  options: { bucket: string; endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
  close(): Promise<void>;
}

export async function startTestS3(bucket = 'toasoan-media'): Promise<TestS3> {
  const directory = await mkdtemp(join(tmpdir(), 'toasoan-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver accepts only the access key S3RVER.
  const options = { bucket, endpoint, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  return {
    options,
    env: { S3_BUCKET: bucket, S3_ENDPOINT: endpoint, S3_REGION: options.region, S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER' },
    close: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
