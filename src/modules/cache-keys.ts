// The surrogate keys of API.md §10, in one place for every resource: the keys each public
// response carries, and the keys each change purges. A response is purged when a change names
// one of its keys, so the two halves of each resource below must agree: whatever a response
// shows, some key of it is named by every change of that thing. Pure (no Fastify, no database):
// services compute a change's keys from rows they already hold, in the transaction that records
// the event, and the in-process cache and a CDN purge by the same list.

export const ARTICLES = 'articles';
export const CATEGORIES = 'categories';
export const articleKey = (id: number): string => `article-${id}`;
export const categoryKey = (id: number): string => `category-${id}`;
export const mediaKey = (id: number): string => `media-${id}`;

const present = <T>(values: Iterable<T | null | undefined>): T[] => [...values].filter((v): v is T => v !== null && v !== undefined);

// ── Articles ───────────────────────────────────────────────────────────────────
// A live article embeds its category (name, slug) and its cover (alt, caption, focal point).

/** A list (or feed) of articles: any publish can change it; each article in it by its own key. */
export const articleListKeys = (articleIds: Iterable<number>): string[] => [ARTICLES, ...[...articleIds].map(articleKey)];

export const articleKeys = (a: { id: number; categoryId: number | null; coverMediaId: number | null }): string[] => [
  articleKey(a.id),
  ...present([a.categoryId]).map(categoryKey),
  ...present([a.coverMediaId]).map(mediaKey),
];

/**
 * A live version appeared, changed or went away: the article's own responses, every list, and
 * the category it was in and the one it is in now.
 */
export const articleChangeKeys = (articleId: number, categoryIds: Iterable<number | null | undefined>): string[] => [
  ...new Set([articleKey(articleId), ARTICLES, ...present(categoryIds).map(categoryKey)]),
];

// ── Categories ─────────────────────────────────────────────────────────────────

export const categoryListKeys = (categoryIds: Iterable<number>): string[] => [CATEGORIES, ...[...categoryIds].map(categoryKey)];

export const categoryKeys = (id: number): string[] => [categoryKey(id), CATEGORIES];

/** Created, renamed, moved or deleted: category responses, and every article list (articles embed names; filters include sub-categories). */
export const categoryChangeKeys = (id: number): string[] => [CATEGORIES, categoryKey(id), ARTICLES];

// ── Media ──────────────────────────────────────────────────────────────────────

export const mediaFileKeys = (id: number): string[] => [mediaKey(id)];

/** Edited or deleted: its files, and the articles whose live version shows it as cover. */
export const mediaChangeKeys = (id: number, coverOfArticleIds: Iterable<number>): string[] => [
  mediaKey(id),
  ...[...new Set(coverOfArticleIds)].map(articleKey),
];

// ── Collections ────────────────────────────────────────────────────────────────
// (API.md §10) A collection's public view carries `collection-<id>` and the keys of the articles
// it shows (a category rename or a cover edit reaches it through them). Whatever changes which
// articles it shows (an edit of the collection, a member published, unpublished, archived,
// deleted or re-published) names `collection-<id>`.

export const collectionKey = (id: number): string => `collection-${id}`;

export const collectionKeys = (id: number, shown: Iterable<{ id: number; categoryId: number | null; coverMediaId: number | null }>): string[] => [
  collectionKey(id),
  ...[...shown].flatMap(articleKeys),
];

export const collectionChangeKeys = (id: number): string[] => [collectionKey(id)];

// ── Related articles ───────────────────────────────────────────────────────────
// A ranking over every live article: any publish can change it (ARTICLES); the article itself
// and each article shown by their own keys.

export const relatedKeys = (
  article: { id: number; categoryId: number | null; coverMediaId: number | null },
  shown: Iterable<{ id: number; categoryId: number | null; coverMediaId: number | null }>,
): string[] => [...new Set([ARTICLES, ...articleKeys(article), ...[...shown].flatMap(articleKeys)])];
