// Where the website shows things (API.md §10), as feeds and sitemaps need it: the site's settings
// and the `url` of an article or a category.
//
// PLACEHOLDER: the URL rule (SITE_URL, ARTICLE_URL_TEMPLATE, CATEGORY_URL_TEMPLATE, SITE_TIME_ZONE)
// is being built on branch wt-fields (issue 17.2). Until it is merged, this gives the defaults of
// API.md §10 only; feeds and sitemaps call nothing else, so the merge swaps this one file.
import type { Config } from '../config.js';

export interface ArticleUrlParts {
  id: number;
  slug: string;
  /** The category's slug; null for an article without a category. */
  categorySlug: string | null;
  publishedAt: Date;
}

export interface SiteLinks {
  url: string;
  name: string;
  language: string;
  timeZone: string;
  articleUrl(a: ArticleUrlParts): string;
  categoryUrl(c: { slug: string }): string;
}

export function siteLinks(config: Config): SiteLinks {
  const site = config.publicUrl;
  return {
    url: site,
    name: 'Tòa Soạn',
    language: 'vi',
    timeZone: 'Asia/Ho_Chi_Minh',
    articleUrl: (a) => (a.categorySlug ? `${site}/${a.categorySlug}/${a.slug}` : `${site}/${a.slug}`),
    categoryUrl: (c) => `${site}/${c.slug}`,
  };
}
