import { createRequire } from 'node:module';
import Fastify, { type FastifyRequest } from 'fastify';
import FindMyWay from 'find-my-way';
import t from 'tap';
import { routeKeys } from '../../src/lib/route-keys.js';

// The routes and router options of the service, in small.
const ROUTER_OPTIONS = { ignoreTrailingSlash: true, maxParamLength: 300 };

async function appWithKeys() {
  const app = Fastify({ routerOptions: ROUTER_OPTIONS });
  const keys = routeKeys(app.initialConfig.routerOptions ?? {});
  app.addHook('onRoute', (r) => {
    if ([r.method].flat().includes('GET')) keys.add(r.url, r.config?.publicCache === true);
  });
  const seen: Array<{ routed: string | undefined; mirrored: string | undefined }> = [];
  const handler = async (req: FastifyRequest) => {
    seen.push({ routed: keys.keyOfRouted(req.raw.url ?? '', req.routeOptions.url, req.params), mirrored: keys.keyOf(req.raw.url ?? '') });
    return { route: req.routeOptions.url, params: req.params, query: req.query };
  };
  await app.register(
    async (a) => {
      a.get('/', { config: { publicCache: true } }, handler);
      a.get('/:idOrSlug', { config: { publicCache: true } }, handler);
      a.get('/:id/history', handler);
      a.get('/feed', handler);
    },
    { prefix: '/api/v1/articles' },
  );
  await app.ready();
  return { app, keys, seen };
}

t.test('the router copy is the very module Fastify routes with', async (t) => {
  const fastifys = createRequire(createRequire(import.meta.url).resolve('fastify'));
  t.equal(fastifys('find-my-way'), FindMyWay, 'one find-my-way: a different version would match differently');
});

t.test('every spelling of one request has one key, the one Fastify routing gives', async (t) => {
  const { app, keys, seen } = await appWithKeys();
  t.teardown(() => app.close());
  const groups: string[][] = [
    ['/api/v1/articles', '/api/v1/articles/', '/api/v1/%61rticles', '/api/v1/%61rticles/', '/api/v1/artic%6Ces', '/api/v1/artic%6ces'],
    ['/api/v1/articles/gia-lua', '/api/v1/articles/gia-lua/', '/api/v1/articles/%67ia-lua', '/api/v1/articles/gi%61-lu%61', '/api/v1/%61rticles/gia%2Dlua', '/api/v1/articles/gia%2dlua'],
    ['/api/v1/articles/a%2Fb', '/api/v1/articles/a%2fb', '/api/v1/%61rticles/a%2Fb/'],
    ['/api/v1/articles?_sort=id&_order=DESC', '/api/v1/articles?_order=DESC&_sort=id', '/api/v1/articles/?%5Fsort=%69d&_order=DESC', '/api/v1/articles?_order=%44ESC&_sort=id'],
    ['/api/v1/articles?tag=a&tag=b&x=1', '/api/v1/articles?x=1&tag=a&tag=b', '/api/v1/articles?tag=%61&x=1&tag=b'],
    ['/api/v1/articles?q=t%C3%A2n+h%E1%BB%93ng', '/api/v1/articles?q=t%c3%a2n%20h%e1%bb%93ng'],
  ];
  const keyOfGroup: string[] = [];
  for (const group of groups) {
    const found = new Set<string | undefined>();
    for (const url of group) {
      seen.length = 0;
      const res = await app.inject({ method: 'GET', url });
      t.equal(res.statusCode, 200, url);
      t.equal(seen.length, 1);
      t.equal(seen[0].routed, seen[0].mirrored, `${url}: Fastify's match and the copy's agree`);
      t.equal(keys.keyOf(url), seen[0].routed, `${url}: the same key from the raw URL alone`);
      found.add(seen[0].routed);
    }
    t.equal(found.size, 1, `one key for ${group[0]}`);
    t.not([...found][0], undefined);
    keyOfGroup.push([...found][0]!);
  }
  t.equal(new Set(keyOfGroup).size, groups.length, 'different requests, different keys');
});

t.test('what is another request keeps another key', async (t) => {
  const { keys } = await appWithKeys();
  const distinct = [
    '/api/v1/articles?tag=a&tag=b', '/api/v1/articles?tag=b&tag=a', '/api/v1/articles?tag=a', '/api/v1/articles?tag=a&tag=a',
    '/api/v1/articles?tag=a,b', '/api/v1/articles?tag=a%26tag%3Db', '/api/v1/articles/3', '/api/v1/articles/03', '/api/v1/articles/a/b',
  ];
  const found = distinct.map((u) => keys.keyOf(u));
  t.equal(found[8], undefined, 'a/b is no route');
  t.equal(new Set(found.slice(0, 8)).size, 8);
});

t.test('no key for what does not reach a cacheable route', async (t) => {
  const { app, keys } = await appWithKeys();
  t.teardown(() => app.close());
  for (const url of [
    '/api/v1/articles/3/history', '/api/v1/articles/feed', '//api/v1/articles', '/api/v1//articles', '/api/v1/articles//3',
    '/api/v1/ARTICLES', '/api/v1/articles%2F3', '/api/v1/articles/x%', '/api/v1/articles/%zz', `/api/v1/articles/${'a'.repeat(301)}`,
  ]) {
    t.equal(keys.keyOf(url), undefined, url);
  }
  t.not(keys.keyOf(`/api/v1/articles/${'a'.repeat(300)}`), undefined, 'up to maxParamLength');
  // Fastify's own answers for those: never the cacheable route.
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/articles/feed' })).json().route, '/api/v1/articles/feed');
  t.equal((await app.inject({ method: 'GET', url: '/api/v1//articles' })).statusCode, 404);
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/articles/${'a'.repeat(301)}` })).statusCode, 414);
});

t.test('a request whose routing the copy does not reproduce gets no key', async (t) => {
  const { keys } = await appWithKeys();
  t.equal(keys.keyOfRouted('/api/v1/articles/3', '/api/v1/articles', {}), undefined, 'another route');
  t.equal(keys.keyOfRouted('/api/v1/articles/3', '/api/v1/articles/:idOrSlug', { idOrSlug: '4' }), undefined, 'other params');
  t.not(keys.keyOfRouted('/api/v1/articles/3', '/api/v1/articles/:idOrSlug', { idOrSlug: '3' }), undefined);
});

t.test('a flood of spellings does not change any key', async (t) => {
  const { keys } = await appWithKeys();
  const key = keys.keyOf('/api/v1/articles/gia-lua');
  for (let i = 0; i < 12_000; i++) keys.keyOf(`/api/v1/articles/gia-lua?n=${i}`);
  t.equal(keys.keyOf('/api/v1/%61rticles/gia-lua/'), key);
  t.equal(keys.keyOf('/api/v1/articles/gia-lua?n=5'), keys.keyOf('/api/v1/articles/gia-lua?%6E=5'));
  t.not(keys.keyOf('/api/v1/articles/gia-lua?n=5'), key);
});
