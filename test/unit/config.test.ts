import t from 'tap';
import { ConfigError, parseConfig } from '../../src/config.js';
import { httpServerOptions } from '../../src/plugins/slow-clients.js';
import { fillUrlTemplate } from '../../src/lib/url-template.js';

t.test('defaults of API.md §9', async (t) => {
  const c = parseConfig({});
  t.equal(c.port, 3000);
  t.equal(c.databaseUrl, undefined);
  t.equal(c.databasePoolSize, 10);
  t.equal(c.dataDir, './data');
  t.equal(c.mediaMaxBytes, 25 * 1024 * 1024);
  t.equal(c.trustProxy, false);
  t.equal(c.publicCache, true);
  t.equal(c.webhookAllowPrivateTargets, false);
  t.same(c.corsOrigins, []);
});

t.test('parses values', async (t) => {
  const c = parseConfig({
    PORT: '8080', TRUST_PROXY: '10.0.0.0/8, 127.0.0.1', CORS_ORIGINS: 'https://a.vn,https://b.vn', PUBLIC_CACHE: 'off',
    DATABASE_URL: 'postgres://u@h/db', WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  });
  t.equal(c.port, 8080);
  t.same(c.trustProxy, ['10.0.0.0/8', '127.0.0.1']);
  t.same(c.corsOrigins, ['https://a.vn', 'https://b.vn']);
  t.equal(c.publicCache, false);
  t.equal(c.webhookAllowPrivateTargets, true);
  t.equal(parseConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
  t.equal(parseConfig({ DATABASE_POOL_SIZE: '4' }).databasePoolSize, 4);
  t.equal(parseConfig({ TRUST_PROXY: 'true' }).trustProxy, true);
});

t.test('lists every bad key at once', async (t) => {
  try {
    parseConfig({ PORT: 'abc', LOG_LEVEL: 'loud', PUBLIC_CACHE: 'maybe', DATABASE_URL: 'mysql://x', ADMIN_EMAIL: 'a@b.vn', DATABASE_POOL_SIZE: '0' });
    t.fail('should throw');
  } catch (err) {
    t.type(err, ConfigError);
    const msg = (err as Error).message;
    for (const key of ['PORT', 'LOG_LEVEL', 'PUBLIC_CACHE', 'DATABASE_URL', 'ADMIN_PASSWORD', 'DATABASE_POOL_SIZE']) t.match(msg, key);
  }
});

t.test('webhook delivery knobs', async (t) => {
  const d = parseConfig({});
  t.equal(d.webhookTimeoutMs, 10_000);
  t.equal(d.webhookPollMs, 1000);
  t.equal(d.webhookRetryScale, 1);
  const c = parseConfig({ WEBHOOK_TIMEOUT_MS: '250', WEBHOOK_POLL_MS: '0', WEBHOOK_RETRY_SCALE: '0.001' });
  t.equal(c.webhookTimeoutMs, 250);
  t.equal(c.webhookPollMs, 0, '0 runs no dispatcher');
  t.equal(c.webhookRetryScale, 0.001);
  t.equal(parseConfig({ WEBHOOK_RETRY_SCALE: '.5' }).webhookRetryScale, 0.5);
  try {
    parseConfig({ WEBHOOK_TIMEOUT_MS: '50', WEBHOOK_POLL_MS: '-1', WEBHOOK_RETRY_SCALE: '0' });
    t.fail('should throw');
  } catch (err) {
    const msg = (err as Error).message;
    for (const key of ['WEBHOOK_TIMEOUT_MS', 'WEBHOOK_POLL_MS', 'WEBHOOK_RETRY_SCALE']) t.match(msg, key);
  }
  for (const bad of ['abc', '1e-3', '11', '-0.5']) t.throws(() => parseConfig({ WEBHOOK_RETRY_SCALE: bad }), { name: 'ConfigError' }, bad);
});

t.test('slow-client limits: the defaults of API.md §1, shrinkable for tests', async (t) => {
  t.same(parseConfig({}).clientTimeouts, { headersMs: 10_000, bodyMs: 30_000, uploadIdleMs: 30_000, keepAliveMs: 5_000 });
  const c = parseConfig({ HEADERS_TIMEOUT_MS: '1000', BODY_TIMEOUT_MS: '2000', UPLOAD_IDLE_TIMEOUT_MS: '3000', KEEP_ALIVE_TIMEOUT_MS: '500' });
  t.same(c.clientTimeouts, { headersMs: 1000, bodyMs: 2000, uploadIdleMs: 3000, keepAliveMs: 500 });
  try {
    // 0 would mean "no limit" to Node.
    parseConfig({ HEADERS_TIMEOUT_MS: '0', BODY_TIMEOUT_MS: '30s', UPLOAD_IDLE_TIMEOUT_MS: '-1', KEEP_ALIVE_TIMEOUT_MS: '0' });
    t.fail('should throw');
  } catch (err) {
    const msg = (err as Error).message;
    for (const key of ['HEADERS_TIMEOUT_MS', 'BODY_TIMEOUT_MS', 'UPLOAD_IDLE_TIMEOUT_MS', 'KEEP_ALIVE_TIMEOUT_MS']) t.match(msg, key);
  }
});

t.test('the HTTP server options carry the limits, checked often enough to be on time', async (t) => {
  const options = httpServerOptions(parseConfig({}).clientTimeouts);
  t.same(options, { headersTimeout: 10_000, requestTimeout: 0, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1000 });
  t.equal(httpServerOptions({ headersMs: 1000, bodyMs: 1, uploadIdleMs: 1, keepAliveMs: 1 }).connectionsCheckingInterval, 100);
});

t.test('STATEMENT_TIMEOUT_MS: 5 s by default, a positive whole number of ms otherwise', async (t) => {
  t.equal(parseConfig({}).statementTimeoutMs, 5000);
  t.equal(parseConfig({ STATEMENT_TIMEOUT_MS: '250' }).statementTimeoutMs, 250);
  for (const bad of ['0', '-1', '1.5', 'abc', '600001']) {
    t.throws(() => parseConfig({ STATEMENT_TIMEOUT_MS: bad }), /STATEMENT_TIMEOUT_MS/, `"${bad}" is refused`);
  }
});

t.test('images on demand', async (t) => {
  const d = parseConfig({});
  t.equal(d.imageSigningKey, undefined, 'unset: signed URLs are refused');
  t.same(d.imageWidths, [160, 320, 480, 640, 768, 1024, 1280, 1600, 1920]);
  t.same(d.imageAspects.map((a) => a.name), ['16:9', '4:3', '1:1', '3:4']);
  t.ok(d.imageRenderConcurrency >= 1, 'the number of cores');
  t.equal(d.imageRenderQueue, 64);
  const c = parseConfig({ IMAGE_SIGNING_KEY: ' a key of 16+ characters ', IMAGE_WIDTHS: '800, 400', IMAGE_ASPECTS: '21:9,1:1', IMAGE_RENDER_CONCURRENCY: '3', IMAGE_RENDER_QUEUE: '0' });
  t.equal(c.imageSigningKey, ' a key of 16+ characters ', 'the key is used exactly as given');
  t.same(c.imageWidths, [400, 800], 'ascending');
  t.same(c.imageAspects, [{ name: '21:9', width: 21, height: 9 }, { name: '1:1', width: 1, height: 1 }], 'in the given order');
  t.equal(c.imageRenderConcurrency, 3);
  t.equal(c.imageRenderQueue, 0);
  for (const [key, bad] of [
    ['IMAGE_SIGNING_KEY', 'short'], ['IMAGE_WIDTHS', '640,abc'], ['IMAGE_WIDTHS', '0'], ['IMAGE_WIDTHS', '20000'], ['IMAGE_WIDTHS', '640,640'],
    ['IMAGE_ASPECTS', '16/9'], ['IMAGE_ASPECTS', '1:1,1:1'], ['IMAGE_ASPECTS', '__proto__'], ['IMAGE_RENDER_CONCURRENCY', '0'], ['IMAGE_RENDER_QUEUE', '-1'],
  ]) {
    t.throws(() => parseConfig({ [key]: bad }), { name: 'ConfigError', message: new RegExp(key) }, `${key}=${bad}`);
  }
});

t.test('where the website shows things (API.md §10): defaults that link somewhere on a fresh start', async (t) => {
  const fresh = parseConfig({ PORT: '4000' }).site;
  t.equal(fresh.url, 'http://localhost:4000', 'SITE_URL defaults to PUBLIC_URL');
  t.equal(fresh.language, 'vi');
  t.equal(fresh.timeZone, 'Asia/Ho_Chi_Minh');
  // No website yet: the links lead to the API's own public JSON, which answers them.
  t.equal(fillUrlTemplate(fresh.articleUrl, { slug: 'bai-a', category: 'thoi-su' }), 'http://localhost:4000/api/v1/articles/bai-a');
  t.equal(fillUrlTemplate(fresh.categoryUrl, { slug: 'thoi-su' }), 'http://localhost:4000/api/v1/categories/thoi-su');
  const site = parseConfig({ SITE_URL: 'https://baodongthap.vn/', SITE_NAME: 'Báo Đồng Tháp', SITE_LANGUAGE: 'vi-VN' }).site;
  t.equal(site.url, 'https://baodongthap.vn');
  t.equal(site.name, 'Báo Đồng Tháp');
  t.equal(fillUrlTemplate(site.articleUrl, { slug: 'bai-a', category: 'thoi-su' }), 'https://baodongthap.vn/thoi-su/bai-a', 'API.md default {site}/{category}/{slug}');
  t.equal(fillUrlTemplate(site.articleUrl, { slug: 'bai-a', category: null }), 'https://baodongthap.vn/bai-a', 'no category: the placeholder goes with its /');
  t.equal(fillUrlTemplate(site.categoryUrl, { slug: 'thoi-su' }), 'https://baodongthap.vn/thoi-su');
  const dated = parseConfig({ SITE_URL: 'https://x.vn', ARTICLE_URL_TEMPLATE: '{site}/{yyyy}/{mm}/{dd}/{id}-{slug}.html' }).site;
  t.equal(fillUrlTemplate(dated.articleUrl, { id: '7', slug: 'a', yyyy: '2024', mm: '01', dd: '02' }), 'https://x.vn/2024/01/02/7-a.html');
});

t.test('a bad URL template, site, language or time zone stops the start, naming the key', async (t) => {
  const bad: Array<[Record<string, string>, string]> = [
    [{ ARTICLE_URL_TEMPLATE: '{site}/{category}' }, 'ARTICLE_URL_TEMPLATE'],
    [{ ARTICLE_URL_TEMPLATE: '{site}/{author}/{slug}' }, 'ARTICLE_URL_TEMPLATE'],
    [{ ARTICLE_URL_TEMPLATE: '{site}/{slug' }, 'ARTICLE_URL_TEMPLATE'],
    [{ ARTICLE_URL_TEMPLATE: '/tin/{slug}' }, 'ARTICLE_URL_TEMPLATE'],
    [{ ARTICLE_URL_TEMPLATE: 'javascript:{slug}' }, 'ARTICLE_URL_TEMPLATE'],
    [{ CATEGORY_URL_TEMPLATE: '{site}/{category}/{slug}' }, 'CATEGORY_URL_TEMPLATE'],
    [{ CATEGORY_URL_TEMPLATE: '{site}/chuyen-muc' }, 'CATEGORY_URL_TEMPLATE'],
    [{ SITE_URL: 'baodongthap.vn' }, 'SITE_URL'],
    [{ SITE_URL: 'ftp://baodongthap.vn' }, 'SITE_URL'],
    [{ SITE_LANGUAGE: 'tiếng việt' }, 'SITE_LANGUAGE'],
    [{ SITE_TIME_ZONE: 'Asia/Sai_Gon_Nowhere' }, 'SITE_TIME_ZONE'],
  ];
  for (const [env, key] of bad) {
    t.throws(() => parseConfig(env), { name: 'ConfigError', message: new RegExp(key) }, JSON.stringify(env));
  }
  t.doesNotThrow(() => parseConfig({ ARTICLE_URL_TEMPLATE: 'https://tin.example.vn/{id}' }), 'a template need not start with {site}');
});
