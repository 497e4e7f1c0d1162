// An article's SEO settings (API.md §10): what staff edit and store, as plain rules. Every part is
// optional: '' (or null, or false) means "not set", and the public article then falls back to
// the title, the summary, its url and its cover (public-article.ts writes that resolution).
import { Type } from '@fastify/type-provider-typebox';
import { type ArticleSeo, EMPTY_SEO } from '../../db/schema/index.js';
import { Id, Nullable, NullMeans, OptionalNullable, OptionalText } from '../../lib/schemas.js';

export { type ArticleSeo, EMPTY_SEO };

/** A canonical URL must be absolute http(s), or '' (not set: the article's own url). */
const CANONICAL = '^$|^https?://[^\\s]+$';

const seoParts = {
  title: OptionalText(Type.String({ maxLength: 300, description: 'The <title> and og:title; empty: the article title.' })),
  description: OptionalText(Type.String({ maxLength: 1000, description: 'The meta description; empty: the summary.' })),
  canonicalUrl: OptionalText(Type.String({ maxLength: 2000, pattern: CANONICAL, description: 'An absolute http(s) URL; empty: the article url.' })),
  noindex: Type.Optional(NullMeans(Type.Boolean(), false, 'false')),
  ogImageId: OptionalNullable(Id),
};

/** The `seo` of a write: any of its parts; absent parts keep their values, `null` clears them all. */
export const SeoInput = Type.Optional(
  NullMeans(Type.Object(seoParts, { additionalProperties: false }), { ...EMPTY_SEO } as never, 'no SEO settings (every part empty)'),
);

/** The stored settings, as staff read them. */
export const StaffSeo = Type.Object(
  {
    title: Type.String(),
    description: Type.String(),
    canonicalUrl: Type.String(),
    noindex: Type.Boolean(),
    ogImageId: Nullable(Id),
  },
  { description: 'SEO settings as stored: empty parts fall back in the public article.' },
);

/** The settings in their fixed key order with every key (jsonb keeps its own order; old rows may lack keys). */
export function seoOf(raw: Partial<ArticleSeo> | null | undefined): ArticleSeo {
  return {
    title: raw?.title ?? '',
    description: raw?.description ?? '',
    canonicalUrl: raw?.canonicalUrl ?? '',
    noindex: raw?.noindex ?? false,
    ogImageId: raw?.ogImageId ?? null,
  };
}

/** The settings after an edit: the parts the body gives replace those stored, text trimmed. */
export function mergeSeo(current: ArticleSeo, patch: Partial<ArticleSeo>): ArticleSeo {
  const next = seoOf({ ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) });
  return { ...next, title: next.title.trim(), description: next.description.trim(), canonicalUrl: next.canonicalUrl.trim() };
}

export const sameSeo = (a: Partial<ArticleSeo> | null | undefined, b: Partial<ArticleSeo> | null | undefined) => JSON.stringify(seoOf(a)) === JSON.stringify(seoOf(b));
