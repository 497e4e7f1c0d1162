// Where the website shows a record (API.md §10): ARTICLE_URL_TEMPLATE and CATEGORY_URL_TEMPLATE,
// e.g. `{site}/{category}/{slug}`. The one statement of the rule: a template is text and
// placeholders; a placeholder with an empty value (an article without a category) is dropped
// together with the `/` that follows it. The JS renderer here and the SQL one that writes public
// articles (modules/articles/article-url.ts) both walk the parts this module makes.
// Values are slugs (lower-case ASCII letters, digits and dashes), ids and date digits: nothing
// in them needs percent-encoding.

export interface UrlPart {
  /** Literal text, or the name of a placeholder. */
  text?: string;
  name?: string;
}

export interface UrlTemplate {
  /** The template as configured (a name for statements built from it). */
  source: string;
  /**
   * Placeholders each followed by the text after them; the text that a placeholder's `/` drop
   * applies to is the text right after it. `{site}` is filled in already.
   */
  parts: UrlPart[];
}

export const ARTICLE_PLACEHOLDERS = ['site', 'slug', 'id', 'category', 'yyyy', 'mm', 'dd'] as const;
export const CATEGORY_PLACEHOLDERS = ['site', 'slug', 'id'] as const;

/**
 * Parses a template, filling `{site}`. Returns a message instead when it is not one: an unknown
 * placeholder, a stray brace, no `{slug}` nor `{id}` (every record would share one URL), or a
 * result that is not an absolute http(s) URL.
 */
export function parseUrlTemplate(source: string, placeholders: readonly string[], site: string): UrlTemplate | string {
  const parts: UrlPart[] = [];
  const re = /\{([^{}]*)\}/g;
  let last = 0;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    if (m.index > last) parts.push({ text: source.slice(last, m.index) });
    const name = m[1];
    if (!placeholders.includes(name)) return `has an unknown placeholder {${name}} (known: ${placeholders.map((p) => `{${p}}`).join(', ')})`;
    parts.push(name === 'site' ? { text: site } : { name });
    last = m.index + m[0].length;
  }
  if (last < source.length) parts.push({ text: source.slice(last) });
  if (parts.some((p) => p.text !== undefined && /[{}]/.test(p.text) && p.text !== site)) return 'has an unmatched { or }';
  if (!parts.some((p) => p.name === 'slug' || p.name === 'id')) return 'must contain {slug} or {id}';
  const merged = mergeText(parts);
  const sample = fillUrlTemplate({ source, parts: merged }, { slug: 'bai-viet', id: '1', category: 'thoi-su', yyyy: '2024', mm: '01', dd: '02' });
  try {
    const url = new URL(sample);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
  } catch {
    return `must give an absolute http(s) URL (gives "${sample}")`;
  }
  return { source, parts: merged };
}

/** Adjacent texts as one (`{site}` filled in next to literal text). */
function mergeText(parts: UrlPart[]): UrlPart[] {
  const out: UrlPart[] = [];
  for (const p of parts) {
    const prev = out.at(-1);
    if (p.text !== undefined && prev?.text !== undefined) prev.text += p.text;
    else out.push({ ...p });
  }
  return out;
}

/** The URL for these values; a missing or empty value drops with the `/` right after it. */
export function fillUrlTemplate(template: UrlTemplate, values: Record<string, string | null | undefined>): string {
  let out = '';
  let dropSlash = false;
  for (const p of template.parts) {
    if (p.name !== undefined) {
      const v = Object.hasOwn(values, p.name) ? values[p.name] : undefined;
      dropSlash = !v;
      if (v) out += v;
    } else {
      out += dropSlash && p.text!.startsWith('/') ? p.text!.slice(1) : p.text!;
      dropSlash = false;
    }
  }
  return out;
}

/** {yyyy}, {mm} and {dd} of a moment in a time zone. */
export function dateParts(at: Date | null | undefined, timeZone: string): { yyyy?: string; mm?: string; dd?: string } {
  if (!at) return {};
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value;
  return { yyyy: part('year'), mm: part('month'), dd: part('day') };
}

/** Whether the runtime knows a time zone name (SITE_TIME_ZONE). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
