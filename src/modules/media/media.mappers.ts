// Output mappers: what staff see of a media record, and its public side (article covers,
// webhook payloads), which holds no private field such as the uploader or the original's URL.
import type { StoredCrop, StoredRendition } from '../../db/schema/index.js';
import type { MediaRow } from './media.queries.js';
import type { MediaUrls } from './media.urls.js';

type CoverRow = Pick<MediaRow, 'id' | 'storageKey' | 'mimeType' | 'width' | 'height' | 'alt' | 'caption' | 'credit' | 'focalX' | 'focalY' | 'renditions' | 'crops'>;

const renditionsOf = (renditions: StoredRendition[], urls: MediaUrls) =>
  renditions.map((r) => ({ width: r.width, height: r.height, format: r.format, url: urls.file(r.key) }));

// Keyed by aspect, in IMAGE_ASPECTS order; aspects are validated names such as "16:9".
const cropsViewOf = (crops: StoredCrop[], urls: MediaUrls) =>
  Object.fromEntries(
    crops.map((c) => [
      c.aspect,
      { width: c.width, height: c.height, url: urls.file(c.path), srcset: c.srcset.map((s) => `${urls.file(s.path)} ${s.width}w`).join(', ') },
    ]),
  );

export function toPublicMedia(row: CoverRow, urls: MediaUrls) {
  return {
    id: row.id,
    url: urls.file(row.storageKey),
    width: row.width,
    height: row.height,
    mimeType: row.mimeType,
    alt: row.alt,
    caption: row.caption,
    credit: row.credit,
    focalPoint: { x: row.focalX, y: row.focalY },
    renditions: renditionsOf(row.renditions, urls),
    crops: cropsViewOf(row.crops, urls),
  };
}

export function toStaffMedia(row: MediaRow, urls: MediaUrls) {
  return {
    ...toPublicMedia(row, urls),
    filename: row.filename,
    size: row.size,
    sha256: row.sha256,
    originalUrl: urls.original(row.id),
    uploadedBy: row.uploadedBy,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export type PublicMediaView = ReturnType<typeof toPublicMedia>;
export type StaffMediaView = ReturnType<typeof toStaffMedia>;
