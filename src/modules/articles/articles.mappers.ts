// Output mapper of the staff article. What anonymous readers, previews and webhooks see is
// defined once, with its SQL, in public-article.ts.
import { toPublicMedia } from '../media/media.mappers.js';
import type { MediaUrls } from '../media/media.urls.js';
import type { WorkingArticle } from './articles.queries.js';
import { seoOf } from './article-seo.js';

// The cover is the media's public side: URLs and renditions for a srcset, never the uploader or
// the original.
const coverOf = (cover: WorkingArticle['cover'], urls: MediaUrls) => (cover ? toPublicMedia(cover, urls) : null);

export function toStaffArticle(row: WorkingArticle, urls: MediaUrls) {
  const { livePublishedAt, liveRevisionId, cover, seo, ...rest } = row;
  return {
    ...rest,
    cover: coverOf(cover, urls),
    seo: seoOf(seo),
    live: livePublishedAt ? { publishedAt: livePublishedAt, revisionId: liveRevisionId } : null,
  };
}

export type StaffArticle = ReturnType<typeof toStaffArticle>;
