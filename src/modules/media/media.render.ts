// Renders one derived image with sharp, following a plan from lib/image-geometry.ts. libvips
// does the pixels in libuv's thread pool: the event loop only starts the job and gets the bytes.
// Orientation is applied and metadata is dropped (re-encoding keeps no EXIF, GPS, XMP or ICC).
import sharp, { type Sharp } from 'sharp';
import type { ResizePlan } from '../../lib/image-geometry.js';
import { OUTPUT_FORMATS, type OutputFormat } from './media.formats.js';
import { MAX_PIXELS } from './media.images.js';

export interface RenderTarget {
  plan: ResizePlan;
  format: OutputFormat;
  quality: number | undefined;
}

const WHITE = { r: 255, g: 255, b: 255, alpha: 1 };
const CLEAR = { r: 0, g: 0, b: 0, alpha: 0 };

function encode(s: Sharp, format: OutputFormat, quality: number | undefined): Sharp {
  switch (format) {
    case 'webp':
      return s.webp({ quality, effort: 4 });
    // effort 2: a 1920 px AVIF takes about 0.7 s here against 3 s at the default 4, for a file
    // a few per cent larger. Each derivative is made once, but the first reader waits for it.
    case 'avif':
      return s.avif({ quality, effort: 2 });
    case 'jpeg':
      // JPEG has no transparency: transparent pixels become white, not black.
      return s.flatten({ background: WHITE }).jpeg({ quality, mozjpeg: false });
    case 'png':
      return s.png({ compressionLevel: 6 });
    case 'gif':
      return s.gif();
  }
}

/**
 * `animated`: the source may hold frames (GIF, WebP). They are kept only in a format that can
 * animate; otherwise the first frame is the image.
 */
export async function renderDerivative(input: Buffer, target: RenderTarget, animated: boolean): Promise<Buffer> {
  const keepFrames = animated && OUTPUT_FORMATS[target.format].animates;
  const open = () => sharp(input, { animated: keepFrames, limitInputPixels: MAX_PIXELS });
  const pages = keepFrames ? ((await open().metadata()).pages ?? 1) : 1;
  // Frames cannot be turned by 90°, and animations carry no orientation tag anyway.
  let s = pages > 1 ? open() : open().rotate();
  const { plan } = target;
  s = s.resize(plan.scaled.width, plan.scaled.height, { fit: 'fill' });
  if (plan.crop) s = s.extract(plan.crop);
  if (plan.canvas) {
    const padX = plan.canvas.width - plan.scaled.width;
    const padY = plan.canvas.height - plan.scaled.height;
    const background = target.format === 'jpeg' ? WHITE : CLEAR;
    s = s.extend({ left: Math.floor(padX / 2), right: Math.ceil(padX / 2), top: Math.floor(padY / 2), bottom: Math.ceil(padY / 2), background });
  }
  return encode(s, target.format, target.quality).toBuffer();
}
