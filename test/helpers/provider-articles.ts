// The articles scenarios every admin-UI data provider runs (provider-suite.ts): lists, reads,
// writes, precondition, and status changes through the workflow (API.md §1–3, §5).
import type { Test } from 'tap';
import { failure, type Rec } from './data-providers.js';
import { ASC, ids, sortedIds, type Suite, TARGET_SLUG, TARGET_TITLE } from './provider-suite.js';

export function articleScenarios(t: Test, { ta, provider, fx, editor, admin, all: known }: Suite) {
  const { tag } = provider;
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
    t.equal(everything.total, known.articles.size, 'unfiltered total is the number of articles');
    t.strictSame(ids(everything.data), sortedIds([...known.articles]));
  });

  t.test('getOne, getMany, getManyReference', async (t) => {
    const one = await editor.getOne('articles', fx.target.id);
    t.strictSame(one, fx.target, 'getOne returns the record as created');
    t.equal(one.title, TARGET_TITLE);
    t.equal(one.slug, TARGET_SLUG);
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
    known.articles.add(created.id);
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
    known.articles.add(second.id);
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
    known.articles.delete(created.id);
    t.strictSame(deleted, before, 'the deleted record');
    const gone = await failure(editor.getOne('articles', created.id));
    t.equal(gone.status, 404);
    t.equal(gone.body?.code, 'not_found', `a problem+json 404 (got ${JSON.stringify(gone.body)})`);
  });

  t.test('deleteMany', async (t) => {
    if (!second) return t.fail('nothing was created');
    const third = await editor.create('articles', { title: `Bài nháp ${tag}`, body: '<p>Nháp</p>' });
    known.articles.add(third.id);
    const delIds = [second.id, third.id];
    const delReported = await admin.deleteMany('articles', delIds);
    for (const id of delIds) known.articles.delete(id);
    t.strictSame(sortedIds(delReported), sortedIds(delIds), 'deleteMany reports the deleted ids');
    t.strictSame(await editor.getMany('articles', delIds), [], 'deleted records are gone');
  });

  t.test('totals after the writes', async (t) => {
    const inB = await editor.getList('articles', { page: 1, perPage: 10, sort: { field: 'id', order: 'ASC' }, filter: { categoryId: fx.catB.id } });
    t.equal(inB.total, 2, 'back to the two seeded articles of category B');
    const everything = await editor.getList('articles', { page: 1, perPage: 100, sort: { field: 'id', order: 'ASC' } });
    t.equal(everything.total, known.articles.size);
    t.strictSame(ids(everything.data), sortedIds([...known.articles]));
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
}
