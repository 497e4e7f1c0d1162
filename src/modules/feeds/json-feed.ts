// JSON Feed 1.1 (https://jsonfeed.org/version/1.1). Dates are RFC 3339; the cover is `image`,
// and also an attachment with its size, as the enclosure is in RSS and Atom.
import { type Feed, type FeedItem } from './feed-model.js';

export const JSON_FEED_TYPE = 'application/feed+json; charset=utf-8';

function item(i: FeedItem) {
  return {
    id: i.id,
    url: i.url,
    title: i.title,
    summary: i.summary,
    content_html: i.contentHtml,
    ...(i.image ? { image: i.image } : {}),
    date_published: i.publishedAt.toISOString(),
    date_modified: i.updatedAt.toISOString(),
    ...(i.authors.length > 0 ? { authors: i.authors.map((name) => ({ name })) } : {}),
    ...(i.category || i.tags.length > 0 ? { tags: [...new Set([...(i.category ? [i.category.name] : []), ...i.tags])] } : {}),
    ...(i.enclosure ? { attachments: [{ url: i.enclosure.url, mime_type: i.enclosure.mimeType, size_in_bytes: i.enclosure.size }] } : {}),
  };
}

export function jsonFeedDocument(feed: Feed): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: feed.homeUrl,
    feed_url: feed.feedUrls.json,
    description: feed.description,
    language: feed.language,
    authors: [{ name: feed.publisher }],
    items: feed.items.map(item),
  });
}
