// Storage keys are random and never reused: no name comes from user input, no two records share
// a file (deleting one can never break another), and the bytes behind a URL never change, so
// public files can be cached as immutable.
import { randomBytes } from 'node:crypto';
import type { MediaKind } from './media.kinds.js';

export interface MediaKeys {
  public: string;
  original: string;
  rendition(width: number): string;
}

export function newMediaKeys(kind: MediaKind, image: boolean): MediaKeys {
  const id = randomBytes(16).toString('hex');
  const publicKey = `${id}.${kind.ext}`;
  return {
    public: publicKey,
    // Documents are served as uploaded, so the original is the public file itself. Originals of
    // images live apart, under a prefix the public file route never serves.
    original: image ? `originals/${id}.${kind.ext}` : publicKey,
    rendition: (width) => `${id}-${width}w.webp`,
  };
}

/**
 * Images on demand live beside their record's files, under one prefix per record: deleting the
 * record deletes the prefix. A derived image's key names everything it was made from (size,
 * fit, focal point, quality, format), so a key is written once and its bytes never change.
 */
export const derivedPrefix = (fileId: string): string => `derived/${fileId}/`;

/** A public file name: what /media/:name serves (no originals, no temporary objects). */
export const PUBLIC_FILE_NAME = /^([0-9a-f]{32})(-[0-9]{1,5}w)?\.([a-z0-9]{2,4})$/;

/** The random id shared by a record's files: what an article body embedding one of them contains. */
export const fileIdOf = (key: string): string => key.replace(/^originals\//, '').slice(0, 32);
