// `crops` of a media record (API.md §7): for each aspect in IMAGE_ASPECTS, the crop at the
// largest allowed width the image can fill, and a srcset over the allowed widths it can fill, all
// around the focal point. Computed when the size or the focal point is written (and at start
// for rows computed under other settings), stored with the row, so that the API's mappers and
// the JSON that PostgreSQL writes for articles show the same thing.
import type { StoredCrop } from '../../db/schema/index.js';
import { type Aspect, cropSteps, type Size } from '../../lib/image-geometry.js';
import { focalText, formatImageQuery } from './media.image-query.js';

export interface CropSettings {
  imageWidths: readonly number[];
  imageAspects: readonly Aspect[];
}

/** Bumped when the URLs change shape, so that stored crops are written again. */
const CROPS_FORMAT = 1;

/** The settings crops depend on, as stored beside them. */
export const cropsSpecOf = (s: CropSettings): string => `v${CROPS_FORMAT};w=${s.imageWidths.join(',')};a=${s.imageAspects.map((a) => a.name).join(',')}`;

interface CropSource {
  storageKey: string;
  width: number | null;
  height: number | null;
  mimeType: string;
  focalX: number;
  focalY: number;
}

/**
 * Relative paths (`<name>?w=…`), pinned to the focal point: a new focal point gives new URLs,
 * while the old ones keep serving the crop they showed. fm=auto: each browser gets AVIF or WebP
 * as its Accept allows.
 */
export function cropsOf(media: CropSource, settings: CropSettings): StoredCrop[] {
  if (media.width === null || media.height === null || !media.mimeType.startsWith('image/')) return [];
  const source: Size = { width: media.width, height: media.height };
  const focal = { x: focalText(media.focalX), y: focalText(media.focalY) };
  const pathOf = (size: Size) => `${media.storageKey}?${formatImageQuery({ ...size, fit: 'cover', format: 'auto', focal })}`;
  return settings.imageAspects.map((aspect) => {
    const steps = cropSteps(source, aspect, settings.imageWidths);
    const largest = steps[steps.length - 1];
    return {
      aspect: aspect.name,
      ...largest.output,
      path: pathOf(largest.requested),
      srcset: steps.map((s) => ({ width: s.output.width, path: pathOf(s.requested) })),
    };
  });
}
