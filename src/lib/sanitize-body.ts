// Article bodies are HTML from rich-text editors; they are cleaned on write against an allow-list
// (API.md §5) so that no frontend ever renders a script from our API. This is the pure, synchronous
// cleaner; body-sanitizer.ts decides on which thread it runs.
import sanitizeHtml from 'sanitize-html';
import { dropIframesWithoutSrc, filterIframeAllow, isAllowedIframeSrc, srcFirst } from './sanitize-iframes.js';
import { opensNewContext, relWithoutOpener } from './sanitize-links.js';

/** HTML nested deeper than this many elements is refused (API.md §5). */
export const MAX_BODY_DEPTH = 256;

/**
 * The cleaned body may be at most this many times the input, plus SLACK_CHARS. Real editor HTML
 * stays near 1×; only unescaped `&`/`<` runs and unclosed-tag spam grow more (`<p>` → `<p></p>`).
 */
export const MAX_GROWTH = 2;
const SLACK_CHARS = 4096;

export type Refusal = { reason: 'too_deep' | 'grows_too_much'; detail: string; message: string };
export type CleanOutcome = { ok: true; html: string } | ({ ok: false } & Refusal);

const REFUSALS: Record<Refusal['reason'], Refusal> = {
  too_deep: {
    reason: 'too_deep',
    detail: `The body nests HTML elements more than ${MAX_BODY_DEPTH} deep; close its tags.`,
    message: `must not nest elements more than ${MAX_BODY_DEPTH} deep`,
  },
  grows_too_much: {
    reason: 'grows_too_much',
    detail: `The body grows to more than ${MAX_GROWTH} times its size when cleaned; close its tags and write & and < as &amp; and &lt;.`,
    message: `must not grow more than ${MAX_GROWTH} times when cleaned`,
  },
};

class TooDeep extends Error {}

function optionsFor(iframeHosts: string[]): sanitizeHtml.IOptions {
  const hosts = new Set(iframeHosts.map((h) => h.toLowerCase()));
  return {
    allowedTags: [
      'p', 'br', 'hr', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'b', 'em', 'i', 'u', 's', 'sub', 'sup', 'mark', 'small',
      'blockquote', 'q', 'cite', 'code', 'pre', 'ul', 'ol', 'li', 'a', 'img', 'figure', 'figcaption', 'picture', 'source',
      'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'span', 'div', 'iframe', 'video', 'audio',
    ],
    allowedAttributes: {
      a: ['href', 'title', 'target', 'rel', 'name'],
      img: ['src', 'srcset', 'sizes', 'alt', 'title', 'width', 'height', 'loading'],
      source: ['src', 'srcset', 'type', 'media', 'sizes'],
      iframe: ['src', 'width', 'height', 'title', 'allow', 'allowfullscreen', 'frameborder'],
      video: ['src', 'controls', 'width', 'height', 'poster'],
      audio: ['src', 'controls'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan', 'scope'],
      ol: ['start', 'reversed', 'type'],
      '*': ['lang', 'dir'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['http', 'https', 'data'] },
    allowProtocolRelative: false,
    // The transform below decides first, so that a refused iframe can be removed whole; this
    // stays as a second lock on `src`.
    allowedIframeHostnames: iframeHosts,
    transformTags: {
      // A link that opens a new tab must not hand the opener to the target page.
      a: (tagName, attribs) => {
        if (opensNewContext(attribs.target)) attribs.rel = relWithoutOpener(attribs.rel);
        return { tagName, attribs };
      },
      // A refused iframe loses every attribute here and is removed whole after the pass
      // (dropIframesWithoutSrc). Renaming it to a discarded tag instead would trip sanitize-html:
      // the new name sticks to the next element closed at the same depth (`<p>…</renamed>`).
      iframe: (tagName, attribs) => {
        if (!isAllowedIframeSrc(attribs.src, hosts)) return { tagName, attribs: {} };
        const allow = filterIframeAllow(attribs.allow);
        if (allow) attribs.allow = allow;
        else delete attribs.allow;
        return { tagName, attribs: srcFirst(attribs) };
      },
    },
  };
}

/**
 * A cleaner for article bodies. Its cost is linear in the input: the nesting limit stops the
 * parse as soon as it is crossed, before the parser's open-element stack (an array it shifts and
 * unshifts, so quadratic in depth) grows past MAX_BODY_DEPTH + 1.
 */
export function makeBodyCleaner(iframeHosts: string[]): (html: string) => CleanOutcome {
  const base = optionsFor(iframeHosts);
  return (html) => {
    // htmlparser2 reports every element it opens and closes, implied closes and void elements
    // included, so this is the depth of its own stack: `<b>` × n nests n deep, `<p>` × n and
    // `<br>` × n stay at 1.
    let depth = 0;
    const options: sanitizeHtml.IOptions = {
      ...base,
      onOpenTag: () => {
        if (++depth > MAX_BODY_DEPTH) throw new TooDeep();
      },
      onCloseTag: () => {
        depth--;
      },
    };
    let cleaned: string;
    try {
      cleaned = dropIframesWithoutSrc(sanitizeHtml(html, options));
    } catch (err) {
      if (err instanceof TooDeep) return { ok: false, ...REFUSALS.too_deep };
      throw err;
    }
    if (cleaned.length > MAX_GROWTH * html.length + SLACK_CHARS) return { ok: false, ...REFUSALS.grows_too_much };
    // Entities decode to characters that may not be composed (`e&#x301;`); stored text is NFC (API.md §1).
    return { ok: true, html: cleaned.normalize('NFC') };
  };
}
