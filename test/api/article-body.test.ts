// Article bodies as an attacker writes them (API.md §1, §5): maximal and deeply nested bodies
// are cleaned off the request thread, so /health keeps answering meanwhile; nesting deeper than 256
// is a 400 on `body`; links and iframes are made safe on the way in, on the worker as in place.
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { INLINE_MAX_CHARS } from '../../src/lib/body-sanitizer.js';
import { createTestApp } from '../helpers/app.js';

const ta = await createTestApp();
t.teardown(() => ta.close());
await ta.app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(ta.app.server.address() as AddressInfo).port}`;

type Reply = { status: number; json: Record<string, unknown> };
async function send(method: 'POST' | 'PATCH', url: string, payload: object): Promise<Reply> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ta.users.author.token}` },
    body: JSON.stringify(payload),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
const create = (body: string) => send('POST', '/api/v1/articles', { title: 'Thân bài', body });
const storedBody = (r: Reply) => r.json.body as string;

/** Whether a 400 names the body field (`errors` is keyed by the field's path, API.md §1). */
function keyedOnBody(json: Record<string, unknown>): boolean {
  return Object.keys((json.errors ?? {}) as object).includes('body');
}

/** Runs `work` while a client asks /health back to back over one kept-alive connection. */
async function whileProbingHealth<T>(work: () => Promise<T>) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const probe = () =>
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      request(`${base}/health`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(performance.now() - started));
      }).on('error', reject).end();
    });
  await probe(); // connected before the work starts
  let running = true;
  let worstHealth = 0;
  let probes = 0;
  const loop = (async () => {
    while (running) {
      worstHealth = Math.max(worstHealth, await probe());
      probes++;
    }
  })();
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  running = false;
  await loop;
  agent.destroy();
  return { result, ms, worstHealth, probes };
}

// The rule under test is that cleaning a body never holds the request thread (the synchronous
// sanitiser held it for the whole request: 0.4-2 s on flat bodies, 15 s on nested ones). How fast
// a body is answered is measured by scripts/bench-sanitize.ts, not here: on a machine shared with
// other work (loads of 20 on 2 cores were seen) any fixed bound fails now and then on its own. So
// a /health probe may not wait more than half as long as the body's own request (a held thread
// makes it wait about as long) or 250 ms, whichever is more. A try may be repeated, because one
// scheduling hiccup can miss even that; a held thread misses every time. `bounded: false` only
// records the figures.
const TRIES = 5;
const healthBound = (ms: number) => Math.max(ms / 2, 250);
async function timed(t: Test, label: string, body: string, expect: { status: number; bounded: boolean }): Promise<Reply> {
  let last = { reply: { status: 0, json: {} } as Reply, ms: 0, worstHealth: 0, probes: 0 };
  for (let attempt = 1; attempt <= TRIES; attempt++) {
    const run = await whileProbingHealth(() => create(body));
    last = { reply: run.result, ms: run.ms, worstHealth: run.worstHealth, probes: run.probes };
    t.comment(`${label}: ${run.result.status} in ${run.ms.toFixed(0)} ms; slowest of ${run.probes} /health: ${run.worstHealth.toFixed(0)} ms`);
    if (run.result.status !== expect.status || !expect.bounded || run.worstHealth < healthBound(run.ms)) break;
  }
  t.equal(last.reply.status, expect.status, `${label}: status`);
  if (expect.bounded) {
    t.ok(last.worstHealth < healthBound(last.ms), `${label}: /health kept answering meanwhile (slowest ${last.worstHealth.toFixed(0)} ms of ${last.ms.toFixed(0)} ms)`);
  }
  return last.reply;
}

// The first large body starts the worker thread: about a second through tsx, several under tap's
// TypeScript loader. The bounds below are about cleaning, so the pool is warm before they run.
t.before(async () => {
  const warm = await create(`<p>${'khởi động '.repeat(2000)}</p>`);
  if (warm.status !== 201) throw new Error(`warm-up failed: ${JSON.stringify(warm.json)}`);
});

t.test('a maximal nested body fails fast and stalls no one', async (t) => {
  for (const [label, body] of [['<b> x 166,666', '<b>'.repeat(166_666)], ['<b><i> x 83,333', '<b><i>'.repeat(83_333)]] as const) {
    const res = await timed(t, label, body, { status: 400, bounded: true });
    t.equal(res.json.code, 'validation_failed');
    t.ok(keyedOnBody(res.json), 'keyed on body');
    t.match(res.json.detail, /256/);
  }
});

t.test('a maximal flat body stalls no one', async (t) => {
  // `<p>` × 166,666: the costliest flat body to clean, and it would double in size (`<p></p>`).
  const p = await timed(t, '<p> x 166,666', '<p>'.repeat(166_666), { status: 400, bounded: true });
  t.ok(keyedOnBody(p.json), 'refused for growing: keyed on body');
  const text = await timed(t, '& x 500,000', '&'.repeat(500_000), { status: 400, bounded: true });
  t.ok(keyedOnBody(text.json), '& would become &amp; five times over');
  const body = '<b>x</b>'.repeat(62_500);
  // An accepted 500 KB body is also decoded, validated, written, read back, hashed for its ETag
  // and sent on the request thread, and on the embedded database the write itself runs there
  // (issue 15 item 4). On a loaded machine that is not this test's subject: its figures are
  // recorded here and measured by scripts/bench-sanitize.ts.
  const b = await timed(t, '<b>x</b> x 62,500', body, { status: 201, bounded: false });
  t.equal(storedBody(b), body, 'stored as sent');
  const links = '<a href="https://baodongthap.vn/a" target="_blank">y</a>'.repeat(8_900);
  const a = await timed(t, '<a target=_blank> x 8,900', links, { status: 201, bounded: false });
  t.ok(storedBody(a).length < 1.5 * links.length, 'adding rel does not blow the body up');
});

t.test('nesting: 256 elements are kept, 257 are a 400 on body, on create and update', async (t) => {
  const deep = (n: number) => `${'<div>'.repeat(n)}Tân Hồng${'</div>'.repeat(n)}`;
  const ok = await create(deep(256));
  t.equal(ok.status, 201);
  t.equal(storedBody(ok), deep(256));
  const tooDeep = await create(deep(257));
  t.equal(tooDeep.status, 400);
  t.equal(tooDeep.json.code, 'validation_failed');
  t.ok(keyedOnBody(tooDeep.json), 'keyed on body');
  const unclosed = await create(`${'<span>'.repeat(257)}x`);
  t.equal(unclosed.status, 400, 'unclosed tags nest as parsed');
  t.equal((await create(`${'<p>x'.repeat(5000)}${'<br>'.repeat(5000)}`)).status, 201, '<p> closes the open <p>; void elements do not nest');

  const id = ok.json.id as number;
  const upd = await send('PATCH', `/api/v1/articles/${id}`, { body: deep(300) });
  t.equal(upd.status, 400);
  t.ok(keyedOnBody(upd.json));
  const after = await ta.req('author', { method: 'GET', url: `/api/v1/articles/${id}` });
  t.equal(after.json().body, deep(256), 'the refused update changed nothing');
  t.equal(after.json().version, ok.json.version);
  t.equal((await send('PATCH', `/api/v1/articles/${id}`, { body: deep(5) })).status, 200);
});

// Each rule is checked on a short body (cleaned in place) and on one past INLINE_MAX_CHARS
// (cleaned on the worker thread).
const padding = `<p>${'đệm '.repeat(INLINE_MAX_CHARS / 4)}</p>`;
for (const [where, pad] of [['in place', ''], ['on the worker', padding]] as const) {
  t.test(`links and iframes are made safe (${where})`, async (t) => {
    const body = [
      '<p><a href="https://baodongthap.vn" target="_blank">a</a><a href="https://x.vn" target="_BLANK" rel="nofollow opener">b</a></p>',
      '<iframe src="https://www.youtube.com/embed/abc" allow="camera; microphone; geolocation; autoplay; encrypted-media" allowfullscreen></iframe>',
      '<p>trước</p><iframe src="https://evil.example/x" allow="autoplay">dự phòng</iframe><p>sau</p>',
      '<iframe src="//www.youtube.com/embed/abc"></iframe><iframe></iframe>',
    ].join('');
    const res = await create(pad + body);
    t.equal(res.status, 201);
    t.equal(
      storedBody(res),
      pad +
        '<p><a href="https://baodongthap.vn" target="_blank" rel="noopener noreferrer">a</a><a href="https://x.vn" target="_BLANK" rel="nofollow noopener noreferrer">b</a></p>' +
        '<iframe src="https://www.youtube.com/embed/abc" allow="autoplay; encrypted-media" allowfullscreen></iframe>' +
        '<p>trước</p><p>sau</p>',
    );
    t.notMatch(storedBody(res), /camera|microphone|geolocation|evil|dự phòng|<iframe><\/iframe>/);
  });
}

t.test('the body is cleaned before the transaction that checks references', async (t) => {
  const res = await send('POST', '/api/v1/articles', { title: 'x', body: '<b>'.repeat(300), categoryId: 999_999 });
  t.equal(res.status, 400);
  t.ok(keyedOnBody(res.json), 'the body is refused, not the unknown category');
});
