// The categories scenarios every admin-UI data provider runs (provider-suite.ts): lists
// (pagination, sort, filters, totals), reads, and the writes a react-admin or Refine form makes.
// Every assertion states the contract of API.md §1–3 and §6: when one fails, the API is wrong.
import type { Test } from 'tap';
import { failure, type Rec } from './data-providers.js';
import { ASC, ids, sortedIds, type Suite } from './provider-suite.js';

export function categoryScenarios(t: Test, { provider, fx, editor, all: known }: Suite) {
  const { tag } = provider;
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
    t.equal(everything.total, known.categories.size, 'unfiltered total is the number of categories');
    t.strictSame(ids(everything.data), sortedIds([...known.categories]));
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
    known.categories.add(created.id);
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
    known.categories.add(nfd.id);
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
    known.categories.delete(created.id);
    t.strictSame(deleted, before, 'the deleted record');
    const gone = await failure(editor.getOne('categories', created.id));
    t.equal(gone.status, 404);
    t.equal(gone.body?.code, 'not_found', `a problem+json 404 (got ${JSON.stringify(gone.body)})`);
  });

  t.test('deleteMany', async (t) => {
    if (!nfd) return t.fail('nothing was created');
    const extra = await editor.create('categories', { name: `Tạm thời ${tag}`, parentId: fx.parent.id });
    known.categories.add(extra.id);
    const delIds = [nfd.id, extra.id];
    const delReported = await editor.deleteMany('categories', delIds);
    for (const id of delIds) known.categories.delete(id);
    t.strictSame(sortedIds(delReported), sortedIds(delIds), 'deleteMany reports the deleted ids');
    t.strictSame(await editor.getMany('categories', delIds), [], 'deleted records are gone');
  });

  t.test('totals after the writes', async (t) => {
    const inP = await editor.getList('categories', { page: 1, perPage: 10, sort: { field: 'id', order: 'ASC' }, filter: inParent });
    t.equal(inP.total, 5, 'back to the five seeded children');
    const everything = await editor.getList('categories', { page: 1, perPage: 100, sort: { field: 'id', order: 'ASC' } });
    t.equal(everything.total, known.categories.size);
    t.strictSame(ids(everything.data), sortedIds([...known.categories]));
  });

  t.test('a category in use cannot be deleted (409), nothing changes', async (t) => {
    const res = await failure(editor.delete('categories', fx.catA.id, fx.catA));
    t.equal(res.status, 409);
    t.equal(res.body?.code, 'conflict');
    t.strictSame(await editor.getOne('categories', fx.catA.id), fx.catA);
  });
}
