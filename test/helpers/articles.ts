// Builds articles in a given workflow state through the real API.
import type { TestApp } from './app.js';
import type { Status } from '../../src/workflow/states.js';

type Who = keyof TestApp['users'];

export async function transition(ta: TestApp, as: Who, id: number, action: string, extra: object = {}) {
  return ta.req(as, { method: 'POST', url: `/api/v1/articles/${id}/transitions`, payload: { action, ...extra } });
}

const PATHS: Record<Status, Array<[string, object?]>> = {
  draft: [],
  in_review: [['submit']],
  approved: [['submit'], ['approve']],
  published: [['submit'], ['approve'], ['publish']],
  scheduled: [['submit'], ['approve'], ['publish', {}]],
  archived: [['archive']],
};

export async function articleIn(ta: TestApp, status: Status, payload: object = {}, owner: Who = 'author'): Promise<{ id: number; slug: string; title: string }> {
  const res = await ta.req(owner, { method: 'POST', url: '/api/v1/articles', payload: { title: `Bài ${status} ${Math.random().toString(36).slice(2, 8)}`, ...payload } });
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.body}`);
  const a = res.json();
  for (const [action, extra] of PATHS[status]) {
    // An hour ahead by the service's clock, which a test may have moved on.
    const schedule = status === 'scheduled' && action === 'publish' ? { publishAt: new Date(ta.app.ctx.now().getTime() + 3600_000).toISOString() } : {};
    const r = await transition(ta, 'editor', a.id, action, { ...extra, ...schedule });
    if (r.statusCode !== 200) throw new Error(`${action} failed: ${r.body}`);
  }
  return a;
}
