// GET /api/v1/feeds/articles.rss|.atom|.json (API.md §10): public, cached like every public read
// (Cache-Control, ETag/304, the in-process cache under the articles' surrogate keys), with
// Last-Modified/304 besides.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../context.js';
import { httpDate } from '../../lib/conditional-get.js';
import { setSurrogateKeys } from '../../lib/surrogate-keys.js';
import { articleListKeys } from '../cache-keys.js';
import { ATOM_TYPE, atomDocument } from './atom.js';
import type { Feed } from './feed-model.js';
import { documentResponse, FeedQuerystring } from './feeds.schemas.js';
import { feedDocument } from './feeds.service.js';
import { JSON_FEED_TYPE, jsonFeedDocument } from './json-feed.js';
import { RSS_TYPE, rssDocument } from './rss.js';

const FORMATS: Array<{ ext: string; type: string; name: string; write: (feed: Feed) => string }> = [
  { ext: 'rss', type: RSS_TYPE, name: 'RSS 2.0', write: rssDocument },
  { ext: 'atom', type: ATOM_TYPE, name: 'Atom 1.0', write: atomDocument },
  { ext: 'json', type: JSON_FEED_TYPE, name: 'JSON Feed 1.1', write: jsonFeedDocument },
];

export const feedsRoutes: FastifyPluginAsyncTypebox<{ ctx: AppContext }> = async (app, { ctx }) => {
  for (const format of FORMATS) {
    app.get(
      `/articles.${format.ext}`,
      {
        config: { access: 'public', publicCache: true },
        schema: {
          tags: ['feeds'],
          summary: `The newest live articles as ${format.name}`,
          querystring: FeedQuerystring,
          response: { 200: documentResponse(format.type.split(';')[0], `${format.name}: title, link, id, dates, summary, body (absolute URLs), cover, credits and category of each article.`) },
        },
      },
      async (req, reply) => {
        const doc = await feedDocument(ctx, format.ext, format.write, req.query);
        setSurrogateKeys(reply, articleListKeys(doc.articleIds));
        if (doc.updatedAt) reply.header('last-modified', httpDate(doc.updatedAt));
        reply.type(format.type);
        return doc.bytes;
      },
    );
  }
};
