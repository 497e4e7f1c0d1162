// Drives the real admin-UI data providers (react-admin's ra-data-json-server and ra-data-simple-rest,
// Refine's @refinedev/simple-rest) against the real app on a loopback port, over real HTTP.
// Every assertion states the contract of API.md §1–3 and §6: when one fails, the API is wrong.
import type { AddressInfo } from 'node:net';
import t from 'tap';
import axios, { type AxiosInstance } from 'axios';
import { fetchUtils, type DataProvider } from 'ra-core';
import jsonServerProvider from 'ra-data-json-server';
import simpleRestProvider from 'ra-data-simple-rest';
import refineSimpleRest from '@refinedev/simple-rest';
import { createTestApp, type TestApp } from '../helpers/app.js';

type Rec = Record<string, any>;
type Filter = Record<string, unknown>;
type Sort = { field: string; order: 'ASC' | 'DESC' };
interface ListParams {
  page: number;
  perPage: number;
  sort: Sort;
  filter?: Filter;
}
interface ListResult {
  data: Rec[];
  total: number | undefined;
}

/** The operations an admin UI performs, whatever the provider's own calling convention. */
interface Ops {
  getList(resource: string, p: ListParams): Promise<ListResult>;
  getOne(resource: string, id: number): Promise<Rec>;
  getMany(resource: string, ids: number[]): Promise<Rec[]>;
  getManyReference(resource: string, target: string, id: number, p: Omit<ListParams, 'filter'>): Promise<ListResult>;
  create(resource: string, data: Rec): Promise<Rec>;
  /** data: what the UI sends (react-admin: the whole record it read, edited). */
  update(resource: string, id: number, data: Rec, previousData: Rec): Promise<Rec>;
  /** Resolves to the ids the provider reports as updated. */
  updateMany(resource: string, ids: number[], data: Rec): Promise<unknown[]>;
  delete(resource: string, id: number, previousData: Rec): Promise<Rec>;
  deleteMany(resource: string, ids: number[]): Promise<unknown[]>;
}

interface ProviderCase {
  label: string;
  /** Builds the operations with a role's token. */
  ops(token: string): Ops;
  /** Extra facts about the provider, for assertions on what it sends. */
  updateSendsWholeRecord: boolean;
}

const ta: TestApp = await createTestApp();
t.teardown(() => ta.close());
await ta.app.listen({ port: 0, host: '127.0.0.1' });
const { port } = ta.app.server.address() as AddressInfo;
const apiUrl = `http://127.0.0.1:${port}/api/v1`;

// ── Providers ────────────────────────────────────────────────────────────────────────────────────

function raHttpClient(token: string) {
  return (url: string, options: fetchUtils.Options = {}) => fetchUtils.fetchJson(url, { ...options, user: { authenticated: true, token: `Bearer ${token}` } });
}

function fromReactAdmin(dp: DataProvider): Ops {
  return {
    getList: async (resource, p) => {
      const r = await dp.getList(resource, { pagination: { page: p.page, perPage: p.perPage }, sort: p.sort, filter: p.filter ?? {} });
      return { data: r.data, total: r.total };
    },
    getOne: async (resource, id) => (await dp.getOne(resource, { id })).data,
    getMany: async (resource, ids) => (await dp.getMany(resource, { ids })).data,
    getManyReference: async (resource, target, id, p) => {
      const r = await dp.getManyReference(resource, { target, id, pagination: { page: p.page, perPage: p.perPage }, sort: p.sort, filter: {} });
      return { data: r.data, total: r.total };
    },
    create: async (resource, data) => (await dp.create(resource, { data })).data,
    update: async (resource, id, data, previousData) => (await dp.update<Rec & { id: number }>(resource, { id, data, previousData: previousData as Rec & { id: number } })).data,
    updateMany: async (resource, ids, data) => (await dp.updateMany(resource, { ids, data })).data as unknown[],
    delete: async (resource, id, previousData) => (await dp.delete<Rec & { id: number }>(resource, { id, previousData: previousData as Rec & { id: number } })).data,
    deleteMany: async (resource, ids) => (await dp.deleteMany(resource, { ids })).data as unknown[],
  };
}

/** Refine filters from a react-admin style filter object: q, field_like → contains, arrays → in. */
function refineFilters(filter: Filter = {}) {
  return Object.entries(filter).map(([key, value]) => {
    if (key === 'q') return { field: 'q', operator: 'eq' as const, value };
    if (key.endsWith('_like')) return { field: key.slice(0, -'_like'.length), operator: 'contains' as const, value };
    if (Array.isArray(value)) return { field: key, operator: 'in' as const, value };
    return { field: key, operator: 'eq' as const, value };
  });
}

function fromRefine(http: AxiosInstance): Ops {
  // The package's types name axios' CommonJS declarations; the instance is the same at run time.
  const dp = refineSimpleRest(apiUrl, http as unknown as Parameters<typeof refineSimpleRest>[1]);
  const sorters = (s: Sort) => [{ field: s.field, order: s.order.toLowerCase() as 'asc' | 'desc' }];
  const ops: Ops = {
    getList: async (resource, p) => {
      const r = await dp.getList({ resource, pagination: { currentPage: p.page, pageSize: p.perPage }, sorters: sorters(p.sort), filters: refineFilters(p.filter) });
      return { data: r.data as Rec[], total: r.total };
    },
    getOne: async (resource, id) => (await dp.getOne({ resource, id })).data as Rec,
    getMany: async (resource, ids) => (await dp.getMany({ resource, ids })).data as Rec[],
    // Refine reads references with getList and a filter on the target field.
    getManyReference: (resource, target, id, p) => ops.getList(resource, { ...p, filter: { [target]: id } }),
    create: async (resource, data) => (await dp.create({ resource, variables: data })).data as Rec,
    update: async (resource, id, data) => (await dp.update({ resource, id, variables: data })).data as Rec,
    // @refinedev/simple-rest has no updateMany/deleteMany: Refine's core then calls update/deleteOne per id.
    updateMany: async (resource, ids, data) => Promise.all(ids.map(async (id) => (await dp.update({ resource, id, variables: data })).data.id)),
    delete: async (resource, id) => (await dp.deleteOne({ resource, id })).data as Rec,
    deleteMany: async (resource, ids) => Promise.all(ids.map(async (id) => (await dp.deleteOne({ resource, id })).data.id)),
  };
  return ops;
}

const providers: ProviderCase[] = [
  { label: 'ra-data-json-server', ops: (token) => fromReactAdmin(jsonServerProvider(apiUrl, raHttpClient(token))), updateSendsWholeRecord: true },
  {
    label: 'ra-data-simple-rest',
    ops: (token) => fromReactAdmin(simpleRestProvider(apiUrl, raHttpClient(token), 'Content-Range')),
    updateSendsWholeRecord: true,
  },
  {
    label: '@refinedev/simple-rest',
    ops: (token) => fromRefine(axios.create({ headers: { Authorization: `Bearer ${token}` } })),
    updateSendsWholeRecord: false,
  },
];

/** The status and problem body of a failed provider call (react-admin HttpError or axios error). */
async function failure(p: Promise<unknown>): Promise<{ status: number | undefined; body: any }> {
  try {
    await p;
  } catch (err) {
    const e = err as { status?: number; body?: unknown; response?: { status: number; data: unknown } };
    if (e.response) return { status: e.response.status, body: e.response.data };
    if (typeof e.status === 'number') return { status: e.status, body: e.body };
    throw err;
  }
  return { status: 200, body: undefined };
}

// ── Fixtures (seeded directly, not through the providers) ───────────────────────────────────────

const TARGET_TITLE = 'Kỳ họp lần thứ 9 BCH Đảng bộ huyện Tân Hồng';
const TARGET_SLUG = 'ky-hop-lan-thu-9-bch-dang-bo-huyen-tan-hong';
// First letters are distinct ASCII capitals, so the order is the same under any collation.
const CHILDREN = [
  { name: 'Bóng đá', position: 5 },
  { name: 'Chính trị', position: 3 },
  { name: 'Giáo dục', position: 1 },
  { name: 'Kinh tế', position: 4 },
  { name: 'Thể thao', position: 2 },
];
const TITLES_A = [TARGET_TITLE, 'Bản tin nông thôn mới', 'Chợ nổi Cái Răng đón khách 🚣', 'Giá lúa tăng mạnh', 'Xuân về trên quê hương'];
const TITLES_B = ['Nắng nóng kéo dài ở miền Tây', 'Mùa nước nổi ở Đồng Tháp'];
const ASC = <T>(xs: T[], key: (x: T) => string) => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

/** Every record that exists, to check unfiltered totals against. */
const allCategoryIds = new Set<number>();
const allArticleIds = new Set<number>();

/** Slug suffix of the n-th (0-based) record whose slug base is the same. */
const sfx = (n: number) => (n === 0 ? '' : `-${n + 1}`);

async function seed(label: string) {
  const post = async (url: string, payload: object) => {
    const res = await ta.req('editor', { method: 'POST', url, payload });
    if (res.statusCode !== 201) throw new Error(`seed ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as Rec;
  };
  const parent = await post('/api/v1/categories', { name: `Chuyên mục ${label}`, description: 'Nhóm thử nghiệm' });
  allCategoryIds.add(parent.id);
  const children: Rec[] = [];
  for (const c of CHILDREN) {
    const row = await post('/api/v1/categories', { ...c, parentId: parent.id, description: `Tin ${c.name.toLowerCase()}` });
    children.push(row);
    allCategoryIds.add(row.id);
  }
  const catA = children.find((c) => c.name === 'Kinh tế')!;
  const catB = children.find((c) => c.name === 'Thể thao')!;
  const articlesA: Rec[] = [];
  for (const title of TITLES_A) {
    const a = await post('/api/v1/articles', { title, categoryId: catA.id, summary: `Tóm tắt: ${title}`, body: `<p>${title} 😀</p>`, tags: ['Thời sự'] });
    articlesA.push(a);
    allArticleIds.add(a.id);
  }
  const articlesB: Rec[] = [];
  for (const title of TITLES_B) {
    const a = await post('/api/v1/articles', { title, categoryId: catB.id, body: '<p>Đồng bằng sông Cửu Long</p>' });
    articlesB.push(a);
    allArticleIds.add(a.id);
  }
  return { parent, children, catA, catB, articlesA, articlesB, target: articlesA[0] };
}

const ids = (rows: Rec[]) => rows.map((r) => r.id);
const sortedIds = (xs: unknown[]) => [...xs].map(Number).sort((a, b) => a - b);

// ── The scenarios ────────────────────────────────────────────────────────────────────────────────

for (const [index, provider] of providers.entries()) {
  t.test(provider.label, async (t) => {
    const fx = await seed(provider.label);
    const editor = provider.ops(ta.users.editor.token);
    const admin = provider.ops(ta.users.admin.token);
    const tag = String.fromCharCode(65 + index); // A, B, C: keeps created names distinct per provider

    t.test('categories', async (t) => {
      const inParent = { parentId: fx.parent.id };
      const byName = ASC(fx.children, (c) => c.name);

      t.test('getList: pagination, sort, filters, total', async (t) => {
        const p2asc = await editor.getList('categories', { page: 2, perPage: 2, sort: { field: 'name', order: 'ASC' }, filter: inParent });
        t.strictSame(p2asc.data.map((c) => c.name), ['Giáo dục', 'Kinh tế'], 'page 2 of 2, name ASC');
        t.strictSame(ids(p2asc.data), ids(byName.slice(2, 4)));
        t.equal(p2asc.total, 5, 'total counts every match, not the page');

        const p2desc = await editor.getList('categories', { page: 2, perPage: 2, sort: { field: 'name', order: 'DESC' }, filter: inParent });
        t.strictSame(p2desc.data.map((c) => c.name), ['Giáo dục', 'Chính trị'], 'page 2 of 2, name DESC');
        t.equal(p2desc.total, 5);

        const p3 = await editor.getList('categories', { page: 3, perPage: 2, sort: { field: 'name', order: 'ASC' }, filter: inParent });
        t.strictSame(p3.data.map((c) => c.name), ['Thể thao'], 'last, partial page');
        t.equal(p3.total, 5);

        const p4 = await editor.getList('categories', { page: 4, perPage: 2, sort: { field: 'name', order: 'ASC' }, filter: inParent });
        t.strictSame(p4.data, [], 'a page past the end is empty');
        t.equal(p4.total, 5, 'an empty page still carries the total');

        const all = await editor.getList('categories', { page: 1, perPage: 10, sort: { field: 'name', order: 'DESC' }, filter: inParent });
        t.strictSame(all.data.map((c) => c.name), ['Thể thao', 'Kinh tế', 'Giáo dục', 'Chính trị', 'Bóng đá']);

        const byPos = await editor.getList('categories', { page: 1, perPage: 10, sort: { field: 'position', order: 'ASC' }, filter: inParent });
        t.strictSame(byPos.data.map((c) => c.position), [1, 2, 3, 4, 5], 'sort by position');
        t.strictSame(byPos.data.map((c) => c.name), ['Giáo dục', 'Thể thao', 'Chính trị', 'Kinh tế', 'Bóng đá']);

        const q = await editor.getList('categories', { page: 1, perPage: 10, sort: { field: 'id', order: 'ASC' }, filter: { ...inParent, q: 'giao duc' } });
        t.strictSame(ids(q.data), [fx.children[2].id], 'q is accent-insensitive');
        t.equal(q.total, 1);

        const qUpper = await editor.getList('categories', { page: 1, perPage: 10, sort: { field: 'id', order: 'ASC' }, filter: { ...inParent, q: 'THỂ THAO' } });
        t.strictSame(ids(qUpper.data), [fx.catB.id], 'q is case-insensitive');

        const like = await editor.getList('categories', { page: 1, perPage: 10, sort: { field: 'id', order: 'ASC' }, filter: { ...inParent, name_like: 'chinh' } });
        t.strictSame(ids(like.data), [fx.children[1].id], '_like is accent-insensitive');
        t.equal(like.total, 1);

        const anyOf = await editor.getList('categories', { page: 1, perPage: 10, sort: { field: 'id', order: 'ASC' }, filter: { id: [fx.catA.id, fx.catB.id, fx.parent.id] } });
        t.strictSame(ids(anyOf.data), sortedIds([fx.catA.id, fx.catB.id, fx.parent.id]), 'an array filter means any of');
        t.equal(anyOf.total, 3);

        const everything = await editor.getList('categories', { page: 1, perPage: 100, sort: { field: 'id', order: 'ASC' } });
        t.equal(everything.total, allCategoryIds.size, 'unfiltered total is the number of categories');
        t.strictSame(ids(everything.data), sortedIds([...allCategoryIds]));
      });

      t.test('getOne, getMany, getManyReference', async (t) => {
        const one = await editor.getOne('categories', fx.catA.id);
        t.strictSame(one, fx.catA, 'getOne returns the record as created');
        t.equal(one.name, 'Kinh tế');

        const many = await editor.getMany('categories', [fx.children[3].id, fx.children[0].id]);
        t.equal(many.length, 2);
        t.strictSame(sortedIds(ids(many)), sortedIds([fx.children[3].id, fx.children[0].id]));
        t.strictSame(many.find((c) => c.id === fx.children[0].id)?.name, 'Bóng đá');

        const ref = await editor.getManyReference('categories', 'parentId', fx.parent.id, { page: 1, perPage: 3, sort: { field: 'position', order: 'DESC' } });
        t.strictSame(ref.data.map((c) => c.name), ['Bóng đá', 'Kinh tế', 'Chính trị'], 'children of the parent, position DESC, first page of 3');
        t.equal(ref.total, 5);
      });

      // One scenario in steps that share records; each step is its own test so that one failure
      // does not hide the others.
      const name = `Đời sống – Xã hội 🎉 ${tag}`;
      const description = 'Mô tả: ắ ằ ẳ ẵ ặ ỹ ự — “ngoặc kép” 👍🏽';
      const newName = `Đời sống ${tag} — Gia đình 👨‍👩‍👧`;
      const newDescription = 'Chuyện thường ngày ở huyện Tân Hồng';
      let created: Rec | undefined;
      let nfd: Rec | undefined;

      t.test('create', async (t) => {
        created = await editor.create('categories', { name, description, parentId: fx.parent.id, position: 9 });
        allCategoryIds.add(created.id);
        t.type(created.id, 'number');
        t.equal(created.name, name, 'Vietnamese + emoji name round-trips byte-exact');
        t.equal(Buffer.compare(Buffer.from(created.name), Buffer.from(name)), 0);
        t.equal(created.description, description);
        t.equal(created.slug, `doi-song-xa-hoi-${tag.toLowerCase()}`);
        t.equal(created.parentId, fx.parent.id);
        t.equal(created.position, 9);
        t.type(created.version, 'number');
        t.match(created.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, 'createdAt is ISO 8601 UTC');
        t.strictSame(await editor.getOne('categories', created.id), created, 'read back as created');

        nfd = await editor.create('categories', { name: `Văn hoá ${tag}`.normalize('NFD'), parentId: fx.parent.id });
        allCategoryIds.add(nfd.id);
        t.equal(nfd.name, `Văn hoá ${tag}`.normalize('NFC'), 'NFD input comes back NFC');
        t.equal(nfd.slug, `van-hoa-${tag.toLowerCase()}`);
      });

      t.test('update sends the record back; its version is a precondition', async (t) => {
        if (!created) return t.fail('nothing was created');
        const fetched = await editor.getOne('categories', created.id);
        // react-admin PUTs back the whole record it read (id, createdAt, updatedAt, version, …).
        const edit = provider.updateSendsWholeRecord
          ? { ...fetched, name: newName, description: newDescription }
          : { name: newName, description: newDescription, version: fetched.version };
        const updated = await editor.update('categories', created.id, edit, fetched);
        t.equal(updated.id, created.id);
        t.equal(updated.name, newName, 'updated name round-trips byte-exact');
        t.equal(updated.description, newDescription);
        t.equal(updated.version, fetched.version + 1, 'version increases by one');
        t.equal(updated.createdAt, fetched.createdAt, 'createdAt is not written');
        t.equal(updated.slug, fetched.slug, 'slug kept');
        t.equal(updated.parentId, fx.parent.id, 'absent / unchanged fields keep their values');
        t.equal(updated.position, 9);
        t.ok(Date.parse(updated.updatedAt) >= Date.parse(fetched.updatedAt), 'updatedAt moves forward');
        t.strictSame(await editor.getOne('categories', created.id), updated, 'the answer is what is stored');

        // The same stale record again: its version no longer matches → 412, nothing changes.
        const staleEdit = provider.updateSendsWholeRecord ? { ...fetched, name: 'Ghi đè mất dữ liệu' } : { name: 'Ghi đè mất dữ liệu', version: fetched.version };
        const stale = await failure(editor.update('categories', created.id, staleEdit, fetched));
        t.equal(stale.status, 412, 'a stale version is refused');
        t.equal(stale.body?.code, 'precondition_failed');
        t.type(stale.body?.message, 'string', 'the problem carries message for the admin UI');
        t.strictSame(await editor.getOne('categories', created.id), updated, 'the refused write changed nothing');
      });

      t.test('updateMany sends only the changed field', async (t) => {
        if (!created || !nfd) return t.fail('nothing was created');
        const bulkIds = [created.id, nfd.id];
        const reported = await editor.updateMany('categories', bulkIds, { position: 42 });
        t.strictSame(sortedIds(reported), sortedIds(bulkIds), 'updateMany reports the updated ids');
        const afterBulk = await editor.getMany('categories', bulkIds);
        t.strictSame(sortedIds(ids(afterBulk)), sortedIds(bulkIds));
        for (const c of afterBulk) t.equal(c.position, 42, `position of ${c.id} updated`);
        t.equal(afterBulk.find((c) => c.id === created!.id)?.name, newName, 'bulk update merges: name kept');
        t.equal(afterBulk.find((c) => c.id === nfd!.id)?.name, `Văn hoá ${tag}`, 'bulk update merges: name kept');
        t.equal(afterBulk.find((c) => c.id === created!.id)?.description, newDescription, 'bulk update merges: description kept');
      });

      t.test('delete answers with the deleted record', async (t) => {
        if (!created) return t.fail('nothing was created');
        const before = await editor.getOne('categories', created.id);
        const deleted = await editor.delete('categories', created.id, before);
        allCategoryIds.delete(created.id);
        t.strictSame(deleted, before, 'the deleted record');
        const gone = await failure(editor.getOne('categories', created.id));
        t.equal(gone.status, 404);
        t.equal(gone.body?.code, 'not_found', `a problem+json 404 (got ${JSON.stringify(gone.body)})`);
      });

      t.test('deleteMany', async (t) => {
        if (!nfd) return t.fail('nothing was created');
        const extra = await editor.create('categories', { name: `Tạm thời ${tag}`, parentId: fx.parent.id });
        allCategoryIds.add(extra.id);
        const delIds = [nfd.id, extra.id];
        const delReported = await editor.deleteMany('categories', delIds);
        for (const id of delIds) allCategoryIds.delete(id);
        t.strictSame(sortedIds(delReported), sortedIds(delIds), 'deleteMany reports the deleted ids');
        t.strictSame(await editor.getMany('categories', delIds), [], 'deleted records are gone');
      });

      t.test('totals after the writes', async (t) => {
        const inP = await editor.getList('categories', { page: 1, perPage: 10, sort: { field: 'id', order: 'ASC' }, filter: inParent });
        t.equal(inP.total, 5, 'back to the five seeded children');
        const everything = await editor.getList('categories', { page: 1, perPage: 100, sort: { field: 'id', order: 'ASC' } });
        t.equal(everything.total, allCategoryIds.size);
        t.strictSame(ids(everything.data), sortedIds([...allCategoryIds]));
      });

      t.test('a category in use cannot be deleted (409), nothing changes', async (t) => {
        const res = await failure(editor.delete('categories', fx.catA.id, fx.catA));
        t.equal(res.status, 409);
        t.equal(res.body?.code, 'conflict');
        t.strictSame(await editor.getOne('categories', fx.catA.id), fx.catA);
      });
    });

    t.test('articles', async (t) => {
      const inA = { categoryId: fx.catA.id };
      const byTitle = ASC(fx.articlesA, (a) => a.title);

      t.test('getList: pagination, sort, filters, total', async (t) => {
        const p2asc = await editor.getList('articles', { page: 2, perPage: 2, sort: { field: 'title', order: 'ASC' }, filter: inA });
        t.strictSame(p2asc.data.map((a) => a.title), ['Giá lúa tăng mạnh', TARGET_TITLE], 'page 2 of 2, title ASC');
        t.strictSame(ids(p2asc.data), ids(byTitle.slice(2, 4)));
        t.equal(p2asc.total, 5);

        const p2desc = await editor.getList('articles', { page: 2, perPage: 2, sort: { field: 'title', order: 'DESC' }, filter: inA });
        t.strictSame(p2desc.data.map((a) => a.title), ['Giá lúa tăng mạnh', 'Chợ nổi Cái Răng đón khách 🚣'], 'page 2 of 2, title DESC');
        t.equal(p2desc.total, 5);

        const allAsc = await editor.getList('articles', { page: 1, perPage: 25, sort: { field: 'title', order: 'ASC' }, filter: inA });
        t.strictSame(allAsc.data.map((a) => a.title), byTitle.map((a) => a.title));
        t.strictSame(allAsc.data.map((a) => a.title), ['Bản tin nông thôn mới', 'Chợ nổi Cái Răng đón khách 🚣', 'Giá lúa tăng mạnh', TARGET_TITLE, 'Xuân về trên quê hương']);

        for (const q of ['tan hong', 'Tân Hồng', 'TÂN HỒNG', 'dang bo']) {
          const found = await editor.getList('articles', { page: 1, perPage: 10, sort: { field: 'id', order: 'ASC' }, filter: { ...inA, q } });
          t.strictSame(ids(found.data), [fx.target.id], `q=${q} finds the Tân Hồng article`);
          t.equal(found.total, 1);
          t.equal(found.data[0]?.title, TARGET_TITLE, 'title round-trips byte-exact');
        }

        const like = await editor.getList('articles', { page: 1, perPage: 10, sort: { field: 'id', order: 'ASC' }, filter: { ...inA, title_like: 'HUYEN TAN' } });
        t.strictSame(ids(like.data), [fx.target.id], 'title_like is case- and accent-insensitive');

        const anyOf = await editor.getList('articles', { page: 1, perPage: 10, sort: { field: 'id', order: 'ASC' }, filter: { categoryId: [fx.catA.id, fx.catB.id] } });
        t.equal(anyOf.total, 7, 'categoryId any of two categories');
        t.strictSame(ids(anyOf.data), sortedIds([...ids(fx.articlesA), ...ids(fx.articlesB)]));

        const none = await editor.getList('articles', { page: 1, perPage: 10, sort: { field: 'id', order: 'ASC' }, filter: { ...inA, q: 'không có bài nào như thế' } });
        t.strictSame(none.data, []);
        t.equal(none.total, 0, 'an empty result still has a total of 0');

        const everything = await editor.getList('articles', { page: 1, perPage: 100, sort: { field: 'id', order: 'ASC' } });
        t.equal(everything.total, allArticleIds.size, 'unfiltered total is the number of articles');
        t.strictSame(ids(everything.data), sortedIds([...allArticleIds]));
      });

      t.test('getOne, getMany, getManyReference', async (t) => {
        const one = await editor.getOne('articles', fx.target.id);
        t.strictSame(one, fx.target, 'getOne returns the record as created');
        t.equal(one.title, TARGET_TITLE);
        t.equal(one.slug, `${TARGET_SLUG}${sfx(index)}`);
        t.strictSame(one.category, { id: fx.catA.id, name: 'Kinh tế', slug: fx.catA.slug }, 'embedded category');

        const many = await editor.getMany('articles', [fx.articlesA[3].id, fx.articlesB[1].id]);
        t.strictSame(sortedIds(ids(many)), sortedIds([fx.articlesA[3].id, fx.articlesB[1].id]));
        t.equal(many.find((a) => a.id === fx.articlesB[1].id)?.title, 'Mùa nước nổi ở Đồng Tháp');

        const ref = await editor.getManyReference('articles', 'categoryId', fx.catB.id, { page: 1, perPage: 10, sort: { field: 'title', order: 'ASC' } });
        t.strictSame(ref.data.map((a) => a.title), ['Mùa nước nổi ở Đồng Tháp', 'Nắng nóng kéo dài ở miền Tây'], 'articles of category B, title ASC');
        t.equal(ref.total, 2);
        for (const a of ref.data) t.equal(a.categoryId, fx.catB.id);
      });

      const title = `Người dân Tân Hồng thu hoạch lúa 🌾 ${tag}`;
      const summary = 'Vụ Đông Xuân được mùa, được giá — nông dân phấn khởi.';
      const body = '<p>Ấp Gò Bắc, xã Tân Thành ✅ <strong>“Đẹp”</strong></p>';
      const credits = [
        { role: 'editor', name: 'Kim Lệ' },
        { role: 'photographer', name: 'Chí Dũng' },
      ];
      const tags = ['Nông nghiệp', 'Đồng Tháp'];
      const newTitle = `Tân Hồng: lúa trúng mùa, được giá 📈 ${tag}`;
      const newSummary = 'Giá lúa tươi tại ruộng tăng 300 đồng/kg.';
      const newTags = ['Nông nghiệp', 'Giá cả'];
      let created: Rec | undefined;
      let second: Rec | undefined;

      t.test('create', async (t) => {
        created = await editor.create('articles', { title, summary, body, categoryId: fx.catB.id, tags, credits, status: 'draft' });
        allArticleIds.add(created.id);
        t.type(created.id, 'number');
        t.equal(created.title, title, 'title round-trips byte-exact');
        t.equal(created.summary, summary);
        t.equal(created.body, body, 'allowed HTML and Vietnamese text kept byte-exact');
        t.strictSame(created.tags, tags);
        t.strictSame(created.credits, credits);
        t.equal(created.slug, `nguoi-dan-tan-hong-thu-hoach-lua-${tag.toLowerCase()}`);
        t.equal(created.categoryId, fx.catB.id);
        t.strictSame(created.category, { id: fx.catB.id, name: 'Thể thao', slug: fx.catB.slug });
        t.equal(created.status, 'draft');
        t.equal(created.authorId, ta.users.editor.id);
        t.equal(created.live, null);
        t.type(created.version, 'number');
        t.strictSame(await editor.getOne('articles', created.id), created, 'read back as created');

        second = await editor.create('articles', { title: `Chuyến xe 0 đồng ${tag}`, categoryId: fx.catB.id });
        allArticleIds.add(second.id);
        t.equal(second.slug, `chuyen-xe-0-dong-${tag.toLowerCase()}`);
      });

      t.test('update sends the record back; its version is a precondition', async (t) => {
        if (!created) return t.fail('nothing was created');
        const fetched = await editor.getOne('articles', created.id);
        // The whole record goes back (id, createdAt, category, live, status, authorId, version, …).
        const edit = provider.updateSendsWholeRecord
          ? { ...fetched, title: newTitle, summary: newSummary, tags: newTags }
          : { title: newTitle, summary: newSummary, tags: newTags, version: fetched.version };
        const updated = await editor.update('articles', created.id, edit, fetched);
        t.equal(updated.id, created.id);
        t.equal(updated.title, newTitle, 'updated title round-trips byte-exact');
        t.equal(updated.summary, newSummary);
        t.strictSame(updated.tags, newTags);
        t.equal(updated.body, body, 'body kept');
        t.strictSame(updated.credits, credits, 'credits kept');
        t.equal(updated.version, fetched.version + 1, 'version increases by one');
        t.equal(updated.createdAt, fetched.createdAt, 'createdAt is not written');
        t.equal(updated.authorId, ta.users.editor.id, 'authorId is not written');
        t.equal(updated.slug, fetched.slug, 'slug kept');
        t.strictSame(updated.category, fetched.category);
        t.equal(updated.status, 'draft');
        t.strictSame(await editor.getOne('articles', created.id), updated, 'the answer is what is stored');

        const staleEdit = provider.updateSendsWholeRecord ? { ...fetched, title: 'Bản ghi cũ' } : { title: 'Bản ghi cũ', version: fetched.version };
        const stale = await failure(editor.update('articles', created.id, staleEdit, fetched));
        t.equal(stale.status, 412, 'a stale version is refused');
        t.equal(stale.body?.code, 'precondition_failed');
        t.strictSame(await editor.getOne('articles', created.id), updated, 'the refused write changed nothing');
      });

      t.test('updateMany sends only the changed field', async (t) => {
        if (!created || !second) return t.fail('nothing was created');
        const bulkIds = [created.id, second.id];
        const reported = await editor.updateMany('articles', bulkIds, { tags: ['Tin nóng 🔥'] });
        t.strictSame(sortedIds(reported), sortedIds(bulkIds), 'updateMany reports the updated ids');
        const afterBulk = await editor.getMany('articles', bulkIds);
        t.strictSame(sortedIds(ids(afterBulk)), sortedIds(bulkIds));
        for (const a of afterBulk) t.strictSame(a.tags, ['Tin nóng 🔥'], `tags of ${a.id} updated`);
        t.equal(afterBulk.find((a) => a.id === created!.id)?.title, newTitle, 'bulk update merges: title kept');
        t.equal(afterBulk.find((a) => a.id === created!.id)?.summary, newSummary, 'bulk update merges: summary kept');
        t.equal(afterBulk.find((a) => a.id === second!.id)?.title, `Chuyến xe 0 đồng ${tag}`);
      });

      t.test('delete (admins only) answers with the deleted record', async (t) => {
        if (!created) return t.fail('nothing was created');
        const fetched = await editor.getOne('articles', created.id);
        const byEditor = await failure(editor.delete('articles', created.id, fetched));
        t.equal(byEditor.status, 403, 'an editor may not delete an article');
        t.equal(byEditor.body?.code, 'forbidden');

        const before = await admin.getOne('articles', created.id);
        t.strictSame(before, fetched, 'the refused delete changed nothing');
        const deleted = await admin.delete('articles', created.id, before);
        allArticleIds.delete(created.id);
        t.strictSame(deleted, before, 'the deleted record');
        const gone = await failure(editor.getOne('articles', created.id));
        t.equal(gone.status, 404);
        t.equal(gone.body?.code, 'not_found', `a problem+json 404 (got ${JSON.stringify(gone.body)})`);
      });

      t.test('deleteMany', async (t) => {
        if (!second) return t.fail('nothing was created');
        const third = await editor.create('articles', { title: `Bài nháp ${tag}`, body: '<p>Nháp</p>' });
        allArticleIds.add(third.id);
        const delIds = [second.id, third.id];
        const delReported = await admin.deleteMany('articles', delIds);
        for (const id of delIds) allArticleIds.delete(id);
        t.strictSame(sortedIds(delReported), sortedIds(delIds), 'deleteMany reports the deleted ids');
        t.strictSame(await editor.getMany('articles', delIds), [], 'deleted records are gone');
      });

      t.test('totals after the writes', async (t) => {
        const inB = await editor.getList('articles', { page: 1, perPage: 10, sort: { field: 'id', order: 'ASC' }, filter: { categoryId: fx.catB.id } });
        t.equal(inB.total, 2, 'back to the two seeded articles of category B');
        const everything = await editor.getList('articles', { page: 1, perPage: 100, sort: { field: 'id', order: 'ASC' } });
        t.equal(everything.total, allArticleIds.size);
        t.strictSame(ids(everything.data), sortedIds([...allArticleIds]));
      });

      // API.md §3: "react-admin's bulk update sends a PUT holding only the changed field,
      // e.g. {"status":"in_review"}"; §5: a status change by PUT/PATCH is the matching transition.
      t.test('bulk status change goes through the workflow (draft → in_review = submit)', async (t) => {
        const [x, y] = [fx.articlesB[0], fx.articlesB[1]];
        const res = await failure(editor.updateMany('articles', [x.id, y.id], { status: 'in_review' }));
        t.equal(res.status, 200, `updateMany {status:"in_review"} succeeds (got ${res.status} ${JSON.stringify(res.body)})`);
        const after = await editor.getMany('articles', [x.id, y.id]);
        for (const a of after) {
          t.equal(a.status, 'in_review', `article ${a.id} submitted`);
          t.equal(a.title, a.id === x.id ? x.title : y.title, 'nothing else changed');
        }
      });
    });
  });
}
