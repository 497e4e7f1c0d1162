// npm run bench:images [-- --connections 10 --warmup 2 --duration 10 --slices 5 --out bench-results-images.json]
// (also the first part of `npm run bench`)
//
// Images on demand, measured on the built service (dist/, production mode, PGlite and the local
// disk in temporary folders), started as a child process:
//   1. the first render of a 640×360 WebP cover crop from a 24-megapixel JPEG (ms, per image);
//   2. a cached derived image served at N connections, as a ratio to the cached public article
//      read in the same run (both loaded in turns; target ≥ 50 %), each beside its ceiling: a
//      bare Fastify process serving the same bytes from memory (scripts/bench-ceiling.ts);
//   3. the service's peak RSS while 8 different derived images of 24-megapixel JPEGs are
//      requested at once (sampled every 10 ms; target ≤ +400 MB), with the default
//      IMAGE_RENDER_CONCURRENCY (the cores) and again with 8.
import { type ChildProcess, spawn } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import sharp from 'sharp';
import { parseArgs } from './cli.js';

const args = parseArgs(process.argv.slice(2));
const CONNECTIONS = Number(args.connections ?? 10);
const WARMUP = Number(args.warmup ?? 2);
const DURATION = Number(args.duration ?? 10);
const SLICES = Math.max(1, Number(args.slices ?? 5));
const OUT = args.out ?? 'bench-results-images.json';
const IMAGES = 8;
const MB = 1024 * 1024;
const ROOT = new URL('..', import.meta.url).pathname;
const ADMIN = { email: 'bench@toasoan.test', password: 'bench-password-123' };

/** A 6000 × 4000 JPEG (24 MP) with photo-like detail: smooth noise, a different tint each. */
async function photo24mp(seed: number): Promise<Buffer> {
  const w = 1500;
  const h = 1000;
  const noise = Buffer.alloc(w * h * 3);
  let x = 2463534242 + seed * 7919;
  for (let i = 0; i < noise.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    noise[i] = (x >>> 0) % 256;
  }
  const tint = { r: (seed * 53) % 255, g: (seed * 97) % 255, b: (seed * 31) % 255, alpha: 0.35 };
  const small = await sharp(noise, { raw: { width: w, height: h, channels: 3 } }).blur(1.2).composite([{ input: { create: { width: w, height: h, channels: 4, background: tint } } }]).png().toBuffer();
  return sharp(small).resize(6000, 4000, { kernel: 'cubic' }).jpeg({ quality: 88 }).toBuffer();
}

function memoryOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
}

let nextPort = 3950 + Math.floor(Math.random() * 40);
async function startService(env: Record<string, string>, script = 'dist/src/server.js'): Promise<{ proc: ChildProcess; base: string }> {
  const port = nextPort++;
  const proc = spawn(process.execPath, [join(ROOT, script)], {
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1', SCHEDULER_INTERVAL_MS: '0', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (proc.exitCode !== null) throw new Error(`the service exited with code ${proc.exitCode}`);
    try {
      if ((await fetch(`${base}${script.includes('server') ? '/ready' : '/__never'}`)).status < 500) return { proc, base };
    } catch {
      /* not yet */
    }
    await sleep(100);
  }
  throw new Error('the service did not start');
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  const done = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  await done;
}

async function api<T>(base: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Media {
  id: number;
  url: string;
  crops: Record<string, { srcset: string }>;
}

async function uploadImage(base: string, token: string, data: Buffer, name: string): Promise<Media> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)], { type: 'image/jpeg' }), name);
  const res = await fetch(`${base}/api/v1/media`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${await res.text()}`);
  return (await res.json()) as Media;
}

/** Milliseconds of one request, and its status. */
async function timed(url: string, headers: Record<string, string> = {}): Promise<{ ms: number; status: number; bytes: number }> {
  const started = performance.now();
  const res = await fetch(url, { headers });
  const bytes = (await res.arrayBuffer()).byteLength;
  return { ms: performance.now() - started, status: res.status, bytes };
}

async function measure(url: string, seconds: number, headers: Record<string, string> = {}): Promise<{ requests: number; seconds: number; errors: number }> {
  const run = autocannon({ url, connections: CONNECTIONS, duration: seconds, headers }) as unknown as Promise<autocannon.Result> & EventEmitter;
  const r = await run;
  return { requests: r.requests.total, seconds, errors: r.errors + r.timeouts + r.non2xx };
}

/** Loads each target in turn, in slices, so that a ratio compares runs taken side by side. */
async function reqPerSecInTurns(targets: Array<{ url: string; headers?: Record<string, string> }>): Promise<Array<{ reqPerSec: number; errors: number }>> {
  for (const t of targets) if (WARMUP > 0) await measure(t.url, WARMUP, t.headers);
  const totals = targets.map(() => ({ requests: 0, seconds: 0, errors: 0 }));
  for (let i = 0; i < SLICES; i++) {
    for (const [k, t] of targets.entries()) {
      const m = await measure(t.url, DURATION / SLICES, t.headers);
      totals[k].requests += m.requests;
      totals[k].seconds += m.seconds;
      totals[k].errors += m.errors;
    }
  }
  return totals.map((t) => ({ reqPerSec: Math.round(t.requests / t.seconds), errors: t.errors }));
}

/** Requests `urls` at once and samples the service's RSS every 10 ms until all are answered. */
async function peakRssDuring(pid: number, urls: string[]): Promise<{ baseline: number; peak: number; ms: number; statuses: number[] }> {
  await sleep(1000);
  const baseline = memoryOf(pid);
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(pid))), 10);
  const started = performance.now();
  const results = await Promise.all(urls.map((u) => timed(u)));
  clearInterval(sampler);
  peak = Math.max(peak, memoryOf(pid));
  return { baseline, peak, ms: performance.now() - started, statuses: results.map((r) => r.status) };
}

const dataDir = await mkdtemp(join(tmpdir(), 'toasoan-bench-images-data-'));
const mediaDir = await mkdtemp(join(tmpdir(), 'toasoan-bench-images-media-'));
const env = { DATA_DIR: dataDir, MEDIA_DIR: mediaDir, MEDIA_MAX_BYTES: String(64 * MB), ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, PUBLIC_CACHE: 'on' };
const results: Record<string, unknown> = { connections: CONNECTIONS, duration: DURATION, cores: availableParallelism() };
try {
  console.log(`making ${IMAGES} 24-megapixel JPEGs …`);
  const photos: Buffer[] = [];
  for (let i = 0; i < IMAGES; i++) photos.push(await photo24mp(i + 1));
  console.log(`  ${(photos.reduce((n, p) => n + p.length, 0) / IMAGES / MB).toFixed(1)} MB each on average`);

  let svc = await startService(env);
  const media: Media[] = [];
  try {
    const login = await fetch(`${svc.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    const { token } = (await login.json()) as { token: string };
    console.log('uploading …');
    for (const [i, p] of photos.entries()) media.push(await uploadImage(svc.base, token, p, `anh-${i + 1}.jpg`));

    // 1. First renders: the 16:9 crop at 640 × 360 as WebP, of three different images.
    const firsts: number[] = [];
    for (const m of media.slice(0, 3)) {
      const r = await timed(`${m.url.replace(/^https?:\/\/[^/]+/, svc.base)}?w=640&h=360&fit=cover&fm=webp`);
      if (r.status !== 200) throw new Error(`render: ${r.status}`);
      firsts.push(Math.round(r.ms));
    }
    const cached = await timed(`${media[0].url.replace(/^https?:\/\/[^/]+/, svc.base)}?w=640&h=360&fit=cover&fm=webp`);
    results.firstRenderMs = firsts;
    results.cachedRequestMs = Math.round(cached.ms * 10) / 10;
    console.log(`first render, 640×360 WebP cover crop of a 24 MP JPEG: ${firsts.join(' ms, ')} ms (then ${results.cachedRequestMs} ms from storage)`);

    // 2. A cached derived image against the cached public article, in turns.
    const article = await api<{ id: number; slug: string }>(svc.base, token, 'POST', '/api/v1/articles', { title: 'Ảnh bìa đo hiệu năng', summary: 'Tóm tắt', body: '<p>Nội dung</p>', coverMediaId: media[0].id });
    for (const action of ['submit', 'approve', 'publish']) await api(svc.base, token, 'POST', `/api/v1/articles/${article.id}/transitions`, { action });
    const articleUrl = `${svc.base}/api/v1/articles/${article.slug}`;
    const cover = (await (await fetch(articleUrl)).json()) as { cover: Media };
    const cropUrl = cover.cover.crops['16:9'].srcset.split(', ').map((e) => e.split(' ')[0]).find((u) => u.includes('w=640&'))!.replace(/^https?:\/\/[^/]+/, svc.base);
    const browser = { accept: 'image/avif,image/webp,image/apng,image/*,*/*;q=0.8' };
    // The smallest crop too: about the article's size, it shows the cost per request apart from the bytes.
    const smallCropUrl = cropUrl.replace('w=640&h=360', 'w=160&h=90');
    await timed(smallCropUrl, browser);
    const smallBytes = (await timed(smallCropUrl, browser)).bytes;
    const warm = await timed(cropUrl, browser);
    if (warm.status !== 200) throw new Error(`crop: ${warm.status}`);
    const cropBytes = Buffer.from(await (await fetch(cropUrl, { headers: browser })).arrayBuffer());
    const articleText = await (await fetch(articleUrl)).text();
    const pagesFile = join(tmpdir(), `toasoan-ceiling-images-${process.pid}.json`);
    const pathOf = (u: string) => new URL(u).pathname;
    writeFileSync(pagesFile, JSON.stringify([
      { path: pathOf(articleUrl), contentType: 'application/json; charset=utf-8', body: articleText },
      { path: pathOf(cropUrl), contentType: 'image/avif', body: cropBytes.toString('base64'), base64: true },
    ]));
    const ceiling = await startService({ CEILING_PAGES: pagesFile }, 'dist/scripts/bench-ceiling.js');
    let measured;
    try {
      measured = await reqPerSecInTurns([
        { url: articleUrl }, { url: `${ceiling.base}${pathOf(articleUrl)}` },
        { url: cropUrl, headers: browser }, { url: `${ceiling.base}${pathOf(cropUrl)}` },
        { url: smallCropUrl, headers: browser },
      ]);
    } finally {
      await stop(ceiling.proc);
      rmSync(pagesFile, { force: true });
    }
    const [articleRead, articleCeiling, derived, derivedCeiling, smallDerived] = measured;
    const pct = (a: number, b: number) => Math.round((100 * a) / b);
    results.cachedArticle = { ...articleRead, bytes: Buffer.byteLength(articleText), ceilingReqPerSec: articleCeiling.reqPerSec };
    results.cachedDerived = { ...derived, bytes: cropBytes.length, ceilingReqPerSec: derivedCeiling.reqPerSec };
    results.derivedVsArticle = pct(derived.reqPerSec, articleRead.reqPerSec);
    results.smallDerived = { ...smallDerived, bytes: smallBytes };
    results.smallDerivedVsArticle = pct(smallDerived.reqPerSec, articleRead.reqPerSec);
    console.log(`cached article read (${Buffer.byteLength(articleText)} bytes): ${articleRead.reqPerSec} req/s (${pct(articleRead.reqPerSec, articleCeiling.reqPerSec)} % of its ceiling, ${articleCeiling.reqPerSec} req/s)`);
    console.log(`cached derived image (640×360 AVIF, ${cropBytes.length} bytes): ${derived.reqPerSec} req/s (${pct(derived.reqPerSec, derivedCeiling.reqPerSec)} % of its ceiling, ${derivedCeiling.reqPerSec} req/s)`);
    console.log(`derived image vs article: ${results.derivedVsArticle} % (target ≥ 50 %)`);
    console.log(`cached 160×90 crop (${smallBytes} bytes): ${smallDerived.reqPerSec} req/s → ${results.smallDerivedVsArticle} % of the article read`);

    // 3. Peak RSS while 8 different derivatives of 24 MP images are made at once.
    const burst = (w: number) => media.map((m) => `${m.url.replace(/^https?:\/\/[^/]+/, svc.base)}?w=${w}&fm=webp`);
    const byDefault = await peakRssDuring(svc.proc.pid!, burst(1280));
    results.rssDefaultConcurrency = { concurrency: availableParallelism(), baselineMb: byDefault.baseline / MB, increaseMb: (byDefault.peak - byDefault.baseline) / MB, ms: byDefault.ms, statuses: byDefault.statuses };
    console.log(`8 renders at once (IMAGE_RENDER_CONCURRENCY=${availableParallelism()}): RSS +${((byDefault.peak - byDefault.baseline) / MB).toFixed(0)} MB over ${(byDefault.baseline / MB).toFixed(0)} MB, all answered in ${Math.round(byDefault.ms)} ms (target ≤ +400 MB)`);
  } finally {
    await stop(svc.proc);
  }

  svc = await startService({ ...env, IMAGE_RENDER_CONCURRENCY: String(IMAGES) });
  try {
    const burst = media.map((m) => `${m.url.replace(/^https?:\/\/[^/]+/, svc.base)}?w=1600&fm=webp`);
    const all = await peakRssDuring(svc.proc.pid!, burst);
    results.rssConcurrency8 = { concurrency: IMAGES, baselineMb: all.baseline / MB, increaseMb: (all.peak - all.baseline) / MB, ms: all.ms, statuses: all.statuses };
    console.log(`8 renders at once (IMAGE_RENDER_CONCURRENCY=8): RSS +${((all.peak - all.baseline) / MB).toFixed(0)} MB over ${(all.baseline / MB).toFixed(0)} MB, all answered in ${Math.round(all.ms)} ms`);
  } finally {
    await stop(svc.proc);
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
  await rm(mediaDir, { recursive: true, force: true });
}
writeFileSync(OUT, JSON.stringify(results, null, 2));
console.log(`results written to ${OUT}`);
