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

export type StaffArticle = ReturnType<typeof toStaffArticle>;
export type PublicArticleView = ReturnType<typeof toPublicArticle>;
