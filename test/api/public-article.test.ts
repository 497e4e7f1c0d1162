// The public article is defined once (src/modules/articles/public-article.ts): the public API,
// a preview link and a webhook payload show the same article with the same fields and the same
// values, cover included, and each is what the OpenAPI schema says.
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import t from 'tap';
import { PreviewArticle, PublicArticle } from '../../src/modules/articles/articles.schemas.js';
import { createTestApp } from '../helpers/app.js';
import { articleIn, transition } from '../helpers/articles.js';
import { jpegWithGps, upload } from '../helpers/media.js';
import { startReceiver } from '../helpers/webhook-receiver.js';
import { createHook, retire } from '../helpers/webhooks.js';

const ta = await createTestApp({
  PUBLIC_URL: 'https://api.baodongthap.vn', SCHEDULER_INTERVAL_MS: '0', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_POLL_MS: '50',
});
t.teardown(() => ta.close());

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
// Exactly the schema's fields: no more, no fewer.
const exactly = <T extends { properties: object }>(schema: T) => ajv.compile({ ...schema, additionalProperties: false, required: Object.keys(schema.properties) });
const isPublicArticle = exactly(PublicArticle);
const isPreviewArticle = exactly(PreviewArticle);
const fieldOrder = Object.keys(PublicArticle.properties);

const cover = (await upload(ta, 'editor', { filename: 'anh-bia.jpg', data: await jpegWithGps(1200, 800) }, { alt: 'Ảnh "bìa"', caption: 'Chú thích', credit: 'Ảnh: Chí Dũng' })).json();
const category = (await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Tin hoạt động' } })).json();
const content = {
  title: 'Kỳ họp lần thứ 9 BCH Đảng bộ huyện Tân Hồng', summary: 'Sáng 25/11, Huyện ủy Tân Hồng tổ chức kỳ họp.',
  body: '<p>Đồng chí Nguyễn Văn A phát biểu "chỉ đạo" 🇻🇳</p>', categoryId: category.id, coverMediaId: cover.id,
  tags: ['Tân Hồng', 'Đảng bộ'], credits: [{ role: 'editor', name: 'Kim Lệ' }, { role: 'photographer', name: 'Chí Dũng' }],
};

t.test('a preview, the webhook payload and the public article are the same JSON', async (t) => {
  const receiver = await startReceiver();
  const hook = await createHook(ta, receiver.url, ['article.published']);
  t.teardown(async () => {
    await retire(ta, hook.id);
    await receiver.close();
  });
  const a = await articleIn(ta, 'approved', content);
  const link = (await ta.req('editor', { method: 'POST', url: `/api/v1/articles/${a.id}/preview-links`, payload: {} })).json();

  const draftView = await ta.app.inject({ method: 'GET', url: `/api/v1/preview/${link.token}` });
  t.equal(draftView.statusCode, 200);
  t.equal(draftView.headers['content-type'], 'application/json; charset=utf-8');
  const draft = draftView.json();
  t.ok(isPreviewArticle(draft), JSON.stringify(isPreviewArticle.errors));
  t.equal(draft.publishedAt, null, 'not published yet');
  t.match(draft.cover, { id: cover.id, url: cover.url, alt: 'Ảnh "bìa"', renditions: cover.renditions }, 'the preview shows the cover');

  t.equal((await transition(ta, 'editor', a.id, 'publish')).statusCode, 200);
  const [delivery] = await receiver.waitFor(1);
  const payload = delivery.body.data;
  const live = (await ta.app.inject({ method: 'GET', url: `/api/v1/articles/${a.id}` })).json();
  const preview = (await ta.app.inject({ method: 'GET', url: `/api/v1/preview/${link.token}` })).json();

  for (const [name, record] of [['public article', live], ['webhook payload', payload], ['preview', preview]] as const) {
    // The outbox keeps payloads as jsonb, which orders keys its own way.
    const keys = name === 'webhook payload' ? Object.keys(record).sort() : Object.keys(record);
    t.same(keys, name === 'webhook payload' ? [...fieldOrder].sort() : fieldOrder, `${name}: the schema's fields`);
    t.ok(isPublicArticle(record), `${name}: ${JSON.stringify(isPublicArticle.errors)}`);
  }
  t.same(payload, live, 'the webhook payload is the public article');
  t.same(preview, live, 'the preview of the published working copy is the public article');
  t.match(live, { ...content, category: { id: category.id, name: 'Tin hoạt động', slug: category.slug }, cover: { id: cover.id, url: cover.url } });
  t.same(live.cover, draft.cover, 'the same cover before and after publication');
});

t.test('a preview of an article without category or cover', async (t) => {
  const a = await articleIn(ta, 'draft', { title: 'Tin ngắn' });
  const link = (await ta.req('author', { method: 'POST', url: `/api/v1/articles/${a.id}/preview-links`, payload: {} })).json();
  const view = (await ta.app.inject({ method: 'GET', url: `/api/v1/preview/${link.token}` })).json();
  t.ok(isPreviewArticle(view), JSON.stringify(isPreviewArticle.errors));
  t.match(view, { id: a.id, title: 'Tin ngắn', summary: '', category: null, categoryId: null, cover: null, coverMediaId: null, tags: [], credits: [], publishedAt: null });
});
