// Reading feeds and sitemaps as their consumers do: a strict XML check, then a parse that keeps
// every attribute and text as sent.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** Throws unless the document is well-formed XML and every namespace prefix it uses is declared on its root. */
export function assertStrictXml(doc: string): void {
  const valid = XMLValidator.validate(doc, { allowBooleanAttributes: false });
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid.err)}`);
  const root = /<([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*\/?>/.exec(doc.replace(/^<\?xml[^>]*\?>\s*/, ''));
  if (!root) throw new Error('no root element');
  const declared = new Set([...root[2].matchAll(/xmlns:([\w.-]+)=/g)].map((m) => m[1]));
  declared.add('xml');
  for (const [, prefix] of doc.matchAll(/<\/?([A-Za-z][\w.-]*):[\w.-]+/g)) {
    if (!declared.has(prefix)) throw new Error(`namespace prefix "${prefix}" is not declared`);
  }
}

// Elements that may repeat, read as arrays even when there is one.
const ARRAYS = new Set([
  'rss.channel.item', 'rss.channel.item.category', 'rss.channel.item.dc:creator',
  'feed.link', 'feed.entry', 'feed.entry.link', 'feed.entry.author', 'feed.entry.category',
  'urlset.url', 'urlset.url.image:image', 'sitemapindex.sitemap',
]);

// htmlEntities: fast-xml-parser decodes numeric character references only with it on.
const parser = new XMLParser({
  ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false, trimValues: false,
  processEntities: true, htmlEntities: true,
  isArray: (_name, jpath) => ARRAYS.has(String(jpath)),
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed document is inspected by path in tests
export type Parsed = Record<string, any>;

export function parseXml(doc: string): Parsed {
  assertStrictXml(doc);
  return parser.parse(doc) as Parsed;
}

/** RFC 822 as RSS writes it: `Sun, 06 Dec 2026 07:17:20 GMT`. */
export const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
/** RFC 3339 (Atom, JSON Feed, sitemaps' W3C datetime with seconds). */
export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
