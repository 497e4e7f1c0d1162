// Images on demand (API.md §7): finds or makes the derived image a URL asks for.
//
// - A URL that names everything its image depends on (size, fit, format, quality and, for a
//   cover crop, the focal point) is served from storage without a database query once made.
// - The first request renders it; concurrent first requests wait for that one render
//   (single flight), renders run at most IMAGE_RENDER_CONCURRENCY at a time, and past
//   IMAGE_RENDER_QUEUE waiting renders the answer is 503 with Retry-After.
// - Derived images are stored beside the record's files (media.keys.ts) and deleted with it.
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { AppContext } from '../../context.js';
import { type Fit, planResize } from '../../lib/image-geometry.js';
import { badRequest, notFound, Problem } from '../../lib/problem.js';
import { boundedLimit, QueueFullError } from '../../lib/bounded-limit.js';
import { singleFlight } from '../../lib/single-flight.js';
import { IMMUTABLE, type FileToSend } from './media.files.js';
import { OUTPUT_FORMATS, type OutputFormat, outputFormatOf, ownFormatOf } from './media.formats.js';
import { focalText, type ImagePolicy, type ImageQuery, parseImageQuery } from './media.image-query.js';
import { derivedPrefix, PUBLIC_FILE_NAME } from './media.keys.js';
import { findMediaByStorageKey, type MediaRow } from './media.queries.js';
import { renderDerivative } from './media.render.js';
import { MEDIA_FILE_PREFIX } from './media.urls.js';

/** A cover crop whose URL leaves the focal point to the record: its image changes with it. */
const FOLLOWS_FOCAL_POINT = 'public, max-age=3600';
const REDIRECT_CACHE = 'public, max-age=60';
const RETRY_AFTER_SECONDS = 2;

interface Focal {
  x: string;
  y: string;
}

/** Everything a derived image is made from, as stored in its key. */
interface Spec {
  width?: number;
  height?: number;
  fit: Fit;
  focal?: Focal;
  format: OutputFormat;
  quality?: number;
}

export type ImageAnswer = { file: FileToSend; varyAccept: boolean } | { redirect: string; varyAccept: boolean };

function keyOf(fileId: string, spec: Spec): string {
  const size = `${spec.width ?? 'auto'}x${spec.height ?? 'auto'}`;
  const focal = spec.focal ? `-fx${spec.focal.x}-fy${spec.focal.y}` : '';
  const quality = spec.quality === undefined ? '' : `-q${spec.quality}`;
  return `${derivedPrefix(fileId)}${size}-${spec.fit}${focal}${quality}.${OUTPUT_FORMATS[spec.format].ext}`;
}

const isCoverCrop = (q: ImageQuery) => q.fit === 'cover' && q.width !== undefined && q.height !== undefined;
const isAnimatable = (mimeType: string) => mimeType === 'image/gif' || mimeType === 'image/webp';

function specOf(q: ImageQuery, format: OutputFormat, focal: Focal | undefined): Spec {
  const cover = isCoverCrop(q);
  return {
    width: q.width,
    height: q.height,
    // With one side given, every fit is the same image: one key.
    fit: q.width !== undefined && q.height !== undefined ? q.fit : 'inside',
    focal: cover ? focal : undefined,
    format,
    quality: OUTPUT_FORMATS[format].quality === undefined ? undefined : (q.quality ?? OUTPUT_FORMATS[format].quality),
  };
}

export function createDerivatives(ctx: AppContext) {
  const { config, storage } = ctx;
  const policy: ImagePolicy = { widths: config.imageWidths, aspects: config.imageAspects, signingKey: config.imageSigningKey };
  const queue = boundedLimit(config.imageRenderConcurrency, config.imageRenderQueue);
  const flights = singleFlight<void>();

  const fileOf = (key: string, spec: Spec, cacheControl: string): FileToSend => ({
    key,
    contentType: OUTPUT_FORMATS[spec.format].mimeType,
    etag: `"${key.slice('derived/'.length).replace('/', '-')}"`,
    cacheControl,
  });

  async function render(row: MediaRow, key: string, spec: Spec): Promise<void> {
    // Made meanwhile by a request that found nothing a moment before this one.
    if (await storage.head(key)) return;
    try {
      await queue(async () => {
        const started = performance.now();
        const source = await storage.get(row.originalKey);
        if (!source) throw notFound('File');
        const focal = spec.focal ? { x: Number(spec.focal.x), y: Number(spec.focal.y) } : { x: row.focalX, y: row.focalY };
        const plan = planResize({ width: row.width!, height: row.height! }, { width: spec.width, height: spec.height }, spec.fit, focal);
        const data = await renderDerivative(await buffer(source), { plan, format: spec.format, quality: spec.quality }, isAnimatable(row.mimeType));
        const temp = await storage.putTemp(Readable.from([data]));
        try {
          await storage.commit(temp.key, key, OUTPUT_FORMATS[spec.format].mimeType);
        } catch (err) {
          await storage.delete(temp.key).catch(() => {});
          throw err;
        }
        ctx.log.info({ key, bytes: data.length, ms: Math.round(performance.now() - started) }, 'image rendered');
      });
    } catch (err) {
      if (err instanceof QueueFullError) {
        throw new Problem(503, 'busy', 'Too many images are being made right now; try again shortly.', undefined, undefined, {
          'retry-after': String(RETRY_AFTER_SECONDS),
        });
      }
      throw err;
    }
    // Media deleted while its image was being made: its files are gone, so this one goes too.
    if (!(await findMediaByStorageKey(ctx.db, row.storageKey))) {
      await storage.delete(key);
      throw notFound('File');
    }
  }

  /** The same URL with the record's current focal point. */
  const withFocal = (name: string, q: ImageQuery, focal: Focal) =>
    ctx.mediaUrls.file(`${name}?${q.pairs.map(([n, v]) => `${n}=${n === 'fp-x' ? focal.x : n === 'fp-y' ? focal.y : v}`).join('&')}`);

  /**
   * The derived image of `/media/<name>?<rawQuery>`, or undefined when the query is empty (the
   * file as stored). `accept` is the request's Accept header, for fm=auto.
   */
  async function answer(name: string, rawQuery: string, accept: string | undefined): Promise<ImageAnswer | undefined> {
    const q = parseImageQuery(`${MEDIA_FILE_PREFIX}/${name}`, rawQuery, policy);
    if (!q) return undefined;
    const m = PUBLIC_FILE_NAME.exec(name);
    if (!m) throw notFound('File');
    const [, fileId, rendition, ext] = m;
    if (rendition) throw badRequest('Size parameters apply to an image’s own URL, not to one of its renditions.');
    const own = ownFormatOf(ext);
    if (!own) throw badRequest('Only images can be resized or converted; this file is a document.');
    const format = outputFormatOf(q.format, accept, own);
    const varyAccept = q.format === 'auto';

    // Every input named by the URL: what is stored under that key is the answer.
    const pinned = !isCoverCrop(q) || q.focal !== undefined;
    if (pinned) {
      const key = keyOf(fileId, specOf(q, format, q.focal));
      if (await storage.head(key)) return { file: fileOf(key, specOf(q, format, q.focal), IMMUTABLE), varyAccept };
    }

    const row = await findMediaByStorageKey(ctx.db, name);
    if (!row) throw notFound('File');
    if (row.width === null || row.height === null) throw badRequest('Only images can be resized or converted; this file is a document.');
    const current = { x: focalText(row.focalX), y: focalText(row.focalY) };
    // An unsigned URL may pin only the current focal point: others would be a render each. An
    // old URL whose image was made while its focal point was current was served above.
    if (q.focal && !q.signed && (q.focal.x !== current.x || q.focal.y !== current.y)) {
      return { redirect: withFocal(name, q, current), varyAccept };
    }
    const spec = specOf(q, format, q.focal ?? current);
    const key = keyOf(fileId, spec);
    const cacheControl = pinned ? IMMUTABLE : FOLLOWS_FOCAL_POINT;
    if (pinned || !(await storage.head(key))) await flights.run(key, () => render(row, key, spec));
    return { file: fileOf(key, spec, cacheControl), varyAccept };
  }

  return { answer, redirectCacheControl: REDIRECT_CACHE };
}

export type Derivatives = ReturnType<typeof createDerivatives>;
