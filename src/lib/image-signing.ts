// Signed image URLs (API.md §7): `s` is the lower-case hex HMAC-SHA256, keyed with the UTF-8
// bytes of IMAGE_SIGNING_KEY, of the path, "?", and the other parameters sorted by name, each
// `name=value` as sent, joined with "&". Only node:crypto: a frontend's server can copy this file.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type ImageParams = Record<string, string | number>;

/** What the signature covers, e.g. "/media/ab12.jpg?fit=cover&h=360&w=640". */
export function signedText(path: string, params: ReadonlyArray<readonly [string, string]>): string {
  const sorted = params.filter(([name]) => name !== 's').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${path}?${sorted.map(([name, value]) => `${name}=${value}`).join('&')}`;
}

export function imageSignature(path: string, params: ReadonlyArray<readonly [string, string]>, key: string): string {
  return createHmac('sha256', Buffer.from(key, 'utf8')).update(signedText(path, params), 'utf8').digest('hex');
}

/**
 * A signed URL path for any size: `signImageUrl('/media/ab12.jpg', { w: 500, h: 300, fit: 'cover' }, key)`
 * → "/media/ab12.jpg?fit=cover&h=300&w=500&s=…". Prefix it with the API's PUBLIC_URL.
 */
export function signImageUrl(path: string, params: ImageParams, key: string): string {
  const pairs = Object.entries(params).map(([name, value]) => [name, String(value)] as const);
  const text = signedText(path, pairs);
  return `${text}&s=${imageSignature(path, pairs, key)}`;
}

/** Compares in constant time; anything but 64 lower-case hex digits is simply wrong. */
export function isImageSignatureValid(path: string, params: ReadonlyArray<readonly [string, string]>, signature: string, key: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(signature)) return false;
  return timingSafeEqual(Buffer.from(signature, 'hex'), Buffer.from(imageSignature(path, params, key), 'hex'));
}
