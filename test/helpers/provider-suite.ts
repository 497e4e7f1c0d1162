// One admin-UI data provider against the real app: a database of its own, the app on a loopback
// port, seeded fixtures, then the same scenarios for every provider (categories, articles, forms).
import type { Test } from 'tap';
import { createTestApp, type TestApp } from './app.js';
import { type Ops, PROVIDERS, type ProviderCase, type Rec, serve } from './data-providers.js';
import { articleScenarios } from './provider-articles.js';
import { categoryScenarios } from './provider-categories.js';
import { formScenarios } from './provider-forms.js';

export const TARGET_TITLE = 'Kỳ họp lần thứ 9 BCH Đảng bộ huyện Tân Hồng';
export const TARGET_SLUG = 'ky-hop-lan-thu-9-bch-dang-bo-huyen-tan-hong';
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

export const ASC = <T>(xs: T[], key: (x: T) => string) => [...xs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
export const ids = (rows: Rec[]) => rows.map((r) => r.id);
export const sortedIds = (xs: unknown[]) => [...xs].map(Number).sort((a, b) => a - b);

export type Fixtures = Awaited<ReturnType<typeof seed>>;

export interface Suite {
  ta: TestApp;
  provider: ProviderCase;
  fx: Fixtures;
  editor: Ops;
  admin: Ops;
  /** Every record that exists, to check unfiltered totals against. */
  all: { categories: Set<number>; articles: Set<number> };
}

/** Seeded directly through the API, not through the providers. */
async function seed(ta: TestApp, label: string, all: Suite['all']) {
  const post = async (url: string, payload: object) => {
    const res = await ta.req('editor', { method: 'POST', url, payload });
    if (res.statusCode !== 201) throw new Error(`seed ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as Rec;
  };
  const parent = await post('/api/v1/categories', { name: `Chuyên mục ${label}`, description: 'Nhóm thử nghiệm' });
  all.categories.add(parent.id);
  const children: Rec[] = [];
  for (const c of CHILDREN) {
    const row = await post('/api/v1/categories', { ...c, parentId: parent.id, description: `Tin ${c.name.toLowerCase()}` });
    children.push(row);
    all.categories.add(row.id);
  }
  const catA = children.find((c) => c.name === 'Kinh tế')!;
  const catB = children.find((c) => c.name === 'Thể thao')!;
  const articlesA: Rec[] = [];
  for (const title of TITLES_A) {
    const a = await post('/api/v1/articles', { title, categoryId: catA.id, summary: `Tóm tắt: ${title}`, body: `<p>${title} 😀</p>`, tags: ['Thời sự'] });
    articlesA.push(a);
    all.articles.add(a.id);
  }
  const articlesB: Rec[] = [];
  for (const title of TITLES_B) {
    const a = await post('/api/v1/articles', { title, categoryId: catB.id, body: '<p>Đồng bằng sông Cửu Long</p>' });
    articlesB.push(a);
    all.articles.add(a.id);
  }
  return { parent, children, catA, catB, articlesA, articlesB, target: articlesA[0] };
}

export async function providerSuite(t: Test, key: keyof typeof PROVIDERS): Promise<void> {
  const ta = await createTestApp({ SCHEDULER_INTERVAL_MS: '0' });
  t.teardown(() => ta.close());
  const provider = PROVIDERS[key](await serve(ta));
  const all = { categories: new Set<number>(), articles: new Set<number>() };
  const fx = await seed(ta, provider.label, all);
  const suite: Suite = { ta, provider, fx, editor: provider.ops(ta.users.editor.token), admin: provider.ops(ta.users.admin.token), all };
  t.test('categories', async (t) => categoryScenarios(t, suite));
  t.test('articles', async (t) => articleScenarios(t, suite));
  t.test('forms', async (t) => formScenarios(t, suite));
}
