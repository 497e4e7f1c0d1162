// The sitemap protocols' documents (sitemaps.org 0.9, Google's image and news extensions), in
// pieces: a urlset is opened, its <url> entries written batch by batch, then closed.
import { el, join, rootTags, textEl, xmlDocument, type Xml } from '../../lib/xml.js';

export const XML_TYPE = 'application/xml; charset=utf-8';

const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const IMAGE_NS = 'http://www.google.com/schemas/sitemap-image/1.1';
const NEWS_NS = 'http://www.google.com/schemas/sitemap-news/0.9';

/** The start and end of a urlset with the image extension. */
export const imageUrlset = () => rootTags('urlset', { xmlns: SITEMAP_NS, 'xmlns:image': IMAGE_NS });

export interface SitemapUrl {
  loc: string;
  lastmod?: string;
  image?: string | null;
}

export function urlEntry(u: SitemapUrl): Xml {
  return el(
    'url',
    {},
    textEl('loc', u.loc),
    u.lastmod ? textEl('lastmod', u.lastmod) : undefined,
    u.image ? el('image:image', {}, textEl('image:loc', u.image)) : undefined,
  );
}

export interface NewsUrl {
  loc: string;
  title: string;
  publishedAt: string;
}

/** A Google News sitemap: each URL with its publication (name, language), date and title. */
export function newsDocument(publication: { name: string; language: string }, urls: NewsUrl[]): string {
  const pub = el('news:publication', {}, textEl('news:name', publication.name), textEl('news:language', publication.language));
  const entries = urls.map((u) =>
    el('url', {}, textEl('loc', u.loc), el('news:news', {}, pub, textEl('news:publication_date', u.publishedAt), textEl('news:title', u.title))),
  );
  return xmlDocument(el('urlset', { xmlns: SITEMAP_NS, 'xmlns:news': NEWS_NS }, join(entries)));
}

export function sitemapIndexDocument(sitemaps: Array<{ loc: string; lastmod?: string }>): string {
  const entries = sitemaps.map((s) => el('sitemap', {}, textEl('loc', s.loc), s.lastmod ? textEl('lastmod', s.lastmod) : undefined));
  return xmlDocument(el('sitemapindex', { xmlns: SITEMAP_NS }, join(entries)));
}
