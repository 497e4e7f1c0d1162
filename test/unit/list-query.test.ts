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
