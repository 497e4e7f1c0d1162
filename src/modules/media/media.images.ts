// Public versions of an uploaded image: re-encoded in its own format with orientation applied
// and without metadata (EXIF, GPS, XMP, ICC are dropped by re-encoding), plus resized WebP
// renditions. sharp works in libuv's thread pool, so the event loop stays free; the limit
// keeps a burst of uploads from decoding many large images at once.
import sharp, { type Sharp } from 'sharp';
import pLimit from 'p-limit';
import { payloadTooLarge, Problem } from '../../lib/problem.js';
import type { MediaKind } from './media.kinds.js';

export const RENDITION_WIDTHS = [320, 640, 1280] as const;
export const SHARP_JOBS = 2;
/** 100 megapixels: above any newsroom camera, and a bound on what one decode may allocate (~300 MB). */
export const MAX_PIXELS = 100_000_000;

// Every upload is a different image: sharp's operation cache would only hold memory.
sharp.cache(false);

export interface RenderedImage {
  width: number;
  height: number;
  data: Buffer;
}

export interface ImageSet {
  public: RenderedImage;
  renditions: RenderedImage[];
}

/** At most SHARP_JOBS images are decoded at once; the others wait their turn, in order. */
export const imageJobs = pLimit(SHARP_JOBS);

const ENCODERS: Record<NonNullable<MediaKind['decodesAs']>, (s: Sharp) => Sharp> = {
  jpeg: (s) => s.jpeg({ quality: 90 }),
  png: (s) => s.png(),
  webp: (s) => s.webp({ quality: 90 }),
  gif: (s) => s.gif(),
  heif: (s) => s.avif({ quality: 60 }),
};

/** The configured widths below the image's own, plus its own width when that is below the largest: never upscaled. */
export function renditionWidths(width: number): number[] {
  const widths: number[] = RENDITION_WIDTHS.filter((w) => w < width);
  if (width <= RENDITION_WIDTHS[RENDITION_WIDTHS.length - 1]) widths.push(width);
  return widths;
}

function decodeProblem(err: unknown): Problem {
  const detail = (err as Error).message;
  if (/pixel limit/.test(detail)) return payloadTooLarge(`The image has more than ${MAX_PIXELS / 1_000_000} megapixels.`);
  return new Problem(422, 'invalid_image', `The file could not be read as an image: ${detail}`);
}

async function render(s: Sharp): Promise<RenderedImage> {
  const { data, info } = await s.toBuffer({ resolveWithObject: true });
  // Animated images are a stack of frames; the height readers care about is one frame's.
  return { data, width: info.width, height: info.pageHeight ?? info.height };
}

export function renderImage(input: Buffer, kind: MediaKind): Promise<ImageSet> {
  return imageJobs(async () => {
    const animated = kind.decodesAs === 'gif' || kind.decodesAs === 'webp';
    const open = () => sharp(input, { animated, limitInputPixels: MAX_PIXELS });
    let pages: number;
    try {
      const meta = await open().metadata();
      // The sniffed type and what the decoder sees must agree, or the bytes are not what they claim.
      if (meta.format !== kind.decodesAs) throw new Error(`it is not a valid ${kind.mimeType} file`);
      pages = meta.pages ?? 1;
    } catch (err) {
      throw decodeProblem(err);
    }
    // Frames of an animation cannot be turned by 90°, and animations carry no orientation tag anyway.
    const oriented = () => (pages > 1 ? open() : open().rotate());
    try {
      const pub = await render(ENCODERS[kind.decodesAs!](oriented()));
      const renditions: RenderedImage[] = [];
      for (const width of renditionWidths(pub.width)) {
        renditions.push(await render(oriented().resize({ width, withoutEnlargement: true }).webp({ quality: 80 })));
      }
      return { public: pub, renditions };
    } catch (err) {
      throw decodeProblem(err);
    }
  });
}
