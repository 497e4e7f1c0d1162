// The file types the library accepts, decided from the bytes (file-type), never from the
// file's name or the client's Content-Type header.

export interface MediaKind {
  mimeType: string;
  ext: string;
  /** The format sharp must decode the bytes as; undefined for documents. */
  decodesAs?: 'jpeg' | 'png' | 'webp' | 'gif' | 'heif';
}

const JPEG: MediaKind = { mimeType: 'image/jpeg', ext: 'jpg', decodesAs: 'jpeg' };
const PNG: MediaKind = { mimeType: 'image/png', ext: 'png', decodesAs: 'png' };
const WEBP: MediaKind = { mimeType: 'image/webp', ext: 'webp', decodesAs: 'webp' };
const GIF: MediaKind = { mimeType: 'image/gif', ext: 'gif', decodesAs: 'gif' };
const AVIF: MediaKind = { mimeType: 'image/avif', ext: 'avif', decodesAs: 'heif' };
const PDF: MediaKind = { mimeType: 'application/pdf', ext: 'pdf' };

/** By the MIME type file-type reports. An animated PNG is still a PNG. */
const BY_DETECTED_MIME: Record<string, MediaKind> = {
  'image/jpeg': JPEG,
  'image/png': PNG,
  'image/apng': PNG,
  'image/webp': WEBP,
  'image/gif': GIF,
  'image/avif': AVIF,
  'application/pdf': PDF,
};

export const MEDIA_MIME_TYPES = [JPEG, PNG, WEBP, GIF, AVIF, PDF].map((k) => k.mimeType);

export function kindForDetected(mime: string | undefined): MediaKind | undefined {
  return mime === undefined ? undefined : BY_DETECTED_MIME[mime];
}

export const isImage = (kind: MediaKind) => kind.decodesAs !== undefined;
export const isImageType = (mimeType: string) => mimeType.startsWith('image/');

/** Content types of stored files, by the extension of their generated key. */
export const CONTENT_TYPE_BY_EXT: Record<string, string> = Object.fromEntries(
  [JPEG, PNG, WEBP, GIF, AVIF, PDF].map((k) => [k.ext, k.mimeType]),
);
