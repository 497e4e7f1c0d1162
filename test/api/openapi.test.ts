// The OpenAPI document describes the API a user meets (issue 16 item 12): it validates, public
// operations carry no lock, every list documents its headers, every operation its problems, and
// the description explains auth, the list dialects, errors and the workflow.
import t from 'tap';
import { validate, compileErrors } from '@readme/openapi-parser';
import { createTestApp } from '../helpers/app.js';
import { RULES } from '../../src/workflow/machine.js';

const ta = await createTestApp();
t.teardown(() => ta.close());
const spec = (await ta.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();

type Op = { security?: unknown[]; responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema: Record<string, unknown> }>; $ref?: string }> };
const operations: Array<[string, string, Op]> = Object.entries(spec.paths as Record<string, Record<string, Op>>).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => [method.toUpperCase(), path, op] as [string, string, Op]),
);

t.test('the document is valid OpenAPI 3.1', async (t) => {
  const result = await validate(structuredClone(spec));
  t.ok(result.valid, result.valid ? 'valid' : compileErrors(result));
});

t.test('public operations carry no lock, staff ones the bearer scheme', async (t) => {
  const security = (method: string, path: string) => operations.find(([m, p]) => m === method && p.replace(/\/$/, '') === path)?.[2].security;
  for (const [m, p] of [['GET', '/health'], ['GET', '/ready'], ['GET', '/api/v1/articles'], ['GET', '/api/v1/articles/{idOrSlug}'], ['GET', '/api/v1/categories'], ['POST', '/api/v1/auth/login'], ['GET', '/api/v1/preview/{token}']]) {
    t.same(security(m, p), [], `${m} ${p} is public`);
  }
  t.same(spec.security, [{ bearer: [] }], 'staff operations inherit the lock');
  for (const [m, p] of [['GET', '/api/v1/users'], ['POST', '/api/v1/articles'], ['GET', '/api/v1/media']]) {
    t.equal(security(m, p), undefined, `${m} ${p} keeps the lock`);
  }
});

t.test('lists document their headers; every operation its problems', async (t) => {
  for (const [method, path, op] of operations) {
    const problem = op.responses['4XX'];
    t.ok(problem?.content?.['application/json']?.schema?.$ref?.toString().endsWith('Problem'), `${method} ${path} documents problems`);
    const ok = op.responses['200'];
    const schema = ok?.content?.['application/json']?.schema;
    const isArray = schema && (schema.type === 'array' || (Array.isArray(schema.anyOf) && (schema.anyOf as Array<{ type?: string }>).every((s) => s.type === 'array')));
    if (isArray) t.ok(ok.headers?.['x-total-count'] && ok.headers['content-range'] && ok.headers.link, `${method} ${path} documents list headers`);
  }
  const problem = spec.components.schemas.Problem;
  t.equal(problem.properties.errors.type, 'object', 'errors is an object keyed by field path');
  t.ok(['type', 'title', 'status', 'detail', 'message', 'code'].every((k) => problem.required.includes(k)));
});

t.test('the description explains the API without API.md', async (t) => {
  const d: string = spec.info.description;
  t.notMatch(d, /API\.md/);
  for (const needle of ['Authorization: Bearer', '_start=0&_end=25', 'range=[0,24]', 'application/problem+json', 'X-Total-Count', 'If-Match']) t.match(d, needle);
  for (const action of Object.keys(RULES)) t.match(d, `| \`${action}\` |`, `workflow row for ${action}`);
  t.match(d, '| `publish` | approved | published or scheduled | editor, admin |');
});

t.test('fields, url and seo are documented (API.md §10)', async (t) => {
  type Param = { name: string; in: string; description?: string };
  const params = (method: string, path: string) =>
    ((spec.paths as Record<string, Record<string, { parameters?: Param[] }>>)[path]?.[method.toLowerCase()]?.parameters ?? []).filter((p) => p.in === 'query');
  for (const path of ['/api/v1/articles', '/api/v1/articles/{idOrSlug}', '/api/v1/categories', '/api/v1/users/{id}', '/api/v1/media', '/api/v1/preview/{token}']) {
    const fields = params('GET', path).find((p) => p.name === 'fields');
    t.ok(fields, `GET ${path} takes fields`);
    t.match(fields?.description ?? '', /`id` is always included/, path);
  }
  t.match(params('GET', '/api/v1/articles').find((p) => p.name === 'fields')?.description, /anonymous readers: .*`url`.*`seo`.*; staff: .*`status`/);
  t.notOk(params('POST', '/api/v1/articles').some((p) => p.name === 'fields'), 'writes do not take it');
  const ok = (path: string) => JSON.stringify((spec.paths as Record<string, Record<string, Op>>)[path].get.responses['200']);
  t.match(ok('/api/v1/articles/{idOrSlug}'), /"url".*"seo".*"canonicalUrl"/, 'articles have url and seo');
  t.match(ok('/api/v1/articles/{idOrSlug}'), /"ogImageId"/, 'staff articles have the stored settings');
  t.match(ok('/api/v1/categories/{idOrSlug}'), /"url"/, 'categories have url');
});
