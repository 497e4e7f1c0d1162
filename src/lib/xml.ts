// A small XML writer for feeds and sitemaps: markup is a branded string, so text can only enter
// it through `text()`/attributes, which escape it; nothing is escaped twice or forgotten.
//
// Why not a library: xmlbuilder2 4.0 (the well-kept candidate, Node >= 20) leaves `&amp;`, `&lt;`
// … in text unescaped on purpose ("already escaped"). Article bodies are HTML and carry such
// entities, so `&lt;b&gt;` in a body would reach feed readers as a `<b>` tag, and a title typed
// as "AT&amp;T" would lose its text. Escaping is five replacements; this module and its test are
// the whole of it. Strings are written as they are stored (NFC, API.md §1): byte-exact.

declare const MARKUP: unique symbol;
/** Serialised XML: elements, escaped text. Built only by this module. */
export type Xml = string & { readonly [MARKUP]: true };

const markup = (s: string) => s as Xml;

// Characters XML 1.0 does not allow at all (C0 controls but tab/LF/CR, lone surrogates,
// U+FFFE/U+FFFF): a strict parser rejects the document, so they are dropped.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text content: `&`, `<`, `>` escaped (`>` for `]]>`), characters XML cannot hold dropped. */
export function escapeText(s: string): string {
  return s.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value in double quotes; whitespace as references so a parser keeps it as sent. */
export function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

export type Attrs = Record<string, string | number | undefined>;

const NAME = /^[A-Za-z_][A-Za-z0-9._-]*(:[A-Za-z_][A-Za-z0-9._-]*)?$/;

function openTag(name: string, attrs: Attrs | undefined): string {
  // Names are this code's own literals; a bad one is a programming error, not input.
  if (!NAME.test(name)) throw new Error(`Invalid XML name "${name}"`);
  let tag = `<${name}`;
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined) continue;
    if (!NAME.test(key)) throw new Error(`Invalid XML attribute name "${key}"`);
    tag += ` ${key}="${escapeAttr(String(value))}"`;
  }
  return tag;
}

/** An element holding `children` (markup), or empty (`<name/>`) when there are none. */
export function el(name: string, attrs?: Attrs, ...children: Array<Xml | undefined>): Xml {
  const inner = children.filter((c) => c !== undefined).join('');
  return markup(inner === '' ? `${openTag(name, attrs)}/>` : `${openTag(name, attrs)}>${inner}</${name}>`);
}

/** An element holding one text. */
export function textEl(name: string, value: string, attrs?: Attrs): Xml {
  return markup(`${openTag(name, attrs)}>${escapeText(value)}</${name}>`);
}

/** Escaped text, to mix with elements. */
export const text = (value: string): Xml => markup(escapeText(value));

/** Several pieces as one. */
export const join = (parts: Iterable<Xml | undefined>): Xml => markup([...parts].filter((p) => p !== undefined).join(''));

export const XML_DECLARATION = markup('<?xml version="1.0" encoding="UTF-8"?>\n');

/**
 * The start and end tags of a root element, for documents written piece by piece (streamed
 * sitemaps): `open` goes first, then the children, then `close`.
 */
export function rootTags(name: string, attrs: Attrs): { open: Xml; close: Xml } {
  return { open: markup(`${XML_DECLARATION}${openTag(name, attrs)}>`), close: markup(`</${name}>\n`) };
}

/** A whole document: the declaration and its root element. */
export const xmlDocument = (root: Xml): string => `${XML_DECLARATION}${root}\n`;
