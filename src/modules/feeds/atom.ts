// Atom 1.0 (RFC 4287). Dates are RFC 3339; the body is `content type="html"` (escaped text),
// the cover a `link rel="enclosure"` with its length; the site is the feed's author, so that
// every entry has one even without credits.
import { el, join, textEl, xmlDocument, type Xml } from '../../lib/xml.js';
import { type Feed, type FeedItem, GENERATOR } from './feed-model.js';

export const ATOM_TYPE = 'application/atom+xml; charset=utf-8';

const rfc3339 = (d: Date) => d.toISOString();
const person = (name: string) => el('author', {}, textEl('name', name));

function entry(i: FeedItem): Xml {
  return el(
    'entry',
    {},
    textEl('id', i.id),
    textEl('title', i.title, { type: 'text' }),
    el('link', { rel: 'alternate', type: 'text/html', href: i.url }),
    textEl('published', rfc3339(i.publishedAt)),
    textEl('updated', rfc3339(i.updatedAt)),
    ...i.authors.map(person),
    i.category ? el('category', { term: i.category.slug, label: i.category.name, scheme: i.category.url }) : undefined,
    ...i.tags.map((tag) => el('category', { term: tag })),
    i.summary ? textEl('summary', i.summary, { type: 'text' }) : undefined,
    textEl('content', i.contentHtml, { type: 'html' }),
    i.enclosure ? el('link', { rel: 'enclosure', type: i.enclosure.mimeType, length: i.enclosure.size, href: i.enclosure.url }) : undefined,
  );
}

export function atomDocument(feed: Feed): string {
  // Atom requires <updated>: for a feed with nothing in it yet, the epoch says "never changed".
  const updated = feed.updatedAt ?? new Date(0);
  const root = el(
    'feed',
    { xmlns: 'http://www.w3.org/2005/Atom', 'xml:lang': feed.language },
    textEl('id', feed.feedUrls.atom),
    textEl('title', feed.title, { type: 'text' }),
    textEl('subtitle', feed.description, { type: 'text' }),
    textEl('updated', rfc3339(updated)),
    el('link', { rel: 'self', type: 'application/atom+xml', href: feed.feedUrls.atom }),
    el('link', { rel: 'alternate', type: 'text/html', href: feed.homeUrl }),
    person(feed.publisher),
    textEl('generator', GENERATOR),
    join(feed.items.map(entry)),
  );
  return xmlDocument(root);
}
