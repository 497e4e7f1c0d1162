// What a feed says, whatever its format (RSS 2.0, Atom 1.0, JSON Feed 1.1): plain data that the
// three writers turn into bytes. Built from live articles by feeds.service.ts.

export interface FeedImage {
  url: string;
  mimeType: string;
  /** Bytes of the file at `url` (an enclosure's `length`). */
  size: number;
  width: number;
  height: number;
  alt: string;
  credit: string;
}

export interface FeedItem {
  /** Stable across edits, slug and category changes: the article's API URL. */
  id: string;
  url: string;
  title: string;
  summary: string;
  /** HTML, every relative URL made absolute. */
  contentHtml: string;
  publishedAt: Date;
  updatedAt: Date;
  authors: string[];
  category: { name: string; slug: string; url: string } | null;
  tags: string[];
  /** The cover as sent enclosed (a WebP rendition whose size is known) … */
  enclosure: FeedImage | null;
  /** … and the full-size public image (JSON Feed's `image`). */
  image: string | null;
}

export interface FeedFormatUrls {
  rss: string;
  atom: string;
  json: string;
}

export interface Feed {
  title: string;
  description: string;
  /** The page the feed stands for: the site, or the category's page. */
  homeUrl: string;
  /** This feed in each format, with the same filters (each format's self link). */
  feedUrls: FeedFormatUrls;
  language: string;
  /** The newest change of anything in the feed (Last-Modified); null for an empty feed of an unchanged site. */
  updatedAt: Date | null;
  /** Who publishes (Atom's feed author, so that every entry has one). */
  publisher: string;
  items: FeedItem[];
}

export const GENERATOR = 'Tòa Soạn CMS';
