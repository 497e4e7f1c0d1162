// npm run bench:sitemaps [-- --articles 100000,1000000 --paragraphs 8 --connections 10 --duration 10 --out bench-sitemaps.json]
// For each size: seeds N published articles (PostgreSQL from DATABASE_URL, a database of its own
// kept between runs; else PGlite in a temporary folder), VACUUM ANALYZE, starts the built service
// as a separate process, then
//  - fetches the sitemap index and every file it lists, one after another, reading each body as
//    it streams in: time to first byte, total time, bytes and URLs per file, and the server's
//    resident memory (VmRSS sampled every 20 ms, VmHWM at the end, from /proc/<pid>/status);
//  - loads the RSS feed with autocannon, with the public cache on (hits) and off (built each time).
import { readFileSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { prepareBenchDatabase } from './bench-db.js';
import { startProcess, stop } from './bench-process.js';
import { parseArgs } from './cli.js';

const args = parseArgs(process.argv.slice(2));
const SIZES = String(args.articles ?? '100000').split(',').map(Number);
const CONNECTIONS = Number(args.connections ?? 10);
const DURATION = Number(args.duration ?? 10);
const OUT = args.out ?? 'bench-sitemaps.json';
// Shorter bodies seed a million articles in minutes; sitemaps read no body (feeds do).
const PARAGRAPHS = Number(args.paragraphs ?? 8);

const mib = (kb: number) => Math.round((kb / 1024) * 10) / 10;

function memoryOf(pid: number): { rssKb: number; hwmKb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
}

interface FileResult {
  file: string;
  status: number;
  ttfbMs: number;
  totalMs: number;
  bytes: number;
  urls: number;
  /** The server's resident memory once this file was read. */
  rssAfterMiB?: number;
}

/** Fetches a URL and reads its body chunk by chunk, counting bytes and <url> elements, keeping none. */
async function fetchCounting(url: string): Promise<FileResult> {
  const t0 = performance.now();
  const res = await fetch(url);
  const ttfbMs = performance.now() - t0;
  let bytes = 0;
  let urls = 0;
  let tail = '';
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    const text = tail + decoder.decode(chunk, { stream: true });
    urls += text.split('<url>').length - 1;
    tail = text.slice(-4);
  }
  return { file: url.split('/').pop()!, status: res.status, ttfbMs, totalMs: performance.now() - t0, bytes, urls };
}

async function reqPerSec(url: string): Promise<{ reqPerSec: number; p50: number; p99: number; non2xx: number }> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION });
  return { reqPerSec: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx };
}

const results: unknown[] = [];
// Servers still running when a run fails are stopped, not left behind holding their port.
const running = new Set<Awaited<ReturnType<typeof startProcess>>['proc']>();
const start = async (env: Record<string, string>) => {
  const s = await startProcess('dist/src/server.js', env);
  running.add(s.proc);
  return s;
};
process.on('exit', () => running.forEach((p) => p.exitCode === null && p.kill('SIGTERM')));
for (const N of SIZES) {
  const prepared = await prepareBenchDatabase({ articles: N, name: `toasoan_bench_sitemaps_${N}${PARAGRAPHS === 8 ? '' : `_p${PARAGRAPHS}`}`, fresh: args.fresh !== undefined, paragraphs: PARAGRAPHS });
  try {
    // Sitemaps: the service as deployed (cache on), memory sampled while every file is read.
    const svc = await start({ ...prepared.env, SCHEDULER_INTERVAL_MS: '0', SITE_URL: 'https://www.toasoan.example' });
    const pid = svc.proc.pid!;
    const before = memoryOf(pid);
    let peakRssKb = before.rssKb;
    const sampler = setInterval(() => (peakRssKb = Math.max(peakRssKb, memoryOf(pid).rssKb)), 20);
    const t0 = performance.now();
    const index = await fetchCounting(`${svc.base}/api/v1/sitemaps/index.xml`);
    const indexXml = await (await fetch(`${svc.base}/api/v1/sitemaps/index.xml`)).text();
    const locs = [...indexXml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1].replace(/^https?:\/\/[^/]+/, svc.base));
    const files: FileResult[] = [index];
    for (const loc of locs) files.push({ ...(await fetchCounting(loc)), rssAfterMiB: mib(memoryOf(pid).rssKb) });
    const allMs = performance.now() - t0;
    clearInterval(sampler);
    const after = memoryOf(pid);
    const articleFiles = files.filter((f) => f.file.startsWith('articles-'));
    const summary = {
      articles: N,
      files: files.length,
      urls: articleFiles.reduce((s, f) => s + f.urls, 0),
      allMs: Math.round(allMs),
      rssBeforeMiB: mib(before.rssKb),
      peakRssWhileFetchingMiB: mib(peakRssKb),
      vmHwmMiB: mib(after.hwmKb),
      largestArticleFile: articleFiles.reduce((a, b) => (b.urls > a.urls ? b : a), articleFiles[0]),
      slowestTtfbMs: Math.round(Math.max(...files.map((f) => f.ttfbMs))),
    };
    console.log(`\n${N} articles: ${files.length} sitemap files, ${summary.urls} article URLs in ${summary.allMs} ms`);
    console.log(`  server RSS before ${summary.rssBeforeMiB} MiB, peak while fetching ${summary.peakRssWhileFetchingMiB} MiB, VmHWM ${summary.vmHwmMiB} MiB`);
    console.log('  file                         status  ttfb ms  total ms     bytes    urls  RSS after (MiB)');
    for (const f of files) console.log(`  ${f.file.padEnd(28)} ${String(f.status).padStart(6)} ${f.ttfbMs.toFixed(0).padStart(8)} ${f.totalMs.toFixed(0).padStart(9)} ${String(f.bytes).padStart(9)} ${String(f.urls).padStart(7)} ${String(f.rssAfterMiB ?? '').padStart(8)}`);
    await stop(svc.proc);

    // The RSS feed: cached (hits from memory) and uncached (built from the database each time).
    const feed: Record<string, unknown> = {};
    for (const mode of ['on', 'off']) {
      const s = await start({ ...prepared.env, SCHEDULER_INTERVAL_MS: '0', PUBLIC_CACHE: mode, SITE_URL: 'https://www.toasoan.example' });
      await autocannon({ url: `${s.base}/api/v1/feeds/articles.rss`, connections: CONNECTIONS, duration: 3 });
      feed[`cache ${mode}`] = await reqPerSec(`${s.base}/api/v1/feeds/articles.rss`);
      await stop(s.proc);
    }
    console.log('  RSS feed (50 items):', JSON.stringify(feed));
    results.push({ ...summary, bodyParagraphs: PARAGRAPHS, filesDetail: files, rss: feed });
  } finally {
    prepared.cleanup();
  }
}
writeFileSync(OUT, JSON.stringify(results, null, 2));
console.log(`\nwritten to ${OUT}`);
