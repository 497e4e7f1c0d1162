import t from 'tap';
import { STATUSES, ACTIONS, type Status } from '../../src/workflow/states.js';
import { createTestApp } from '../helpers/app.js';
import { articleIn, transition } from '../helpers/articles.js';

const ta = await createTestApp({ SCHEDULER_INTERVAL_MS: '0' });
t.teardown(() => ta.close());

const FROM: Record<string, Status[]> = {
  submit: ['draft'], approve: ['in_review'], reject: ['in_review'], publish: ['approved'],
  unpublish: ['published', 'scheduled'], archive: ['draft', 'in_review', 'approved', 'scheduled', 'published'], restore: ['archived'],
};
const TO: Record<string, Status> = { submit: 'in_review', approve: 'approved', reject: 'draft', publish: 'published', unpublish: 'draft', archive: 'archived', restore: 'draft' };

t.test('each action from each state: 200 where allowed, 409 with the allowed list elsewhere', async (t) => {
  for (const action of ACTIONS) {
    for (const status of STATUSES) {
      const a = await articleIn(ta, status);
      const res = await transition(ta, 'admin', a.id, action, { comment: 'Ghi chú' });
      if (FROM[action].includes(status)) {
        t.equal(res.statusCode, 200, `${action} from ${status}: ${res.body}`);
        t.equal(res.json().status, TO[action], `${action} from ${status} → ${TO[action]}`);
      } else {
        t.equal(res.statusCode, 409, `${action} from ${status} is refused`);
        t.equal(res.json().code, 'invalid_transition');
        t.equal(res.json().status, 409, 'the problem status stays the HTTP status');
        t.equal(res.json().currentStatus, status);
        t.type(res.json().allowed, Array);
        t.notOk(res.json().allowed.includes(action));
        const after = await ta.req('admin', { method: 'GET', url: `/api/v1/articles/${a.id}` });
        t.equal(after.json().status, status, 'nothing changed');
      }
    }
  }
});

t.test('roles: authors submit their own only; review actions are editors and admins', async (t) => {
  const mine = await articleIn(ta, 'draft');
  const theirs = await articleIn(ta, 'draft', {}, 'author2');
  t.equal((await transition(ta, 'author', theirs.id, 'submit')).statusCode, 403);
  t.equal((await transition(ta, 'author', mine.id, 'submit')).statusCode, 200);
  for (const action of ['approve', 'reject', 'publish', 'unpublish', 'archive', 'restore']) {
    const res = await transition(ta, 'author', mine.id, action, { comment: 'x' });
    t.equal(res.statusCode, 403, `author ${action} → 403 before any state check`);
    t.equal(res.json().code, 'forbidden');
  }
  t.equal((await ta.req(null, { method: 'POST', url: `/api/v1/articles/${mine.id}/transitions`, payload: { action: 'submit' } })).statusCode, 401);
  t.equal((await transition(ta, 'editor', mine.id, 'approve')).statusCode, 200);
  t.equal((await transition(ta, 'editor', mine.id, 'nonsense')).statusCode, 400);
  t.equal((await transition(ta, 'editor', 999999, 'submit')).statusCode, 404);
});

t.test('reject needs a comment', async (t) => {
  const a = await articleIn(ta, 'in_review');
  const res = await transition(ta, 'editor', a.id, 'reject');
  t.equal(res.statusCode, 400);
  t.equal((await transition(ta, 'editor', a.id, 'reject', { comment: '' })).statusCode, 400);
  const ok = await transition(ta, 'editor', a.id, 'reject', { comment: 'Thiếu nguồn tin' });
  t.equal(ok.json().status, 'draft');
});

t.test('anonymous readers see only live versions, in the public shape', async (t) => {
  const draft = await articleIn(ta, 'in_review', { title: 'Chưa đăng', categoryId: null });
  for (const url of [`/api/v1/articles/${draft.id}`, `/api/v1/articles/${draft.slug}`]) {
    const res = await ta.req(null, { method: 'GET', url });
    t.equal(res.statusCode, 404);
    const missing = await ta.req(null, { method: 'GET', url: '/api/v1/articles/987654' });
    t.same(res.json(), missing.json(), 'a draft looks exactly like a missing id');
  }
  const pub = await articleIn(ta, 'published', { title: 'Đã đăng', tags: ['Tân Hồng'], credits: [{ role: 'editor', name: 'Kim Lệ' }] });
  const res = await ta.req(null, { method: 'GET', url: `/api/v1/articles/${pub.slug}` });
  t.equal(res.statusCode, 200);
  t.same(Object.keys(res.json()).sort(), ['body', 'category', 'categoryId', 'cover', 'coverMediaId', 'credits', 'id', 'publishedAt', 'seo', 'slug', 'summary', 'tags', 'title', 'updatedAt', 'url']);
  t.equal(res.headers['cache-control'], 'public, max-age=60, stale-while-revalidate=300');
  t.ok(res.headers.etag);
  t.equal((await ta.req(null, { method: 'GET', url: `/api/v1/articles/${pub.slug}`, headers: { 'if-none-match': res.headers.etag as string } })).statusCode, 304);
  const list = await ta.req(null, { method: 'GET', url: '/api/v1/articles' });
  const ids = list.json().map((a: { id: number }) => a.id);
  t.ok(ids.includes(pub.id));
  t.notOk(ids.includes(draft.id));
  t.notMatch(list.body, /"status"|"authorId"|"version"|"live"/);
  const staff = await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${pub.id}` });
  t.equal(staff.headers['cache-control'], 'private, no-store');
  t.match(staff.json(), { status: 'published', live: { publishedAt: String, revisionId: Number } });
  // A private field is not a public filter.
  t.equal((await ta.req(null, { method: 'GET', url: '/api/v1/articles?status=draft' })).statusCode, 400);
  t.equal((await ta.req(null, { method: 'GET', url: '/api/v1/articles?authorId=1' })).statusCode, 400);
});

t.test('editing a published article changes only the working copy until it is re-published', async (t) => {
  const a = await articleIn(ta, 'published', { title: 'Bản gốc', body: '<p>Nội dung gốc</p>' });
  const pubAt = (await ta.req(null, { method: 'GET', url: `/api/v1/articles/${a.id}` })).json().publishedAt;
  const authorTry = await ta.req('author', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { title: 'x' } });
  t.equal(authorTry.statusCode, 403, 'the author may not edit after the article left draft');
  const edit = await ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { title: 'Bản sửa', body: '<p>Nội dung mới</p>' } });
  t.equal(edit.statusCode, 200);
  t.equal(edit.json().status, 'draft', 'the working copy goes back to draft');
  t.ok(edit.json().live, 'the live version is still there');
  const pub = await ta.req(null, { method: 'GET', url: `/api/v1/articles/${a.id}` });
  t.equal(pub.json().title, 'Bản gốc');
  t.equal(pub.json().body, '<p>Nội dung gốc</p>');
  t.equal((await ta.req(null, { method: 'GET', url: `/api/v1/articles?q=${encodeURIComponent('noi dung moi')}` })).json().length, 0, 'search does not see the draft text');

  for (const action of ['submit', 'approve', 'publish']) t.equal((await transition(ta, 'editor', a.id, action)).statusCode, 200);
  const after = await ta.req(null, { method: 'GET', url: `/api/v1/articles/${a.id}` });
  t.equal(after.json().title, 'Bản sửa');
  t.equal(after.json().publishedAt, pubAt, 're-publishing keeps the first publication time');
  t.ok(after.json().updatedAt > pubAt);
});

t.test('unpublish and archive remove the live version', async (t) => {
  for (const action of ['unpublish', 'archive']) {
    const a = await articleIn(ta, 'published');
    t.equal((await ta.req(null, { method: 'GET', url: `/api/v1/articles/${a.id}` })).statusCode, 200);
    const res = await transition(ta, 'editor', a.id, action);
    t.equal(res.statusCode, 200);
    t.equal(res.json().live, null);
    t.equal(res.json().publishedAt, null);
    t.equal((await ta.req(null, { method: 'GET', url: `/api/v1/articles/${a.id}` })).statusCode, 404, `gone after ${action}`);
  }
  // Unpublish also works on a draft whose previous version is live.
  const b = await articleIn(ta, 'published');
  await ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${b.id}`, payload: { summary: 'sửa' } });
  const un = await transition(ta, 'editor', b.id, 'unpublish');
  t.equal(un.statusCode, 200);
  t.equal((await ta.req(null, { method: 'GET', url: `/api/v1/articles/${b.id}` })).statusCode, 404);
});

t.test('status as a field goes through the same rules', async (t) => {
  const a = await articleIn(ta, 'draft');
  const submit = await ta.req('author', { method: 'PUT', url: `/api/v1/articles/${a.id}`, payload: { status: 'in_review' } });
  t.equal(submit.statusCode, 200);
  t.equal(submit.json().status, 'in_review');
  t.equal((await ta.req('author', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { status: 'approved' } })).statusCode, 403);
  const reject = await ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { status: 'draft' } });
  t.equal(reject.statusCode, 400, 'reject through status needs a comment too');
  const reject2 = await ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { status: 'draft', comment: 'Viết lại' } });
  t.equal(reject2.json().status, 'draft');
  await transition(ta, 'author', a.id, 'submit');
  await transition(ta, 'editor', a.id, 'approve');
  const both = await ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { title: 'Tít mới', status: 'published' } });
  t.equal(both.statusCode, 200);
  t.match(both.json(), { title: 'Tít mới', status: 'published' });
  t.equal((await ta.req(null, { method: 'GET', url: `/api/v1/articles/${a.id}` })).json().title, 'Tít mới', 'the edit applied before the publish goes live');

  const c = await articleIn(ta, 'approved', { title: 'Giữ nguyên' });
  const refused = await ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${c.id}`, payload: { title: 'Không được lưu', status: 'in_review' } });
  t.equal(refused.statusCode, 409);
  t.same(refused.json().allowed, ['publish', 'archive']);
  const still = (await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${c.id}` })).json();
  t.equal(still.title, 'Giữ nguyên', 'a refused transition leaves the field edits unsaved');
  t.equal(still.status, 'approved');
  const hist = await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${c.id}/history` });
  t.same(hist.json().map((h: { action: string }) => h.action), ['submit', 'approve']);
});

t.test('history lists every transition, oldest first', async (t) => {
  const a = await articleIn(ta, 'draft');
  await transition(ta, 'author', a.id, 'submit');
  await transition(ta, 'editor', a.id, 'reject', { comment: 'Cần thêm ảnh' });
  await transition(ta, 'author', a.id, 'submit');
  await transition(ta, 'admin', a.id, 'approve');
  await transition(ta, 'admin', a.id, 'publish');
  await ta.req('editor', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { summary: 'đính chính' } });
  const res = await ta.req('author', { method: 'GET', url: `/api/v1/articles/${a.id}/history` });
  t.equal(res.statusCode, 200);
  const h = res.json();
  t.same(h.map((e: { action: string; from: string; to: string }) => `${e.action}:${e.from}>${e.to}`), [
    'submit:draft>in_review', 'reject:in_review>draft', 'submit:draft>in_review', 'approve:in_review>approved', 'publish:approved>published', 'edit:published>draft',
  ]);
  t.match(h[1], { actorId: ta.users.editor.id, actor: { id: ta.users.editor.id, name: 'editor' }, comment: 'Cần thêm ảnh', at: String });
  t.equal(h[0].actorId, ta.users.author.id);
  t.equal(res.headers['x-total-count'], '6');
  t.equal((await ta.req(null, { method: 'GET', url: `/api/v1/articles/${a.id}/history` })).statusCode, 401);
  t.equal((await ta.req('editor', { method: 'GET', url: '/api/v1/articles/999999/history' })).statusCode, 404);
});

t.test('revisions: every save, list, get, restore', async (t) => {
  const a = await articleIn(ta, 'draft', { title: 'Phiên bản 1', body: '<p>một</p>' });
  await ta.req('author', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { title: 'Phiên bản 2' } });
  await ta.req('author', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { body: '<p>ba</p>' } });
  await ta.req('author', { method: 'PATCH', url: `/api/v1/articles/${a.id}`, payload: { body: '<p>ba</p>' } });
  const list = await ta.req('author', { method: 'GET', url: `/api/v1/articles/${a.id}/revisions` });
  t.equal(list.statusCode, 200);
  const revs = list.json();
  t.equal(revs.length, 3, 'create + two real changes; a no-op save records nothing');
  t.same(revs.map((r: { content: { title: string } }) => r.content.title), ['Phiên bản 2', 'Phiên bản 2', 'Phiên bản 1'], 'newest first');
  t.same(Object.keys(revs[0].content).sort(), ['body', 'categoryId', 'coverMediaId', 'credits', 'seo', 'slug', 'summary', 'tags', 'title']);
  t.equal(revs[2].authorId, ta.users.author.id);
  const first = revs[2];
  const one = await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${a.id}/revisions/${first.id}` });
  t.equal(one.json().content.body, '<p>một</p>');

  t.equal((await ta.req('author2', { method: 'POST', url: `/api/v1/articles/${a.id}/revisions/${first.id}/restore` })).statusCode, 403, 'restore is an edit');
  const restored = await ta.req('author', { method: 'POST', url: `/api/v1/articles/${a.id}/revisions/${first.id}/restore` });
  t.equal(restored.statusCode, 200, restored.body);
  t.match(restored.json(), { title: 'Phiên bản 1', body: '<p>một</p>' });
  const after = (await ta.req('author', { method: 'GET', url: `/api/v1/articles/${a.id}/revisions` })).json();
  t.equal(after.length, 4, 'the restore is a new revision');
  t.equal(after[0].content.title, 'Phiên bản 1');
  t.equal((await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${a.id}/revisions/999999` })).statusCode, 404);
  t.equal((await ta.req(null, { method: 'GET', url: `/api/v1/articles/${a.id}/revisions` })).statusCode, 401);
  const stale = await ta.req('author', { method: 'POST', url: `/api/v1/articles/${a.id}/revisions/${first.id}/restore`, headers: { 'if-match': '"1"' } });
  t.equal(stale.statusCode, 412);

  const pub = await articleIn(ta, 'published', { title: 'Đăng rồi' });
  const pubRevs = (await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${pub.id}/revisions` })).json();
  const live = (await ta.req('editor', { method: 'GET', url: `/api/v1/articles/${pub.id}` })).json().live;
  t.equal(live.revisionId, pubRevs[0].id, 'live.revisionId names the published revision');
});

t.test('public filters: category with sub-categories, tag, q, publishedAt range; newest first', async (t) => {
  const root = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Thời sự' } })).json();
  const leaf = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Trong tỉnh', parentId: root.id } })).json();
  const a1 = await articleIn(ta, 'published', { title: 'Tin thời sự một', categoryId: leaf.id, tags: ['Đồng Tháp'] });
  const a2 = await articleIn(ta, 'published', { title: 'Tin thời sự hai', categoryId: root.id });
  await articleIn(ta, 'approved', { title: 'Tin thời sự nháp', categoryId: root.id });
  const byCat = await ta.req(null, { method: 'GET', url: '/api/v1/articles?category=thoi-su' });
  t.same(byCat.json().map((a: { id: number }) => a.id), [a2.id, a1.id], 'newest first, sub-categories included, drafts excluded');
  t.same((await ta.req(null, { method: 'GET', url: `/api/v1/articles?tag=${encodeURIComponent('Đồng Tháp')}` })).json().map((a: { id: number }) => a.id), [a1.id]);
  t.same((await ta.req(null, { method: 'GET', url: `/api/v1/articles?q=${encodeURIComponent('thoi su mot')}` })).json().map((a: { id: number }) => a.id), [a1.id]);
  const future = new Date(Date.now() + 86400_000).toISOString();
  t.equal((await ta.req(null, { method: 'GET', url: `/api/v1/articles?publishedAt_gte=${future}` })).json().length, 0);
  t.ok((await ta.req(null, { method: 'GET', url: `/api/v1/articles?publishedAt_lte=${future}&category=thoi-su` })).json().length === 2);
});
