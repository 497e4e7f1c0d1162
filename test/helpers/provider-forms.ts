// What an admin UI's edit form meets (provider-suite.ts): a cleared input goes out as null and
// must save as empty (API.md §1), and a refused save must put each message next to its field,
// through the UI framework's own form code (react-admin: ra-core's setSubmissionErrors into
// react-hook-form; Refine: HttpError.errors).
import type { Test } from 'tap';
import { failure, type Rec } from './data-providers.js';
import { jpegWithGps, upload } from './media.js';
import type { Suite } from './provider-suite.js';

export function formScenarios(t: Test, { ta, provider, fx, editor, admin }: Suite) {
  const { tag } = provider;
  /** What the form sends: react-admin the whole record it read, Refine the form's fields. */
  const edit = (fetched: Rec, changes: Rec) => (provider.updateSendsWholeRecord ? { ...fetched, ...changes } : { ...changes, version: fetched.version });

  t.test('a cleared input (null) saves as empty and reads back so', async (t) => {
    const cover = (await upload(ta, 'editor', { filename: 'bia.jpg', data: await jpegWithGps(400, 300) }, { alt: 'Ảnh bìa', caption: 'Chú thích', credit: 'Chí Dũng' })).json();
    const article = await editor.create('articles', {
      title: `Bài đủ trường ${tag}`, summary: 'Tóm tắt', body: '<p>Nội dung</p>', categoryId: fx.catA.id, coverMediaId: cover.id,
      tags: ['Tân Hồng'], credits: [{ role: 'editor', name: 'Kim Lệ' }],
    });
    const fetched = await editor.getOne('articles', article.id);
    t.not(fetched.cover, null);
    const cleared = { summary: null, body: null, categoryId: null, coverMediaId: null, tags: null, credits: null };
    const saved = await editor.update('articles', article.id, edit(fetched, cleared), fetched);
    const expected = { summary: '', body: '', categoryId: null, category: null, coverMediaId: null, cover: null, tags: [], credits: [] };
    t.match(saved, expected, 'the answer has the empty values');
    t.match(await editor.getOne('articles', article.id), { ...expected, title: article.title, version: fetched.version + 1 }, 'and they are what is stored');

    const category = await editor.create('categories', { name: `Mục xóa trắng ${tag}`, description: 'Mô tả', parentId: fx.parent.id, position: 3 });
    const savedCategory = await editor.update('categories', category.id, edit(category, { description: null, parentId: null, position: null }), category);
    t.match(savedCategory, { description: '', parentId: null, position: 0 });
    t.match(await editor.getOne('categories', category.id), { description: '', parentId: null, position: 0, name: category.name });

    const media = await editor.getOne('media', cover.id);
    await editor.update('media', cover.id, edit(media, { alt: null, caption: null, credit: null, focalPoint: null }), media);
    t.match(await editor.getOne('media', cover.id), { alt: '', caption: '', credit: '', focalPoint: { x: 0.5, y: 0.5 } });

    const user = await admin.create('users', { email: `xoa-trang-${tag.toLowerCase()}@toasoan.test`, password: 'mat-khau-dai-123', role: 'author', name: 'Có tên' });
    await admin.update('users', user.id, edit(user, { name: null }), user);
    t.equal((await admin.getOne('users', user.id)).name, '');

    const hook = await admin.create('webhooks', { url: 'https://hooks.example.invalid/toasoan', events: ['media.created'], description: 'Mô tả', active: false });
    const { secret: _secret, ...hookRecord } = hook;
    await admin.update('webhooks', hook.id, edit(hookRecord, { description: null }), hookRecord);
    t.equal((await admin.getOne('webhooks', hook.id)).description, '');
  });

  t.test('a server-side validation error lands on its field', async (t) => {
    const fetched = await editor.getOne('articles', fx.target.id);
    const long = await failure(editor.update('articles', fx.target.id, edit(fetched, { title: 'T'.repeat(301) }), fetched));
    t.equal(long.status, 400);
    t.equal(long.body?.code, 'validation_failed');
    t.same(provider.formErrors(long.error), { title: 'must have at most 300 characters' }, 'the 301-character title');
    t.match(await editor.getOne('articles', fx.target.id), { title: fetched.title, version: fetched.version }, 'nothing changed');

    const cleared = await failure(editor.update('articles', fx.target.id, edit(fetched, { title: null }), fetched));
    t.equal(cleared.status, 400);
    t.same(provider.formErrors(cleared.error), { title: 'is required' }, 'a cleared required field');

    const credit = await failure(editor.create('articles', { title: `Bài có người viết ${tag}`, credits: [{ role: 'editor', name: 'Kim Lệ' }, { role: 'photographer', name: '' }] }));
    t.equal(credit.status, 400);
    t.same(provider.formErrors(credit.error), { 'credits.1.name': 'must not be empty' }, 'a field inside a list item');

    const slug = await failure(editor.create('articles', { title: `Trùng đường dẫn ${tag}`, slug: fx.target.slug }));
    t.equal(slug.status, 409);
    t.same(provider.formErrors(slug.error), { slug: 'is taken' }, 'a business rule keyed on one field');

    const cycle = await failure(editor.update('categories', fx.parent.id, edit(fx.parent, { parentId: fx.catA.id }), fx.parent));
    t.equal(cycle.status, 409);
    t.same(provider.formErrors(cycle.error), { parentId: 'would make a cycle' });
  });
}
