// The OpenAPI 3.1 document generated from the TypeBox route schemas, and a browsable reference.
// Every operation gets what its route implies: public ones no lock, every one the problem
// responses, lists their count and paging headers (a generated client then types a list as an
// array plus headers, and an error as a problem).
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Config } from '../config.js';
import { Problem } from '../lib/schemas.js';

const PROBLEM_REF = { $ref: 'Problem#' };

const LIST_HEADERS = {
  'x-total-count': { type: 'integer', description: 'Number of records matching the filters.' },
  'content-range': { type: 'string', description: '`<resource> <first>-<last>/<total>`, or `<resource> */<total>` for an empty page.' },
  link: { type: 'string', description: '`rel="next"` and `rel="prev"` page URLs, where they exist.' },
};

type Schema = Record<string, unknown>;

/** An array, or a choice of arrays (the staff and public shapes of one list). */
const isList = (s: Schema): boolean => s.type === 'array' || (Array.isArray(s.anyOf) && s.anyOf.length > 0 && (s.anyOf as Schema[]).every(isList));

function documented(schema: Schema | undefined, isPublic: boolean): Schema {
  const out: Schema = { ...schema };
  if (isPublic) out.security = [];
  const response: Record<string, Schema> = { ...(schema?.response as Record<string, Schema> | undefined) };
  const ok = response['200'];
  if (ok && !ok.headers && isList(ok)) response['200'] = { ...ok, headers: LIST_HEADERS };
  response['4XX'] ??= { ...PROBLEM_REF, description: 'A problem: see `code` and `errors`.' };
  response['5XX'] ??= { ...PROBLEM_REF, description: 'The database is unavailable or a statement timed out (`Retry-After`).' };
  out.response = response;
  return out;
}

export async function registerOpenApi(app: FastifyInstance, config: Config, description: string): Promise<void> {
  app.addSchema({ ...Problem, $id: 'Problem', title: 'Problem' });
  // Runs before Fastify compiles the route's schemas, and before @fastify/swagger reads them.
  app.addHook('onRoute', (route: RouteOptions) => {
    if ((route.schema as Schema | undefined)?.hide) return;
    // Outside /api/v1 only /health and /ready are documented, and they are public.
    const isPublic = route.config?.access === 'public' || !route.url.startsWith('/api/v1');
    route.schema = documented(route.schema as Schema | undefined, isPublic) as RouteOptions['schema'];
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Tòa Soạn CMS API', version: '1', description },
      servers: [{ url: config.publicUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A token from POST /api/v1/auth/login.' } } },
      security: [{ bearer: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    uiConfig: { docExpansion: 'list', deepLinking: true },
  });
  app.get('/api/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
}
