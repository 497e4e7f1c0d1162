// The escaping layer of feeds and sitemaps (src/lib/xml.ts): whatever text goes in comes out of
// a strict XML parser exactly as it went in, less the characters XML 1.0 cannot hold.
import t from 'tap';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { el, escapeAttr, escapeText, join, rootTags, text, textEl, xmlDocument } from '../../src/lib/xml.js';

// htmlEntities: fast-xml-parser decodes numeric character references (&#10;) only with it on.
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, parseAttributeValue: false, trimValues: false, processEntities: true, htmlEntities: true });

const HOSTILE = [
  'Kỳ họp lần thứ 9 BCH Đảng bộ huyện Tân Hồng',
  'AT&amp;T &lt;b&gt;bold&lt;/b&gt; & < > " \' ]]> <![CDATA[ x ]]>',
  '<p>Tom &amp; Jerry</p><script>alert(1)</script>',
  'tab\tnew\nline\rcr',
  '🇻🇳 emoji 😀 and 𝒳',
  '&#x26; &#38; &nbsp; &unknown;',
];

t.test('text and attribute values survive a strict parser byte-exact', async (t) => {
  for (const value of HOSTILE) {
    const doc = xmlDocument(el('root', { a: value }, textEl('v', value)));
    t.equal(XMLValidator.validate(doc), true, `valid: ${JSON.stringify(value)}`);
    const parsed = parser.parse(doc) as { root: { '@a': string; v: string } };
    // A parser normalises CR/CRLF in text to LF (XML 1.0 §2.11): compare what survives that.
    t.equal(parsed.root.v, value.replace(/\r\n?/g, '\n'), 'text');
    t.equal(Buffer.compare(Buffer.from(parsed.root.v.normalize('NFC')), Buffer.from(parsed.root.v)), 0, 'NFC stays NFC');
    t.equal(parsed.root['@a'], value, 'attribute');
  }
});

t.test('escapes each special character once', async (t) => {
  t.equal(escapeText('a & b < c > d'), 'a &amp; b &lt; c &gt; d');
  t.equal(escapeText('&amp;'), '&amp;amp;', 'an entity in the text is text, escaped again');
  t.equal(escapeText(']]>'), ']]&gt;');
  t.equal(escapeAttr('"x"\n'), '&quot;x&quot;&#10;');
});

t.test('characters XML 1.0 cannot hold are dropped, not sent', async (t) => {
  const value = `a\u0000b\u0001c\u001fd\uFFFEe\uD800f\uDFFFg`;
  t.equal(escapeText(value), 'abcdefg');
  const doc = xmlDocument(textEl('v', value));
  t.equal(XMLValidator.validate(doc), true);
});

t.test('elements: empty ones close themselves, undefined children and attributes are skipped', async (t) => {
  t.equal(el('a', { x: undefined, y: 1 }), '<a y="1"/>');
  t.equal(el('a', {}, undefined, text('x'), el('b')), '<a>x<b/></a>');
  t.equal(join([text('a'), undefined, text('<')]), 'a&lt;');
  t.throws(() => el('bad name'), /Invalid XML name/);
  t.throws(() => el('a', { 'x y': '1' }), /Invalid XML attribute name/);
});

t.test('a root written in pieces is one document', async (t) => {
  const { open, close } = rootTags('urlset', { xmlns: 'http://www.sitemaps.org/schemas/sitemap/0.9' });
  const doc = open + textEl('loc', 'https://example.org/?a=1&b=2') + close;
  t.equal(XMLValidator.validate(doc), true);
  t.match(doc, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset /);
});
