import t from 'tap';
import { ARTICLE_PLACEHOLDERS, dateParts, fillUrlTemplate, parseUrlTemplate, type UrlTemplate } from '../../src/lib/url-template.js';

const parse = (source: string) => {
  const got = parseUrlTemplate(source, ARTICLE_PLACEHOLDERS, 'https://baodongthap.vn');
  if (typeof got === 'string') throw new Error(got);
  return got as UrlTemplate;
};

t.test('an empty placeholder drops with the / after it, and only that /', async (t) => {
  const tpl = parse('{site}/{category}/{slug}');
  t.equal(fillUrlTemplate(tpl, { category: 'thoi-su', slug: 'a' }), 'https://baodongthap.vn/thoi-su/a');
  t.equal(fillUrlTemplate(tpl, { category: '', slug: 'a' }), 'https://baodongthap.vn/a');
  t.equal(fillUrlTemplate(tpl, { category: null, slug: 'a' }), 'https://baodongthap.vn/a');
  const tail = parse('{site}/{slug}/{category}');
  t.equal(fillUrlTemplate(tail, { slug: 'a' }), 'https://baodongthap.vn/a/', 'nothing follows: nothing else drops');
  const glued = parse('{site}/tin/{category}-{slug}');
  t.equal(fillUrlTemplate(glued, { slug: 'a' }), 'https://baodongthap.vn/tin/-a', 'text not starting with / stays');
});

t.test('refuses what is not a template', async (t) => {
  for (const [source, message] of [
    ['{site}/{category}', /\{slug\} or \{id\}/],
    ['{site}/{tac-gia}/{slug}', /unknown placeholder \{tac-gia\}/],
    ['{site}/{constructor}/{slug}', /unknown placeholder/],
    ['{site}/{slug}}', /unmatched/],
    ['{slug}', /absolute/],
  ] as const) {
    const got = parseUrlTemplate(source, ARTICLE_PLACEHOLDERS, 'https://x.vn');
    t.type(got, 'string', source);
    t.match(got, message, source);
  }
});

t.test('dates are counted in the time zone', async (t) => {
  const at = new Date('2024-12-31T18:30:00Z');
  t.same(dateParts(at, 'Asia/Ho_Chi_Minh'), { yyyy: '2025', mm: '01', dd: '01' });
  t.same(dateParts(at, 'UTC'), { yyyy: '2024', mm: '12', dd: '31' });
  t.same(dateParts(null, 'UTC'), {});
});
