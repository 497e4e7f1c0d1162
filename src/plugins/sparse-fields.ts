// `fields` (API.md §10) on every GET under /api/v1 that answers a record or a list of records.
// Each such route gets the parameter in its query schema (so OpenAPI shows it, with the names
// it takes), the parameter is parsed once before the handler (a bad name is a 400 before any
// database work), and the answer is cut down to those fields before its ETag is computed and
// before the public cache stores it: both then vary by it. The names a route takes come from
// its response schema, or, where one URL has two shapes (articles), from its config. A handler
// that selects the fields itself (the public article lists, in SQL) says so with fieldsApplied.
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { FIELDS_PARAM, parseFields, projectJson } from '../lib/sparse-fields.js';

/** The field names of a route whose shape depends on who asks. */
export interface RouteFields {
  anonymous: readonly string[];
  staff: readonly string[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    fields?: RouteFields;
  }
  interface FastifyRequest {
    /** The fields the client chose, in the record's order (`id` included); undefined: all. */
    fields: string[] | undefined;
  }
}

type Schema = Record<string, unknown>;

/** The properties of the records a 200 schema describes: an object, or an array of objects. */
function recordFieldsOf(schema: Schema | undefined): string[] | undefined {
  if (!schema) return undefined;
  const record = schema.type === 'array' ? (schema.items as Schema | undefined) : schema;
  if (record?.type !== 'object' || record.properties === null || typeof record.properties !== 'object') return undefined;
  return Object.keys(record.properties);
}

const applied = new WeakSet<FastifyRequest>();

/** The handler has answered with only request.fields: the answer is not cut again. */
export function fieldsApplied(request: FastifyRequest): void {
  applied.add(request);
}

function describe(names: RouteFields): string {
  const list = (n: readonly string[]) => n.map((f) => `\`${f}\``).join(', ');
  const same = names.anonymous.length === names.staff.length && names.anonymous.every((f, i) => f === names.staff[i]);
  const which = same ? list(names.anonymous) : `anonymous readers: ${list(names.anonymous)}; staff: ${list(names.staff)}`;
  return `Comma-separated fields to return (\`id\` is always included); any other name is a 400. Fields: ${which}.`;
}

/** Adds `fields` to the route's query schema, keeping the parameters it has. */
function withFieldsParam(querystring: Schema | undefined, names: RouteFields): Schema {
  const param = { type: 'string', description: describe(names) };
  if (!querystring) return { type: 'object', properties: { [FIELDS_PARAM]: param } };
  return { ...querystring, properties: { ...(querystring.properties as Schema | undefined), [FIELDS_PARAM]: param } };
}

/** Register before the OpenAPI plugin (it reads the schemas this adds to) and before the ETag hook. */
export function registerSparseFields(app: FastifyInstance): void {
  app.decorateRequest('fields', undefined);
  const routeNames = new Map<string, RouteFields>();

  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const schema = route.schema as Schema | undefined;
    if (!methods.includes('GET') || !route.url.startsWith('/api/v1') || schema?.hide) return;
    let names = route.config?.fields;
    if (!names) {
      const own = recordFieldsOf((schema?.response as Record<string, Schema> | undefined)?.['200']);
      if (!own) return;
      names = { anonymous: own, staff: own };
    }
    routeNames.set(route.url, names);
    route.schema = { ...schema, querystring: withFieldsParam(schema?.querystring as Schema | undefined, names) } as RouteOptions['schema'];
  });

  app.addHook('preHandler', async (request) => {
    const names = request.routeOptions.url === undefined ? undefined : routeNames.get(request.routeOptions.url);
    if (!names || request.method !== 'GET' && request.method !== 'HEAD') return;
    const raw = (request.query as Record<string, unknown> | undefined)?.[FIELDS_PARAM];
    request.fields = parseFields(raw, request.actor ? names.staff : names.anonymous);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const fields = request.fields;
    if (!fields || applied.has(request) || reply.statusCode !== 200) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    return projectJson(payload, fields);
  });
}
