// The formats images on demand are made in, and which one a request gets: the one it names,
// the best one its Accept header allows (fm=auto), or the image's own.

export type OutputFormat = 'webp' | 'avif' | 'jpeg' | 'png' | 'gif';

interface FormatInfo {
  ext: string;
  mimeType: string;
  /** The default `q`; undefined where quality means nothing (lossless formats). */
  quality?: number;
  /** Whether it can hold the frames of an animation. */
  animates: boolean;
}

export const OUTPUT_FORMATS: Record<OutputFormat, FormatInfo> = {
  webp: { ext: 'webp', mimeType: 'image/webp', quality: 80, animates: true },
  avif: { ext: 'avif', mimeType: 'image/avif', quality: 55, animates: false },
  jpeg: { ext: 'jpg', mimeType: 'image/jpeg', quality: 80, animates: false },
  png: { ext: 'png', mimeType: 'image/png', animates: false },
  gif: { ext: 'gif', mimeType: 'image/gif', animates: true },
};

/** What `fm` may say. */
export const REQUESTABLE_FORMATS = ['webp', 'avif', 'jpeg', 'png', 'auto'] as const;
export type RequestedFormat = (typeof REQUESTABLE_FORMATS)[number];

/** An image's own format, by the extension of its public file. */
const OWN_FORMAT: Record<string, OutputFormat> = { jpg: 'jpeg', png: 'png', webp: 'webp', gif: 'gif', avif: 'avif' };
export const ownFormatOf = (ext: string): OutputFormat | undefined => (Object.hasOwn(OWN_FORMAT, ext) ? OWN_FORMAT[ext] : undefined);

/** The image types an Accept header names explicitly with a non-zero q (wildcards promise nothing). */
function acceptedImageTypes(accept: string | undefined): Set<string> {
  const types = new Set<string>();
  for (const range of (accept ?? '').slice(0, 1024).split(',')) {
    const [type, ...params] = range.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (q && !(Number(q.slice(2)) > 0)) continue;
    types.add(type);
  }
  return types;
}

/**
 * All that fm=auto reads from an Accept header: whether it names AVIF and WebP. Two headers with
 * the same variant get the same answer (a key for caches of answers).
 */
export function acceptVariant(accept: string | undefined): string {
  const types = acceptedImageTypes(accept);
  return `${types.has('image/avif') ? 'avif' : ''},${types.has('image/webp') ? 'webp' : ''}`;
}

/**
 * fm=auto: AVIF, then WebP, then the image's own family (JPEG for photos; PNG and GIF keep
 * transparency and animation). An animation never becomes AVIF, which would keep one frame.
 */
export function negotiateFormat(accept: string | undefined, own: OutputFormat): OutputFormat {
  const types = acceptedImageTypes(accept);
  if (own !== 'gif' && types.has('image/avif')) return 'avif';
  if (types.has('image/webp')) return 'webp';
  return own === 'png' || own === 'gif' ? own : 'jpeg';
}

export function outputFormatOf(requested: RequestedFormat | undefined, accept: string | undefined, own: OutputFormat): OutputFormat {
  if (requested === undefined) return own;
  return requested === 'auto' ? negotiateFormat(accept, own) : requested;
}
