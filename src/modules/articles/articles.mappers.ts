// Output mappers: the one place that decides what a staff reader and an anonymous reader see.
import type { LiveArticle, WorkingArticle } from './articles.queries.js';

export function toStaffArticle(row: WorkingArticle) {
  const { livePublishedAt, liveRevisionId, ...rest } = row;
  return {
    ...rest,
    cover: null,
    live: livePublishedAt ? { publishedAt: livePublishedAt, revisionId: liveRevisionId } : null,
  };
}

export function toPublicArticle(row: LiveArticle) {
  return { ...row, cover: null };
}

/** A working copy in the public shape (preview links): exactly the fields anonymous readers get. */
export function toPreviewArticle(row: WorkingArticle) {
  const { id, title, slug, summary, body, categoryId, category, tags, coverMediaId, credits, publishedAt, updatedAt } = row;
  return { id, title, slug, summary, body, categoryId, category, tags, coverMediaId, cover: null, credits, publishedAt, updatedAt };
}

export type StaffArticle = ReturnType<typeof toStaffArticle>;
export type PublicArticleView = ReturnType<typeof toPublicArticle>;
