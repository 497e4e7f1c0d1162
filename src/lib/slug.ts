import { foldAccents } from './text.js';

export const SLUG_PATTERN = '^[a-z0-9]+(?:-[a-z0-9]+)*$';
const MAX_SLUG = 120;

/**
 * "Kỳ họp lần thứ 9 BCH Đảng bộ huyện Tân Hồng" → "ky-hop-lan-thu-9-bch-dang-bo-huyen-tan-hong".
 * A slug made only of digits would read as an id in `/articles/:idOrSlug`, so it gets the
 * fallback word in front; an empty one (a title of emoji) is the fallback word alone.
 */
export function slugify(input: string, fallback: string): string {
  let slug = foldAccents(input)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length > MAX_SLUG) slug = slug.slice(0, MAX_SLUG).replace(/-[^-]*$/, '') || slug.slice(0, MAX_SLUG);
  if (slug === '') return fallback;
  if (/^\d+$/.test(slug)) return `${fallback}-${slug}`;
  return slug;
}

/** The first of base, base-2, base-3, … that is not taken. */
export function nextFreeSlug(base: string, taken: Iterable<string>): string {
  const set = new Set(taken);
  if (!set.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!set.has(candidate)) return candidate;
  }
}

export function isIdLike(idOrSlug: string): boolean {
  return /^\d{1,10}$/.test(idOrSlug);
}
