import t from 'tap';
import { dropIframesWithoutSrc, filterIframeAllow, isAllowedIframeSrc } from '../../src/lib/sanitize-iframes.js';
import { opensNewContext, relWithoutOpener } from '../../src/lib/sanitize-links.js';
import { type CleanOutcome, MAX_BODY_DEPTH, makeBodyCleaner } from '../../src/lib/sanitize-body.js';

const clean = makeBodyCleaner(['www.youtube.com', 'player.vimeo.com']);
const html = (input: string): string => {
  const out = clean(input);
  if (!out.ok) throw new Error(`refused: ${out.reason}`);
  return out.html;
};
const reason = (out: CleanOutcome) => (out.ok ? 'ok' : out.reason);
const count = (s: string, needle: string) => s.split(needle).length - 1;

t.test('nesting up to 256 elements is kept; 257 is refused', async (t) => {
  t.equal(MAX_BODY_DEPTH, 256);
  const kept = html(`${'<b>'.repeat(256)}x${'</b>'.repeat(256)}`);
  t.equal(count(kept, '<b>'), 256);
  t.equal(count(kept, '</b>'), 256);
  t.equal(reason(clean(`${'<b>'.repeat(257)}x${'</b>'.repeat(257)}`)), 'too_deep');
  t.equal(reason(clean(`${'<div>'.repeat(256)}x`)), 'ok', 'unclosed tags close at the end: depth 256');
  t.equal(reason(clean(`${'<div>'.repeat(257)}x`)), 'too_deep');
  t.equal(reason(clean('<b>'.repeat(166_666))), 'too_deep', 'the 500 KB attack');
  t.equal(reason(clean('<b><i>'.repeat(166_666))), 'too_deep', 'the 1 MB attack');
  t.equal(reason(clean(`<p>${'<x-custom>'.repeat(300)}`)), 'too_deep', 'disallowed elements nest as parsed, and count');
  t.equal(reason(clean(`${'<b>'.repeat(200)}${'</b>'.repeat(200)}`.repeat(50))), 'ok', 'depth is per branch, not a total');
});

t.test('elements that do not nest do not count', async (t) => {
  t.equal(reason(clean('<p>x'.repeat(2000))), 'ok', '<p> closes the open <p>');
  t.equal(reason(clean('<li>x'.repeat(2000))), 'ok', '<li> closes the open <li>');
  t.equal(reason(clean('x<br>'.repeat(2000))), 'ok', 'void elements');
  t.equal(reason(clean('<img src="a.jpg">'.repeat(2000))), 'ok');
  t.equal(reason(clean('<hr/>'.repeat(2000))), 'ok');
  t.equal(reason(clean('<!-- c -->&amp;&lt;'.repeat(2000))), 'ok', 'comments and entities');
  t.equal(reason(clean(`${'<b>'.repeat(255)}${'<br><img src="a.jpg">'.repeat(500)}`)), 'ok', 'a void element at depth 256');
  t.equal(reason(clean(`${'<b>'.repeat(256)}<br>`)), 'too_deep', 'a void element at depth 257 is nested 257 deep');
  t.equal(reason(clean(`${'<b>'.repeat(250)}${'</i></span></p>'.repeat(2000)}`)), 'ok', 'stray closing tags');
});

t.test('the cleaned body cannot grow more than twice over', async (t) => {
  t.equal(reason(clean('<p>'.repeat(166_666))), 'grows_too_much', '<p> becomes <p></p>');
  t.equal(reason(clean('&'.repeat(100_000))), 'grows_too_much', '& becomes &amp;');
  t.equal(reason(clean('<'.repeat(100_000))), 'grows_too_much', '< becomes &lt;');
  const refused = clean('&'.repeat(100_000));
  t.match(refused, { ok: false, detail: /twice|2 times/, message: String });
  const real = `<p>Kỳ họp <a href="https://x.vn/a" target="_blank">BCH</a> &amp; <b>Đảng</b> bộ huyện Tân Hồng.<br></p>`.repeat(2000);
  const out = html(real);
  t.ok(out.length < real.length * 1.5, 'editor HTML stays near its size');
  t.equal(html('<p>'), '<p></p>', 'a few characters of slack for tiny bodies');
});

t.test('links that open a new context get rel="noopener noreferrer"', async (t) => {
  t.equal(html('<a href="https://x.vn" target="_blank">a</a>'), '<a href="https://x.vn" target="_blank" rel="noopener noreferrer">a</a>');
  t.equal(html('<a href="https://x.vn" target="_BLANK">a</a>'), '<a href="https://x.vn" target="_BLANK" rel="noopener noreferrer">a</a>', 'any case');
  t.equal(html('<a href="https://x.vn" target=" _blank ">a</a>'), '<a href="https://x.vn" target=" _blank " rel="noopener noreferrer">a</a>');
  t.equal(html('<a href="https://x.vn" target="khac">a</a>'), '<a href="https://x.vn" target="khac" rel="noopener noreferrer">a</a>', 'a named window too');
  t.equal(
    html('<a href="https://x.vn" target="_blank" rel="nofollow UGC">a</a>'),
    '<a href="https://x.vn" target="_blank" rel="nofollow ugc noopener noreferrer">a</a>',
    'a given rel is kept and completed',
  );
  t.equal(html('<a target="_blank" rel="opener noopener">a</a>'), '<a target="_blank" rel="noopener noreferrer">a</a>', 'opener is dropped');
  t.equal(html('<a href="/x" target="_self" rel="nofollow">a</a>'), '<a href="/x" target="_self" rel="nofollow">a</a>', 'same tab: rel as given');
  t.equal(html('<a href="/x">a</a>'), '<a href="/x">a</a>', 'no target: no rel');
  t.equal(html('<a href="https://x.vn" target="_blank" rel="noopener noreferrer">a</a>'), '<a href="https://x.vn" target="_blank" rel="noopener noreferrer">a</a>', 'idempotent');
});

t.test('an allowed iframe keeps only harmless permissions', async (t) => {
  const src = 'https://www.youtube.com/embed/abc';
  t.equal(
    html(`<iframe src="${src}" allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture; web-share" allowfullscreen></iframe>`),
    `<iframe src="${src}" allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture; web-share" allowfullscreen></iframe>`,
    "YouTube's own embed code is unchanged",
  );
  t.equal(html(`<iframe src="${src}" allow="camera; microphone; geolocation; Autoplay; payment; usb; display-capture"></iframe>`), `<iframe src="${src}" allow="autoplay"></iframe>`);
  t.equal(html(`<iframe src="${src}" allow="camera *; fullscreen 'self' https://evil.example"></iframe>`), `<iframe src="${src}" allow="fullscreen"></iframe>`, 'origin lists are dropped');
  t.equal(html(`<iframe src="${src}" allow="camera; microphone"></iframe>`), `<iframe src="${src}"></iframe>`, 'nothing left: no allow at all');
});

t.test('a refused iframe leaves nothing behind', async (t) => {
  t.equal(html('<p>a</p><iframe src="https://evil.example/x"></iframe><p>b</p>'), '<p>a</p><p>b</p>');
  t.equal(html('<p>a<iframe src="https://evil.example/x">fallback <b>x</b></iframe>b</p>'), '<p>ab</p>', 'its content goes too');
  t.equal(html('<iframe></iframe><iframe src=""></iframe><iframe srcdoc="<script>x</script>"></iframe>'), '');
  const spellings = [
    'https://www.youtube.com.evil.example/embed/x', 'https://evil.example/?https://www.youtube.com/', 'https://www.youtube.com@evil.example/',
    'https://evil.example\\@www.youtube.com/', '//www.youtube.com/embed/x', 'javascript:alert(1)//www.youtube.com', 'data:text/html,<script>x</script>',
    'ftp://www.youtube.com/x', '/embed/x', 'https://youtube.com.', 'https://ｗｗｗ.youtube.com.evil.example/', ' https://evil.example/',
  ];
  for (const src of spellings) {
    const out = html(`<p>a</p><iframe src="${src.replace(/"/g, '&quot;')}" allow="autoplay"></iframe>`);
    t.equal(out, '<p>a</p>', `refused: ${src}`);
  }
  t.equal(html('<p><iframe title="a src=" width="1"></iframe>x</p><p>y</p>'), '<p>x</p><p>y</p>', 'the element after it closes as itself');
  t.equal(html('<iframe src="https://evil.example"><iframe src="https://www.youtube.com/embed/x"></iframe>x</iframe>y'), 'y', 'nested in a refused one');
  t.equal(
    html('<iframe width="5" src="https://www.youtube.com/embed/x"><iframe src="https://evil.example">a</iframe>b</iframe>'),
    '<iframe src="https://www.youtube.com/embed/x" width="5">b</iframe>',
    'a refused one nested in a kept one; src comes first',
  );
  t.equal(html('<iframe src="https://evil.example">'.repeat(200)), '', 'unclosed');
  t.equal(dropIframesWithoutSrc('<p>a</p><iframe>x<iframe src="y"></iframe></iframe><iframe src="z"></iframe>'), '<p>a</p><iframe src="z"></iframe>');
  for (const src of ['https://WWW.YOUTUBE.COM/embed/x', 'https://player.vimeo.com/video/1', 'http://www.youtube.com/embed/x']) {
    t.match(html(`<iframe src="${src}"></iframe>`), /^<iframe src="[^"]+"><\/iframe>$/, `kept: ${src}`);
  }
});

t.test('what the allow-list always did still holds', async (t) => {
  t.equal(html('<p onclick="x()">a<script>alert(1)</script></p>'), '<p>a</p>');
  t.equal(html('<a href="javascript:alert(1)">a</a>'), '<a>a</a>');
  t.equal(html('<img src="x.jpg" onerror="alert(1)">'), '<img src="x.jpg" />');
  t.equal(html('<style>p{}</style><textarea><b>x</b></textarea>ok'), 'ok');
});

t.test('the cleaned body is NFC', async (t) => {
  t.equal(html('<p>e&#x301;</p>'), '<p>\u00e9</p>');
  t.equal(html('<p>Tân Hồng</p>'.normalize('NFD')), '<p>Tân Hồng</p>'.normalize('NFC'));
});

t.test('attribute helpers', async (t) => {
  t.ok(opensNewContext('_blank'));
  t.ok(opensNewContext('x'));
  t.notOk(opensNewContext(undefined));
  t.notOk(opensNewContext(''));
  t.notOk(opensNewContext('_TOP'));
  t.equal(relWithoutOpener(undefined), 'noopener noreferrer');
  t.equal(relWithoutOpener('  Noopener\tnofollow  '), 'noopener nofollow noreferrer');
  t.equal(filterIframeAllow('__proto__; constructor; toString; autoplay'), 'autoplay', 'names of Object.prototype are not features');
  t.equal(filterIframeAllow(undefined), '');
  const hosts = new Set(['www.youtube.com']);
  t.ok(isAllowedIframeSrc('https://www.youtube.com/embed/x', hosts));
  t.notOk(isAllowedIframeSrc('https://constructor/', new Set()), 'no inherited names');
  t.notOk(isAllowedIframeSrc(undefined, hosts));
});
