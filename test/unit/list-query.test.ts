import t, { type Test } from 'tap';
import { DEFAULT_PAGE_SIZE, type ListSpecShape, MAX_PAGE_SIZE, parseListQuery } from '../../src/lib/list-query.js';
import { Problem } from '../../src/lib/problem.js';

const spec: ListSpecShape = {
  fields: {
    id: { type: 'int' },
    title: { type: 'text' },
    status: { type: 'enum', values: ['draft', 'published'] },
    parentId: { type: 'int', nullable: true },
    createdAt: { type: 'timestamp' },
    disabled: { type: 'bool' },
    body: { type: 'text', sortable: false },
  },
  extraFilters: ['category'],
  defaultSort: [{ field: 'id', dir: 'asc' }],
};

const parse = (q: Record<string, string | string[]>) => parseListQuery(q, spec);
const fails = (t: Test, q: Record<string, string | string[]>, path: string) => {
  try {
    parse(q);
    t.fail(`expected a 400 for ${JSON.stringify(q)}`);
  } catch (err) {
    t.type(err, Problem);
    t.equal((err as Problem).status, 400);
    t.ok((err as Problem).errors?.some((e) => e.path === `query.${path}`), `error names ${path}: ${JSON.stringify((err as Problem).errors)}`);
  }
};

t.test('pagination, json-server dialect', async (t) => {
  t.match(parse({}), { offset: 0, limit: DEFAULT_PAGE_SIZE });
  t.match(parse({ _start: '10', _end: '20' }), { offset: 10, limit: 10 });
  t.match(parse({ _page: '3', _limit: '10' }), { offset: 20, limit: 10 });
  t.match(parse({ _start: '0', _end: '1000' }), { offset: 0, limit: MAX_PAGE_SIZE });
  t.match(parse({ _start: '5', _end: '5' }), { offset: 5, limit: 0 });
  fails(t, { _start: '-1' }, '_start');
  fails(t, { _start: '10', _end: '5' }, '_end');
  fails(t, { _page: '0' }, '_page');
  fails(t, { _start: ['1', '2'] }, '_start');
});

t.test('pagination, simple-rest dialect', async (t) => {
  t.match(parse({ range: '[0,24]' }), { offset: 0, limit: 25 });
  t.match(parse({ range: '[50,59]' }), { offset: 50, limit: 10 });
  t.match(parse({ range: '[0,999]' }), { limit: MAX_PAGE_SIZE });
  fails(t, { range: '[5,1]' }, 'range');
  fails(t, { range: 'nope' }, 'range');
});

t.test('sorting', async (t) => {
  t.same(parse({}).sort, [{ field: 'id', dir: 'asc' }]);
  t.equal(parse({}).explicitSort, false);
  t.same(parse({ _sort: 'title,createdAt', _order: 'ASC,desc' }).sort, [
    { field: 'title', dir: 'asc' },
    { field: 'createdAt', dir: 'desc' },
  ]);
  t.same(parse({ sort: '["title","DESC"]' }).sort, [{ field: 'title', dir: 'desc' }]);
  t.same(parse({ _sort: '-createdAt' }).sort, [{ field: 'createdAt', dir: 'desc' }]);
  fails(t, { _sort: 'passwordHash' }, '_sort');
  fails(t, { sort: '["passwordHash","ASC"]' }, 'sort');
  fails(t, { _sort: 'body' }, '_sort');
  fails(t, { _sort: 'title', _order: 'sideways' }, '_order');
});

t.test('filters', async (t) => {
  t.same(parse({ id: ['1', '2'] }).filters, [{ field: 'id', op: 'eq', values: [1, 2] }]);
  t.same(parse({ title_like: 'tân' }).filters, [{ field: 'title', op: 'like', values: ['tân'] }]);
  t.same(parse({ status_ne: 'draft' }).filters, [{ field: 'status', op: 'ne', values: ['draft'] }]);
  t.same(parse({ parentId: 'null' }).filters, [{ field: 'parentId', op: 'eq', values: [null] }]);
  t.same(parse({ disabled: 'true' }).filters, [{ field: 'disabled', op: 'eq', values: [true] }]);
  t.same(parse({ filter: '{"id":[3,4],"q":"tan hong","parentId":null}' }).filters, [
    { field: 'id', op: 'eq', values: [3, 4] },
    { field: 'parentId', op: 'eq', values: [null] },
  ]);
  t.equal(parse({ filter: '{"q":"tan hong"}' }).q, 'tan hong');
  t.equal(parse({ q: 'Tân Hồng'.normalize('NFD') }).q, 'Tân Hồng', 'q is NFC-normalised');
  t.same(parse({ category: 'tin-tuc' }).filters, [{ field: 'category', op: 'eq', values: ['tin-tuc'] }]);
  const ts = parse({ createdAt_gte: '2022-07-11T00:00:00Z' }).filters[0];
  t.equal((ts.values[0] as Date).toISOString(), '2022-07-11T00:00:00.000Z');
});

t.test('bad filters are 400, never ignored', async (t) => {
  fails(t, { passwordHash: 'x' }, 'passwordHash');
  fails(t, { filter: '{"passwordHash":"x"}' }, 'filter.passwordHash');
  fails(t, { nope: '1' }, 'nope');
  fails(t, { id: 'abc' }, 'id');
  fails(t, { status: 'gone' }, 'status');
  fails(t, { id_like: '1' }, 'id_like');
  fails(t, { createdAt_gte: 'yesterday' }, 'createdAt_gte');
  fails(t, { filter: '[1,2]' }, 'filter');
  fails(t, { filter: '{bad json' }, 'filter');
  fails(t, { title: 'null', parentId_gte: 'null' }, 'parentId_gte');
});

// Names every JavaScript object inherits must not find Object.prototype's members (issue 15, item 5).
const INHERITED = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '__defineGetter__', 'isPrototypeOf', 'toLocaleString'];

t.test('names objects inherit are unknown fields everywhere', async (t) => {
  for (const name of INHERITED) {
    fails(t, { [name]: 'x' }, name);
    fails(t, { [`${name}_ne`]: '1' }, `${name}_ne`);
    fails(t, { [`${name}_like`]: 'x' }, `${name}_like`);
    fails(t, { filter: JSON.stringify({ [name]: 1 }) }, `filter.${name}`);
    fails(t, { _sort: name }, '_sort');
    fails(t, { _sort: `-${name}` }, '_sort');
    fails(t, { sort: JSON.stringify([name, 'ASC']) }, 'sort');
  }
  // A query object with a null prototype, as Fastify's querystring parser makes it.
  const raw = Object.create(null) as Record<string, string>;
  raw['__proto__'] = 'x';
  t.ok(Object.hasOwn(raw, '__proto__'));
  fails(t, raw, '__proto__');
  // JSON.parse makes "__proto__" an own key rather than setting the prototype.
  fails(t, { filter: '{"__proto__":{"id":1}}' }, 'filter.__proto__');
  // An ordinary object's inherited members are not parameters.
  t.same(parse({}).filters, []);
});

t.test('one filter takes at most 100 values', async (t) => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1));
  t.equal(parse({ id: ids(100) }).filters[0].values.length, 100);
  fails(t, { id: ids(101) }, 'id');
  fails(t, { id_ne: ids(101) }, 'id_ne');
  fails(t, { filter: JSON.stringify({ id: ids(101).map(Number) }) }, 'filter.id');
  fails(t, { category: ids(101) }, 'category');
  fails(t, { filter: '{"category":[]}' }, 'filter.category');
});

t.test('values the database cannot take are 400', async (t) => {
  fails(t, { title: 'a\u0000b' }, 'title');
  fails(t, { title_like: '\u0000' }, 'title_like');
  fails(t, { category: 'x\u0000' }, 'category');
  fails(t, { q: 'tan\u0000hong' }, 'q');
  fails(t, { filter: JSON.stringify({ q: '\u0000' }) }, 'filter.q');
  fails(t, { createdAt_gte: '0000-01-01' }, 'createdAt_gte');
  fails(t, { createdAt_gte: '9999-12-31T23:00:00-05:00' }, 'createdAt_gte');
  t.equal(parse({ createdAt_lte: '9999-12-31T23:59:59Z' }).filters.length, 1);
  fails(t, { range: '[1e20,1e20]' }, 'range');
  fails(t, { range: '[1000000000,1000000009]' }, 'range');
  t.match(parse({ range: '[0,100000000000]' }), { offset: 0, limit: MAX_PAGE_SIZE });
  fails(t, { _page: '999999999', _limit: '100' }, '_page');
  fails(t, { _sort: Array.from({ length: 9 }, () => 'id').join(',') }, '_sort');
  t.equal(parse({ _sort: Array.from({ length: 8 }, () => 'id').join(',') }).sort.length, 8);
});

t.test('a 400 detail stays short whatever the input', async (t) => {
  const raw: Record<string, string> = {};
  for (let i = 0; i < 1000; i++) raw[`${'x'.repeat(1000)}${i}`] = '1';
  try {
    parse(raw);
    t.fail('expected a 400');
  } catch (err) {
    t.ok((err as Problem).message.length < 1000, `detail of ${(err as Problem).message.length} characters`);
  }
});
