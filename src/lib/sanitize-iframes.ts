// Iframe rules of the body sanitiser that sanitize-html has no option for (API.md §5).

/**
 * Permissions an embedded player may ask for: what YouTube and Vimeo embed codes use. Never
 * camera, microphone, geolocation, payment, usb and the like.
 */
export const IFRAME_PERMISSIONS: ReadonlySet<string> = new Set([
  'accelerometer', 'autoplay', 'clipboard-write', 'encrypted-media', 'fullscreen', 'gyroscope', 'picture-in-picture', 'web-share',
]);

/**
 * An iframe's `allow` (a permissions-policy list: `camera; autoplay 'src'`) keeping only the
 * features in IFRAME_PERMISSIONS. Origin lists are dropped, so each feature gets the default:
 * the frame's own origin. Empty when nothing is left.
 */
export function filterIframeAllow(allow: string | undefined): string {
  const kept = new Set<string>();
  for (const directive of (allow ?? '').split(/[;,]/)) {
    const feature = directive.trim().split(/[\t\n\f\r ]+/)[0]!.toLowerCase();
    if (IFRAME_PERMISSIONS.has(feature)) kept.add(feature);
  }
  return [...kept].join('; ');
}

/** Whether an iframe `src` is an absolute http(s) URL on one of the configured hosts. */
export function isAllowedIframeSrc(src: string | undefined, hosts: ReadonlySet<string>): boolean {
  if (!src) return false;
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && hosts.has(url.hostname);
}

// In sanitize-html's output every `<iframe` and `</iframe>` is a real tag (text and attribute
// values have `<` escaped), and an open tag ends at the first `>` (escaped in values too).
const IFRAME_TAGS = /<iframe(?=[\s>/])[^>]*>|<\/iframe>/g;

/** Attributes in the order they are written out: `src` first, so that a kept iframe starts `<iframe src="`. */
export function srcFirst(attribs: Record<string, string>): Record<string, string> {
  const { src, ...rest } = attribs;
  return src === undefined ? rest : { src, ...rest };
}

/**
 * Removes every iframe that does not start with a `src` (attributes come out in srcFirst order),
 * with its content: sanitize-html can only drop the attribute, which leaves
 * `<iframe></iframe>`. One linear pass over cleaned HTML.
 */
export function dropIframesWithoutSrc(html: string): string {
  if (!html.includes('<iframe')) return html;
  let out = '';
  let keptFrom = 0;
  let depth = 0;
  let droppingAt = -1; // the iframe depth at which the element being removed opened
  for (const m of html.matchAll(IFRAME_TAGS)) {
    const tag = m[0];
    if (tag === '</iframe>') {
      depth--;
      if (depth === droppingAt) {
        droppingAt = -1;
        keptFrom = m.index + tag.length;
      }
    } else {
      if (droppingAt === -1 && !tag.startsWith('<iframe src="')) {
        out += html.slice(keptFrom, m.index);
        droppingAt = depth;
      }
      depth++;
    }
  }
  return droppingAt === -1 ? out + html.slice(keptFrom) : out;
}
