// Property: whatever query string a client sends to a list, the answer is 200 or a 400
// problem+json, never a 5xx (issue 15, item 5; API.md §1, §2). The query strings come from the
// grammar of both list dialects, built from each resource's own list spec, with names every
// JavaScript object inherits, odd values, percent-encoded bytes and repeated keys mixed in.
import fc from 'fast-check';
import t from 'tap';
import { encodeCursor } from '../../src/lib/list-query.js';
import type { ListSpec } from '../../src/lib/list-sql.js';
import { staffArticleListSpec } from '../../src/modules/articles/articles.queries.js';
import { publicArticleListSpec } from '../../src/modules/articles/article-reads.queries.js';
import { historyListSpec } from '../../src/modules/articles/history.queries.js';
import { revisionListSpec } from '../../src/modules/articles/revisions.queries.js';
import { categoryListSpec } from '../../src/modules/categories/categories.queries.js';
import { collectionListSpec } from '../../src/modules/collections/collections.queries.js';
import { mediaListSpec } from '../../src/modules/media/media.queries.js';
import { previewLinkListSpec } from '../../src/modules/preview/preview.queries.js';
import { userListSpec } from '../../src/modules/users/users.queries.js';
import { deliveryListSpec } from '../../src/modules/webhooks/deliveries.queries.js';
import { webhookListSpec } from '../../src/modules/webhooks/webhooks.queries.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { articleIn, transition } from '../helpers/articles.js';
import { png, upload } from '../helpers/media.js';
import { createHook } from '../helpers/webhooks.js';

// Runs per resource and dialect (20 properties): 50 take 0.3–2 s each here. On a machine loaded
// far past its cores, a property stops after its time budget instead of the file timing out.
const RUNS = Number(process.env.LIST_PROPERTY_RUNS ?? 50);
const BUDGET_MS = Number(process.env.LIST_PROPERTY_BUDGET_MS ?? 2000);

const ta = await createTestApp({ WEBHOOK_POLL_MS: '0' });
t.teardown(() => ta.close());

// A few records of each kind, so that pages, cursors and filters meet real rows.
const category = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Nông nghiệp' } })).json();
for (let i = 0; i < 3; i++) await articleIn(ta, 'published', { title: `Tân Hồng ${i}`, tags: ['Đồng Tháp', `t${i}`], categoryId: category.id });
const article = await articleIn(ta, 'draft', { title: 'Bản nháp' });
await transition(ta, 'author', article.id, 'submit');
await transition(ta, 'editor', article.id, 'reject', { comment: 'Sửa' });
await ta.req('author', { method: 'PATCH', url: `/api/v1/articles/${article.id}`, payload: { summary: 'Tóm tắt' } });
await ta.req('editor', { method: 'POST', url: `/api/v1/articles/${article.id}/preview-links`, payload: {} });
await upload(ta, 'editor', { filename: 'anh.png', data: await png(20, 10) }, { alt: 'Cầu Rạch Miễu' });
const hook = await createHook(ta, 'https://hooks.example.invalid/a');
await ta.req('admin', { method: 'POST', url: `/api/v1/webhooks/${hook.id}/ping` });

interface Resource {
  name: string;
  url: string;
  as: keyof TestApp['users'] | null;
  spec: ListSpec;
}

const resources: Resource[] = [
  { name: 'articles (staff)', url: '/api/v1/articles', as: 'editor', spec: staffArticleListSpec },
  { name: 'articles (public)', url: '/api/v1/articles', as: null, spec: publicArticleListSpec },
  { name: 'categories', url: '/api/v1/categories', as: null, spec: categoryListSpec },
  { name: 'collections', url: '/api/v1/collections', as: 'author', spec: collectionListSpec },
  { name: 'users', url: '/api/v1/users', as: 'admin', spec: userListSpec },
  { name: 'media', url: '/api/v1/media', as: 'editor', spec: mediaListSpec },
  { name: 'webhooks', url: '/api/v1/webhooks', as: 'admin', spec: webhookListSpec },
  { name: 'deliveries', url: `/api/v1/webhooks/${hook.id}/deliveries`, as: 'admin', spec: deliveryListSpec },
  { name: 'revisions', url: `/api/v1/articles/${article.id}/revisions`, as: 'editor', spec: revisionListSpec },
  { name: 'history', url: `/api/v1/articles/${article.id}/history`, as: 'editor', spec: historyListSpec },
  { name: 'preview-links', url: `/api/v1/articles/${article.id}/preview-links`, as: 'editor', spec: previewLinkListSpec },
];

// ── The grammar ─────────────────────────────────────────────────────────────────

const INHERITED = [
  '__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', '__defineGetter__', '__lookupGetter__',
  'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'length', 'name', 'caller', 'arguments',
];
const PRIVATE = ['passwordHash', 'secret', 'tokenHash', 'searchVector', 'titleVector', 'storageKey', 'renditions'];

const name = (spec: ListSpec) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...Object.keys(spec.fields), ...(spec.extraFilters ?? [])) },
    { weight: 3, arbitrary: fc.constantFrom(...INHERITED) },
    { weight: 1, arbitrary: fc.constantFrom(...PRIVATE, 'q', 'filter', 'sort', 'range', '_cursor', '', ' id', 'ID') },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );
const op = fc.constantFrom('', '', '_ne', '_gte', '_lte', '_like', '_eq', '_in', '_ne_like');

const number = fc.oneof(
  fc.integer({ min: -3, max: 40 }).map(String),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.constantFrom('0', '-0', '00', '1e3', '1.5', '0x10', ' 1', '+1', 'NaN', 'Infinity', '2147483647', '2147483648', '-2147483649', '999999999', '1000000000', '9007199254740993', '9'.repeat(400)),
);
const date = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('0000-01-01', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59-12:00', '2024-02-30', '2024-13-01', '2024-01-01T25:00:00Z', '2024-01-01 BC', '+275760-09-13T00:00:00Z', '1970-01-01'),
);
const text = fc.oneof(
  fc.string({ maxLength: 16 }),
  fc.string({ unit: 'binary', maxLength: 16 }),
  fc.constantFrom('', 'null', 'NULL', 'true', 'false', '%', '_', '\\', "'", '"', '\u0000', 'a\u0000b', '{1,2}', '[]', '{}', '\ud800', 'Đà Nẵng', 'tân hồng'.normalize('NFD'), ' '.repeat(3), 'x'.repeat(2000)),
);
const enumValue = (spec: ListSpec) => fc.constantFrom(...Object.values(spec.fields).flatMap((f) => f.values ?? []), 'draft', 'admin', 'pending');
const scalar = (spec: ListSpec) => fc.oneof(number, date, text, enumValue(spec));

/** A known field with an operator and a value that fit its type: these reach the SQL. */
const typedFilter = (spec: ListSpec): fc.Arbitrary<Pair> =>
  fc.constantFrom(...Object.entries(spec.fields)).chain(([field, def]) => {
    const ops = def.type === 'text' ? ['', '_ne', '_gte', '_lte', '_like'] : def.type === 'int' || def.type === 'timestamp' ? ['', '_ne', '_gte', '_lte'] : ['', '_ne'];
    const value: fc.Arbitrary<string> =
      def.type === 'int' ? fc.oneof(fc.integer({ min: -2147483647, max: 2147483647 }), fc.integer({ min: 0, max: 20 })).map(String)
      : def.type === 'timestamp' ? fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString())
      : def.type === 'enum' ? fc.constantFrom(...(def.values ?? ['x']))
      : def.type === 'bool' ? fc.constantFrom('true', 'false')
      : fc.string({ maxLength: 12 }).filter((v) => !v.includes('\u0000'));
    return fc.tuple(fc.constantFrom(...ops), def.nullable ? fc.oneof(value, fc.constant('null')) : value).map(([o, v]): Pair => [field + o, v]);
  });

// JSON values for `filter`, `range`, `sort` and cursors: odd numbers, nesting, arrays.
const jsonScalar = fc.oneof(
  fc.constantFrom(null, true, false, 0, -0, 1, -1, 1.5, 1e308, -1e308, 2 ** 53 + 2, 2147483648, 1e20, '', 'null', '\u0000', '\ud800', '__proto__'),
  fc.integer({ min: -5, max: 50 }),
  fc.string({ maxLength: 10 }),
  date,
);
const jsonValue = (spec: ListSpec) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.oneof(jsonScalar, scalar(spec)) },
    { weight: 2, arbitrary: fc.array(fc.oneof(jsonScalar, scalar(spec)), { maxLength: 5 }) },
    { weight: 1, arbitrary: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 95, maxLength: 110 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
/** A JSON object written by hand: keys such as "__proto__" stay keys, and may repeat. */
const jsonObject = (spec: ListSpec) =>
  fc
    .array(fc.tuple(fc.oneof(name(spec), fc.constant('q')), op, jsonValue(spec)), { maxLength: 4 })
    .map((entries) => `{${entries.map(([k, o, v]) => `${JSON.stringify(k + (o === '' ? '' : o))}:${JSON.stringify(v)}`).join(',')}}`);
const garbage = fc.constantFrom('', '[', '{', '{"a":', 'null', '[]', '{}', '[0]', '[0,1,2]', '"x"', '1', 'undefined', '[1e400,0]', '{"__proto__":{"x":1}}');

type Pair = [string, string];
const pair = (key: fc.Arbitrary<string>, value: fc.Arbitrary<string>): fc.Arbitrary<Pair[]> => fc.tuple(key, value).map((p) => [p]);

const direction = fc.constantFrom('asc', 'desc', 'ASC', 'DESC', 'Desc', '', 'up', 'asc,desc', '__proto__');
const sortable = (spec: ListSpec) => Object.entries(spec.fields).filter(([, f]) => f.sortable !== false).map(([n]) => n);
const sortNames = (spec: ListSpec) =>
  fc.array(fc.tuple(fc.boolean(), name(spec)).map(([minus, n]) => (minus ? `-${n}` : n)), { minLength: 1, maxLength: 10 }).map((ns) => ns.join(','));
const cursor = (spec: ListSpec) =>
  fc.oneof(
    fc.tuple(fc.oneof(fc.nat(), fc.constantFrom(-1, 1e20, 2 ** 53, 1.5)), fc.array(fc.oneof(jsonScalar, fc.nat()), { minLength: 1, maxLength: 10 })).map(([offset, values]) =>
      encodeCursor({ offset, values }),
    ),
    fc.string({ maxLength: 20 }),
    fc.constant(encodeCursor({ offset: 1, values: [spec.defaultSort.length > 1 ? '2026-01-01T00:00:00Z' : 1, 1] })),
  );

const pageKey = fc.constantFrom('_start', '_end', '_page', '_limit', '_per_page');
const smallNumber = fc.integer({ min: 0, max: 12 }).map(String);

/** json-server (ra-data-json-server, Refine): _start/_end, _page/_limit, _sort/_order, field=value, q. */
const jsonServerPairs = (spec: ListSpec) =>
  fc.oneof(
    { weight: 3, arbitrary: pair(pageKey, fc.oneof({ weight: 3, arbitrary: smallNumber }, { weight: 1, arbitrary: number })) },
    { weight: 2, arbitrary: fc.tuple(sortNames(spec), fc.option(direction)).map(([s, d]): Pair[] => (d === null ? [['_sort', s]] : [['_sort', s], ['_order', d]])) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...sortable(spec)), fc.constantFrom('asc', 'desc', 'DESC')).map(([s, d]): Pair[] => [['_sort', s], ['_order', d]]) },
    { weight: 6, arbitrary: typedFilter(spec).map((p) => [p]) },
    { weight: 3, arbitrary: pair(fc.tuple(name(spec), op).map(([n, o]) => n + o), scalar(spec)) },
    // Repeated keys: "any of", up to past the cap of 100 values.
    { weight: 1, arbitrary: fc.tuple(fc.tuple(name(spec), op).map(([n, o]) => n + o), fc.array(scalar(spec), { minLength: 2, maxLength: 120 })).map(([k, vs]) => vs.map((v): Pair => [k, v])) },
    { weight: 1, arbitrary: pair(fc.constant('q'), text) },
    { weight: 1, arbitrary: pair(fc.constant('_cursor'), cursor(spec)) },
  );

/** ra-data-simple-rest: range=[a,b], sort=["field","ASC"], filter={...}. */
const simpleRestPairs = (spec: ListSpec) =>
  fc.oneof(
    { weight: 2, arbitrary: pair(fc.constant('range'), fc.tuple(fc.nat(12), fc.nat(12)).map(([a, b]) => JSON.stringify([Math.min(a, b), Math.max(a, b)]))) },
    { weight: 1, arbitrary: pair(fc.constant('range'), fc.oneof(fc.tuple(jsonScalar, jsonScalar).map((r) => JSON.stringify(r)), jsonValue(spec).map((v) => JSON.stringify(v)), garbage)) },
    { weight: 2, arbitrary: pair(fc.constant('sort'), fc.tuple(fc.constantFrom(...sortable(spec)), fc.constantFrom('ASC', 'DESC')).map((s) => JSON.stringify(s))) },
    { weight: 1, arbitrary: pair(fc.constant('sort'), fc.oneof(fc.tuple(name(spec), direction).map((s) => JSON.stringify(s)), jsonValue(spec).map((v) => JSON.stringify(v)), garbage)) },
    { weight: 3, arbitrary: pair(fc.constant('filter'), fc.array(typedFilter(spec), { maxLength: 3 }).map((ps) => `{${ps.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v === 'null' ? null : v)}`).join(',')}}`)) },
    { weight: 3, arbitrary: pair(fc.constant('filter'), fc.oneof({ weight: 4, arbitrary: jsonObject(spec) }, { weight: 1, arbitrary: garbage })) },
    { weight: 1, arbitrary: pair(fc.constant('_cursor'), cursor(spec)) },
  );

// How a key or value goes on the wire: encoded, raw (so & = # + % change the structure), or
// with stray percent-encoded bytes (invalid UTF-8, truncated escapes, NUL).
const STRAY = ['%', '%F', '%FF', '%00', '%C3%28', '%E2%82', '%ZZ', '+', '%2B', '%26', '%3D', '%5B%5D', '[]', '[0]', '.', '%ED%A0%80'];
// A lone surrogate has no UTF-8 form (a client sends U+FFFD); in JSON it travels as an escape.
const wellFormed = (s: string) => s.replace(/\p{Cs}/gu, '\ufffd');
const encode = (s: string) => encodeURIComponent(wellFormed(s));
const wire = fc.oneof(
  { weight: 12, arbitrary: fc.constant(encode) },
  { weight: 1, arbitrary: fc.constant((s: string) => wellFormed(s).replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c))) },
  { weight: 1, arbitrary: fc.constantFrom(...STRAY).map((stray) => (s: string) => encode(s) + stray) },
);

const queryString = (pairs: fc.Arbitrary<Pair[]>) =>
  fc
    .array(fc.tuple(pairs, wire, wire), { maxLength: 5 })
    .map((groups) => groups.flatMap(([ps, encKey, encValue]) => ps.map(([k, v]) => `${encKey(k)}=${encValue(v)}`)).join('&'));

// ── The property ────────────────────────────────────────────────────────────────

async function answersCleanly(r: Resource, qs: string): Promise<void> {
  const url = `${r.url}?${qs}`;
  const res = await ta.req(r.as, { method: 'GET', url });
  const where = `GET ${url.slice(0, 300)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
  if (res.statusCode === 200) {
    if (!Array.isArray(res.json())) throw new Error(`not a JSON array: ${where}`);
    if (res.headers['x-total-count'] === undefined) throw new Error(`no X-Total-Count: ${where}`);
    return;
  }
  if (res.statusCode !== 400) throw new Error(`neither 200 nor 400: ${where}`);
  if (!String(res.headers['content-type']).startsWith('application/problem+json')) throw new Error(`a 400 that is not problem+json: ${where}`);
  const problem = res.json();
  if (problem.status !== 400 || typeof problem.code !== 'string' || typeof problem.detail !== 'string') throw new Error(`not a problem body: ${where}`);
}

for (const r of resources) {
  for (const [dialect, pairs] of [
    ['json-server', jsonServerPairs(r.spec)],
    ['simple-rest', simpleRestPairs(r.spec)],
  ] as const) {
    t.test(`${r.name}, ${dialect} dialect: any query string is 200 or a 400 problem`, async (t) => {
      // Mostly the dialect's own grammar, sometimes mixed with the other's.
      const mixed = fc.oneof({ weight: 4, arbitrary: pairs }, { weight: 1, arbitrary: dialect === 'json-server' ? simpleRestPairs(r.spec) : jsonServerPairs(r.spec) });
      let runs = 0;
      const property = fc.asyncProperty(queryString(mixed), (qs) => (runs++, answersCleanly(r, qs)));
      await fc.assert(property, { numRuns: RUNS, plugins: [fc.interruptAfterTimeLimit(BUDGET_MS)] });
      t.ok(runs > 0, `${runs} query strings`);
    });
  }
}

t.test('the attacks of issue 15 are each a 400', async (t) => {
  const attacks = [
    '__proto__=x', 'constructor=1', 'toString=x', 'hasOwnProperty=1', 'valueOf_ne=1', `filter=${encodeURIComponent('{"constructor":1}')}`,
    '_sort=__proto__', '_sort=toString', `sort=${encodeURIComponent('["valueOf","ASC"]')}`, `filter=${encodeURIComponent('{"__proto__":1}')}`,
    `id=${Array.from({ length: 101 }, (_, i) => i + 1).join('&id=')}`,
  ];
  for (const r of resources) {
    for (const qs of attacks) {
      const res = await ta.req(r.as, { method: 'GET', url: `${r.url}?${qs}` });
      t.equal(res.statusCode, 400, `${r.name}: ${qs.slice(0, 60)}`);
      t.equal(res.json().code, 'validation_failed');
    }
  }
});

t.test('one filter takes at most 100 values; more is a 400 on that parameter', async (t) => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  const ok = await ta.req('editor', { method: 'GET', url: `/api/v1/categories?id=${ids(100).join('&id=')}` });
  t.equal(ok.statusCode, 200);
  for (const [qs, key] of [
    [`id=${ids(101).join('&id=')}`, 'query.id'],
    [`id_ne=${ids(101).join('&id_ne=')}`, 'query.id_ne'],
    [`filter=${encodeURIComponent(JSON.stringify({ id: ids(101) }))}`, 'query.filter.id'],
  ]) {
    const res = await ta.req('editor', { method: 'GET', url: `/api/v1/categories?${qs}` });
    t.equal(res.statusCode, 400, key);
    t.ok(Object.hasOwn(res.json().errors ?? {}, key), `keyed on ${key}: ${JSON.stringify(res.json().errors)}`);
  }
  const articles = await ta.req('editor', { method: 'GET', url: `/api/v1/articles?category=${ids(101).join('&category=')}` });
  t.equal(articles.statusCode, 400, 'the category filter too');
});
