import { Transform } from 'node:stream';

/** A pass-through stream that counts the bytes going through it (backpressure intact). */
export function byteCounter(): Transform & { bytes: number } {
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      counter.bytes += chunk.length;
      done(null, chunk);
    },
  }) as Transform & { bytes: number };
  counter.bytes = 0;
  return counter;
}

/** Skips `skip` bytes, passes the next `take`, and drops the rest. */
export function sliceStream(skip: number, take: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const from = Math.max(0, skip - seen);
      const to = Math.min(chunk.length, skip + take - seen);
      seen += chunk.length;
      done(null, from < to ? chunk.subarray(from, to) : undefined);
    },
  });
}
