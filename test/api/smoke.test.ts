import t from 'tap';
import { createTestApp } from '../helpers/app.js';

const ta = await createTestApp();
t.teardown(() => ta.close());

t.test('health', async (t) => {
  const res = await ta.req(null, { method: 'GET', url: '/health' });
  t.equal(res.statusCode, 200);
  const ready = await ta.req(null, { method: 'GET', url: '/ready' });
  t.equal(ready.statusCode, 200);
});

t.test('create category and article', async (t) => {
  const c = await ta.req('editor', { method: 'POST', url: '/api/v1/categories', payload: { name: 'Tin hoạt động' } });
  t.equal(c.statusCode, 201, c.body);
  t.equal(c.json().slug, 'tin-hoat-dong');
  const a = await ta.req('author', { method: 'POST', url: '/api/v1/articles', payload: { title: 'Kỳ họp lần thứ 9 BCH Đảng bộ huyện Tân Hồng', categoryId: c.json().id, body: '<p>x<script>alert(1)</script></p>' } });
  t.equal(a.statusCode, 201, a.body);
  t.equal(a.json().slug, 'ky-hop-lan-thu-9-bch-dang-bo-huyen-tan-hong');
  t.equal(a.json().body, '<p>x</p>');
  const l = await ta.req('author', { method: 'GET', url: '/api/v1/articles?q=tan hong' });
  t.equal(l.statusCode, 200, l.body);
  t.equal(l.json().length, 1);
  t.equal(l.headers['x-total-count'], '1');
  const d = await ta.req('author', { method: 'GET', url: '/api/v1/articles?q=dang' });
  t.equal(d.json().length, 1, d.body);
});
