import t from 'tap';
import { ConfigError, parseConfig } from '../../src/config.js';

t.test('defaults of API.md §9', async (t) => {
  const c = parseConfig({});
  t.equal(c.port, 3000);
  t.equal(c.databaseUrl, undefined);
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
  t.equal(parseConfig({ TRUST_PROXY: 'true' }).trustProxy, true);
});

t.test('lists every bad key at once', async (t) => {
  try {
    parseConfig({ PORT: 'abc', LOG_LEVEL: 'loud', PUBLIC_CACHE: 'maybe', DATABASE_URL: 'mysql://x', ADMIN_EMAIL: 'a@b.vn' });
    t.fail('should throw');
  } catch (err) {
    t.type(err, ConfigError);
    const msg = (err as Error).message;
    for (const key of ['PORT', 'LOG_LEVEL', 'PUBLIC_CACHE', 'DATABASE_URL', 'ADMIN_PASSWORD']) t.match(msg, key);
  }
});
