// The query of an image on demand, `/media/<name>?w=&h=&fit=&fm=&q=&fp-x=&fp-y=&s=` (API.md §7):
// read as sent (the signature covers the bytes the client sent), checked against the flood
// rules, and written back in one spelling for the URLs the service hands out.
import { MAX_IMAGE_SIDE } from '../../config.js';
import { type Aspect, type Fit, FITS, heightFor } from '../../lib/image-geometry.js';
import { isImageSignatureValid } from '../../lib/image-signing.js';
import { badRequest, type FieldError, Problem } from '../../lib/problem.js';
import { REQUESTABLE_FORMATS, type RequestedFormat } from './media.formats.js';

export interface ImagePolicy {
  /** Widths an unsigned URL may ask for. */
  widths: readonly number[];
  /** Aspects whose heights an unsigned URL may ask for. */
  aspects: readonly Aspect[];
  /** undefined: signed URLs are refused. */
  signingKey: string | undefined;
}

export interface ImageQuery {
  width?: number;
  height?: number;
  fit: Fit;
  format?: RequestedFormat;
  quality?: number;
  /** fp-x and fp-y as sent; undefined means the image's current focal point. */
  focal?: { x: string; y: string };
  signed: boolean;
  /** The parameters in the order sent. */
  pairs: Array<[string, string]>;
}

const SIDE = /^[1-9][0-9]{0,4}$/;
const QUALITY = /^(?:[1-9][0-9]?|100)$/;
/** 0 to 1 with at most 4 decimals: the precision the service writes focal points with. */
const FOCAL = /^(?:0(?:\.[0-9]{1,4})?|1(?:\.0{1,4})?)$/;
const TOKEN = /^[A-Za-z0-9._-]+$/;
const MAX_QUERY = 512;
/** Unsigned URLs take qualities in steps of 5: every other value would be one more render per image. */
const UNSIGNED_QUALITY_STEP = 5;

const PARAMS: Record<string, (v: string) => boolean> = {
  w: (v) => SIDE.test(v) && Number(v) <= MAX_IMAGE_SIDE,
  h: (v) => SIDE.test(v) && Number(v) <= MAX_IMAGE_SIDE,
  fit: (v) => (FITS as readonly string[]).includes(v),
  fm: (v) => (REQUESTABLE_FORMATS as readonly string[]).includes(v),
  q: (v) => QUALITY.test(v),
  'fp-x': (v) => FOCAL.test(v),
  'fp-y': (v) => FOCAL.test(v),
  s: () => true,
};

const EXPECTED: Record<string, string> = {
  w: `a width in pixels (1–${MAX_IMAGE_SIDE})`,
  h: `a height in pixels (1–${MAX_IMAGE_SIDE})`,
  fit: `one of ${FITS.join(', ')}`,
  fm: `one of ${REQUESTABLE_FORMATS.join(', ')}`,
  q: 'a quality from 1 to 100',
  'fp-x': 'a number from 0 to 1 with at most 4 decimals',
  'fp-y': 'a number from 0 to 1 with at most 4 decimals',
};

const invalid = (name: string, message: string, detail?: string) =>
  badRequest(detail ?? `Invalid image parameter "${name}": ${message}.`, [{ path: `query.${name}`, message }]);

/** The focal point as URLs carry it: at most 4 decimals, no exponent. */
export const focalText = (n: number): string => String(Math.round(n * 10_000) / 10_000);

function readPairs(rawQuery: string): Array<[string, string]> {
  if (rawQuery.length > MAX_QUERY) throw badRequest(`The query is longer than ${MAX_QUERY} characters.`);
  const pairs: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const part of rawQuery.split('&')) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    if (!Object.hasOwn(PARAMS, name)) {
      const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
      throw invalid(name.slice(0, 40), 'is not a known parameter', `Unknown image parameter "${shown}"; use ${Object.keys(PARAMS).join(', ')}.`);
    }
    if (value === '') throw invalid(name, 'must not be empty');
    if (seen.has(name)) throw invalid(name, 'must be given once');
    seen.add(name);
    // Plain tokens only: then a value as sent is the value meant, and the signature covers it.
    if (!TOKEN.test(value) || !PARAMS[name](value)) throw invalid(name, `must be ${EXPECTED[name] ?? '64 lower-case hex digits'}`);
    pairs.push([name, value]);
  }
  return pairs;
}

function checkSignature(path: string, pairs: Array<[string, string]>, signature: string, policy: ImagePolicy): void {
  if (policy.signingKey === undefined) {
    throw new Problem(403, 'signed_urls_disabled', 'Signed image URLs are disabled on this server (IMAGE_SIGNING_KEY is not set); use an unsigned size.');
  }
  if (!isImageSignatureValid(path, pairs, signature, policy.signingKey)) {
    throw new Problem(403, 'invalid_signature', 'The image URL signature does not match its path and parameters.');
  }
}

/** What an unsigned URL may ask for: the configured widths, each alone or with a named aspect's height. */
function checkUnsigned(q: ImageQuery, policy: ImagePolicy): void {
  const errors: FieldError[] = [];
  if (q.width === undefined) errors.push({ path: 'query.w', message: 'is required unless the URL is signed' });
  else if (!policy.widths.includes(q.width)) errors.push({ path: 'query.w', message: 'is not one of IMAGE_WIDTHS' });
  else if (q.height !== undefined && !policy.aspects.some((a) => heightFor(q.width!, a) === q.height)) {
    errors.push({ path: 'query.h', message: 'is not the height of a named aspect at this width' });
  }
  if (errors.length > 0) {
    const widths = policy.widths.join(', ');
    const aspects = policy.aspects.map((a) => a.name).join(', ');
    throw badRequest(`Unsigned image URLs take w from IMAGE_WIDTHS (${widths}), alone or with the height of one of the aspects ${aspects}; sign the URL for any other size.`, errors);
  }
  if (q.quality !== undefined && q.quality % UNSIGNED_QUALITY_STEP !== 0) {
    throw invalid('q', `must be a multiple of ${UNSIGNED_QUALITY_STEP} unless the URL is signed`);
  }
}

/**
 * The query of `/media/<name>` (`path`), or undefined when it has none (the file as stored).
 * 400 for anything malformed or, unsigned, outside the allowed sizes; 403 for a bad signature.
 */
export function parseImageQuery(path: string, rawQuery: string, policy: ImagePolicy): ImageQuery | undefined {
  if (rawQuery === '') return undefined;
  const pairs = readPairs(rawQuery);
  const get = (name: string) => pairs.find(([n]) => n === name)?.[1];
  const num = (name: string) => (get(name) === undefined ? undefined : Number(get(name)));
  const fpx = get('fp-x');
  const fpy = get('fp-y');
  const q: ImageQuery = {
    width: num('w'),
    height: num('h'),
    fit: (get('fit') as Fit | undefined) ?? 'inside',
    format: get('fm') as RequestedFormat | undefined,
    quality: num('q'),
    focal: fpx !== undefined && fpy !== undefined ? { x: fpx, y: fpy } : undefined,
    signed: get('s') !== undefined,
    pairs,
  };
  if ((fpx === undefined) !== (fpy === undefined)) throw invalid(fpx === undefined ? 'fp-x' : 'fp-y', 'must be given with the other focal coordinate');
  if (q.focal && (q.fit !== 'cover' || q.width === undefined || q.height === undefined)) {
    throw invalid('fp-x', 'applies only to fit=cover with both w and h');
  }
  const signature = get('s');
  if (signature !== undefined) checkSignature(path, pairs, signature, policy);
  else checkUnsigned(q, policy);
  return q;
}

/** The one spelling of the URLs the service writes (crops, redirects): fixed order, no signature. */
export function formatImageQuery(p: { width: number; height?: number; fit?: Fit; format?: RequestedFormat; quality?: number; focal?: { x: string; y: string } }): string {
  const parts = [`w=${p.width}`];
  if (p.height !== undefined) parts.push(`h=${p.height}`);
  if (p.fit !== undefined) parts.push(`fit=${p.fit}`);
  if (p.format !== undefined) parts.push(`fm=${p.format}`);
  if (p.quality !== undefined) parts.push(`q=${p.quality}`);
  if (p.focal !== undefined) parts.push(`fp-x=${p.focal.x}`, `fp-y=${p.focal.y}`);
  return parts.join('&');
}
