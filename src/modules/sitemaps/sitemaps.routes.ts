// GET /api/v1/sitemaps/index.xml, articles-YYYY-MM[-N].xml, categories.xml, news.xml (API.md §10).
// Public like every read: Cache-Control, ETag and Last-Modified with 304s, CORS, and the
// surrogate key `sitemaps` (with `articles` / `categories`, which every change of what they list
// purges). The index is kept in the in-process cache; streamed files are not (they can be
// megabytes), nor is news.xml (articles leave it by age alone, which no event announces).
import { Readable } from 'node:stream';
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { httpDate, isNotModified } from '../../lib/conditional-get.js';
import { notFound } from '../../lib/problem.js';
import { setSurrogateKeys } from '../../lib/surrogate-keys.js';
import { ARTICLES, CATEGORIES } from '../cache-keys.js';
import { documentResponse } from '../feeds/feeds.schemas.js';
import { XML_TYPE } from './sitemap-xml.js';
import { categoriesSitemap, monthSitemap, newsSitemap, sitemapIndex, type StreamedSitemap } from './sitemaps.service.js';

const SITEMAPS = 'sitemaps';
const tags = ['sitemaps'];

function sendStreamed(req: FastifyRequest, reply: FastifyReply, file: StreamedSitemap) {
  reply.header('etag', file.etag);
  if (file.lastModified) reply.header('last-modified', httpDate(file.lastModified));
  if (isNotModified(req.headers, file.etag, reply.getHeader('last-modified'))) return reply.code(304).send();
  reply.type(XML_TYPE);
  return reply.send(Readable.from(file.body(), { objectMode: false }));
}

export const sitemapsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/index.xml',
    { config: { access: 'public', publicCache: true }, schema: { tags, summary: 'The sitemap index', response: { 200: documentResponse('application/xml', 'A sitemap index of every month’s article files, categories.xml and news.xml.') } } },
    async (_req, reply) => {
      const { xml, lastModified } = await sitemapIndex(ctx);
      setSurrogateKeys(reply, [SITEMAPS, ARTICLES, CATEGORIES]);
      if (lastModified) reply.header('last-modified', httpDate(lastModified));
      reply.type(XML_TYPE);
      return Buffer.from(xml);
    },
  );

  app.get(
    '/news.xml',
    { config: { access: 'public' }, schema: { tags, summary: 'The Google News sitemap', response: { 200: documentResponse('application/xml', 'Live articles published in the last 48 hours (at most 1,000), with news:publication, news:publication_date and news:title.') } } },
    async (_req, reply) => {
      const { xml } = await newsSitemap(ctx);
      // Not a key per article: 1,000 of them would pass the 16 KB header limits of CDNs and clients.
      setSurrogateKeys(reply, [SITEMAPS, ARTICLES]);
      reply.type(XML_TYPE);
      return Buffer.from(xml);
    },
  );

  app.get(
    '/categories.xml',
    { config: { access: 'public' }, schema: { tags, summary: 'The categories’ pages', response: { 200: documentResponse('application/xml', 'Every category’s url and lastmod.') } } },
    async (req, reply) => {
      setSurrogateKeys(reply, [SITEMAPS, CATEGORIES]);
      return sendStreamed(req, reply, await categoriesSitemap(ctx));
    },
  );

  app.get(
    '/:file',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'A month of articles',
        params: Type.Object({ file: Type.String({ maxLength: 64, description: '`articles-YYYY-MM.xml`, then `articles-YYYY-MM-2.xml`, … past 50,000 URLs (months in SITE_TIME_ZONE).' }) }),
        response: { 200: documentResponse('application/xml', 'Each live article’s url, lastmod and cover (image:image), oldest first; streamed.') },
      },
    },
    async (req, reply) => {
      const file = await monthSitemap(ctx, req.params.file);
      if (!file) throw notFound('Sitemap');
      setSurrogateKeys(reply, [SITEMAPS, ARTICLES]);
      return sendStreamed(req, reply, file);
    },
  );
};
