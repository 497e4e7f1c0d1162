// Feed readers show a body away from the page it was written for, so every relative URL in it
// (href, src, srcset, poster) is made absolute (API.md §10). Bodies are the sanitiser's output
// (sanitize-body.ts): tags are well formed, attribute values double-quoted with `&`, `"`, `<`
// and `>` escaped, so a tag is `<…>` with no raw `>` inside and its attributes can be read
// with a pattern. Absolute URLs are left byte for byte as they were.

/** Where relative URLs of one body point. */
export interface UrlBases {
  /** The page the body is shown on (the article's `url`): relative references resolve against it. */
  page: string;
  /** Root-relative paths under these prefixes are served by the API (media files), not the site. */
  apiPrefixes?: Array<{ path: string; base: string }>;
}

const TAG = /<[A-Za-z][^>]*>/g;
const URL_ATTR = /(\s(?:href|src|poster|srcset))="([^"]*)"/gi;
const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

const decode = (s: string) =>
  s.replace(/&(amp|quot|lt|gt|apos|#39|#x27);/g, (_m, e: string) => ({ amp: '&', quot: '"', lt: '<', gt: '>', apos: "'", '#39': "'", '#x27': "'" })[e] ?? _m);
const encode = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One URL as absolute; an absolute one (any scheme), or one that cannot be resolved, unchanged. */
export function absoluteUrl(value: string, bases: UrlBases): string {
  const trimmed = value.trim();
  if (trimmed === '' || HAS_SCHEME.test(trimmed)) return value;
  try {
    if (trimmed.startsWith('/') && !trimmed.startsWith('//')) {
      const api = bases.apiPrefixes?.find((p) => trimmed === p.path || trimmed.startsWith(`${p.path}/`));
      // The API's base may have a path (https://example.org/cms): `/media/x` goes under it.
      if (api) return new URL(api.base.replace(/\/+$/, '') + trimmed).href;
    }
    return new URL(trimmed, bases.page).href;
  } catch {
    return value;
  }
}

function absoluteSrcset(value: string, bases: UrlBases): string {
  // A data: URL holds commas of its own; such a srcset is left alone.
  if (/data:/i.test(value)) return value;
  return value
    .split(',')
    .map((candidate) => candidate.replace(/^(\s*)(\S+)/, (_m, space: string, url: string) => space + absoluteUrl(url, bases)))
    .join(',');
}

/** The body with every relative URL in its tags' href, src, srcset and poster made absolute. */
export function absolutizeUrls(html: string, bases: UrlBases): string {
  if (!html.includes('=')) return html;
  return html.replace(TAG, (tag) =>
    tag.replace(URL_ATTR, (whole, name: string, raw: string) => {
      const value = decode(raw);
      const done = name.trim().toLowerCase() === 'srcset' ? absoluteSrcset(value, bases) : absoluteUrl(value, bases);
      return done === value ? whole : `${name}="${encode(done)}"`;
    }),
  );
}
