// RSS 2.0 (https://www.rssboard.org/rss-specification) with the namespaces readers know:
// content:encoded for the body, media:content (Media RSS) for the cover with its pixel size,
// dc:creator for credits, atom:link for the channel's self link. Dates are RFC 822.
import { el, join, textEl, xmlDocument, type Xml } from '../../lib/xml.js';
import { type Feed, type FeedItem, GENERATOR } from './feed-model.js';

export const RSS_TYPE = 'application/rss+xml; charset=utf-8';

const NS = {
  'xmlns:atom': 'http://www.w3.org/2005/Atom',
  'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
  'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
  'xmlns:dcterms': 'http://purl.org/dc/terms/',
  'xmlns:media': 'http://search.yahoo.com/mrss/',
};

/** RFC 822 (with a four-digit year, as RFC 1123 and every reader expect), in GMT. */
export const rfc822 = (d: Date) => d.toUTCString();

function item(i: FeedItem): Xml {
  const cover = i.enclosure;
  return el(
    'item',
    {},
    textEl('title', i.title),
    textEl('link', i.url),
    textEl('guid', i.id, { isPermaLink: 'false' }),
    textEl('pubDate', rfc822(i.publishedAt)),
    // RSS has no "updated"; Dublin Core's is the one aggregators read.
    textEl('dcterms:modified', i.updatedAt.toISOString()),
    textEl('description', i.summary),
    textEl('content:encoded', i.contentHtml),
    ...i.authors.map((name) => textEl('dc:creator', name)),
    i.category ? textEl('category', i.category.name, { domain: i.category.url }) : undefined,
    ...i.tags.map((tag) => textEl('category', tag)),
    cover ? el('enclosure', { url: cover.url, length: cover.size, type: cover.mimeType }) : undefined,
    cover
      ? el(
          'media:content',
          { url: cover.url, type: cover.mimeType, medium: 'image', fileSize: cover.size, width: cover.width, height: cover.height },
          cover.alt ? textEl('media:description', cover.alt, { type: 'plain' }) : undefined,
          cover.credit ? textEl('media:credit', cover.credit) : undefined,
        )
      : undefined,
  );
}

export function rssDocument(feed: Feed): string {
  const updated = feed.updatedAt ?? feed.items[0]?.updatedAt;
  const channel = el(
    'channel',
    {},
    textEl('title', feed.title),
    textEl('link', feed.homeUrl),
    textEl('description', feed.description),
    textEl('language', feed.language),
    updated ? textEl('lastBuildDate', rfc822(updated)) : undefined,
    textEl('generator', GENERATOR),
    el('atom:link', { href: feed.feedUrls.rss, rel: 'self', type: 'application/rss+xml' }),
    join(feed.items.map(item)),
  );
  return xmlDocument(el('rss', { version: '2.0', ...NS }, channel));
}
