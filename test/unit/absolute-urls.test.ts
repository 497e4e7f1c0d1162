// Relative URLs in bodies become absolute for feeds (API.md §10); absolute ones stay untouched.
import t from 'tap';
import { absoluteUrl, absolutizeUrls } from '../../src/lib/absolute-urls.js';

const bases = { page: 'https://example.org/thoi-su/bai-viet', apiPrefixes: [{ path: '/media', base: 'https://api.example.org/cms' }] };

t.test('resolves against the article page, the media prefix against the API', async (t) => {
  t.equal(absoluteUrl('/kinh-te/gia-lua', bases), 'https://example.org/kinh-te/gia-lua');
  t.equal(absoluteUrl('anh.jpg', bases), 'https://example.org/thoi-su/anh.jpg');
  t.equal(absoluteUrl('#doan-2', bases), 'https://example.org/thoi-su/bai-viet#doan-2');
  t.equal(absoluteUrl('//cdn.example.net/x.png', bases), 'https://cdn.example.net/x.png');
  t.equal(absoluteUrl('/media/ab12.webp', bases), 'https://api.example.org/cms/media/ab12.webp');
  t.equal(absoluteUrl('/mediafile', bases), 'https://example.org/mediafile', 'only the prefix as a whole segment');
});

t.test('absolute URLs of any scheme are left as they are', async (t) => {
  for (const url of ['https://a.example/x', 'HTTP://A.example', 'mailto:a@b.vn', 'tel:+84123', 'data:image/png;base64,AAAA']) {
    t.equal(absoluteUrl(url, bases), url);
  }
});

t.test('rewrites href, src, srcset and poster inside tags only', async (t) => {
  const html =
    '<p>Xem <a href="/kinh-te?a=1&amp;b=2" title="src=&quot;/x&quot;">bài</a> href="/not-a-tag"</p>' +
    '<img src="anh.jpg" srcset="/media/a-320.webp 320w, /media/a-640.webp 640w" alt="Ảnh">' +
    '<video src="https://v.example/v.mp4" poster="/p.jpg"></video>';
  t.equal(
    absolutizeUrls(html, bases),
    '<p>Xem <a href="https://example.org/kinh-te?a=1&amp;b=2" title="src=&quot;/x&quot;">bài</a> href="/not-a-tag"</p>' +
      '<img src="https://example.org/thoi-su/anh.jpg" srcset="https://api.example.org/cms/media/a-320.webp 320w, https://api.example.org/cms/media/a-640.webp 640w" alt="Ảnh">' +
      '<video src="https://v.example/v.mp4" poster="https://example.org/p.jpg"></video>',
  );
});

t.test('a body without URLs comes back unchanged', async (t) => {
  const html = '<p>Kỳ họp lần thứ 9 &amp; “ngoặc”</p>';
  t.equal(absolutizeUrls(html, bases), html);
});
