// Output mappers: the one place that decides what a staff reader and an anonymous reader see.
import { toPublicMedia } from '../media/media.mappers.js';
import type { MediaUrls } from '../media/media.urls.js';
import type { LiveArticle, WorkingArticle } from './articles.queries.js';

// The cover is the media's public side in both shapes: URLs and renditions for a srcset, never
// the uploader or the original.
const coverOf = (cover: WorkingArticle['cover'] | LiveArticle['cover'], urls: MediaUrls) => (cover ? toPublicMedia(cover, urls) : null);

export function toStaffArticle(row: WorkingArticle, urls: MediaUrls) {
  const { livePublishedAt, liveRevisionId, cover, ...rest } = row;
  return {
    ...rest,
    cover: coverOf(cover, urls),
    live: livePublishedAt ? { publishedAt: livePublishedAt, revisionId: liveRevisionId } : null,
  };
}

export function toPublicArticle(row: LiveArticle, urls: MediaUrls) {
  return { ...row, cover: coverOf(row.cover, urls) };
}

/** A working copy in the public shape (preview links): exactly the fields anonymous readers get. */
export function toPreviewArticle(row: WorkingArticle, urls: MediaUrls) {
  const { id, title, slug, summary, body, categoryId, category, tags, coverMediaId, cover, credits, publishedAt, updatedAt } = row;
  return { id, title, slug, summary, body, categoryId, category, tags, coverMediaId, cover: coverOf(cover, urls), credits, publishedAt, updatedAt };
}

export type StaffArticle = ReturnType<typeof toStaffArticle>;
export type PublicArticleView = ReturnType<typeof toPublicArticle>;
