// The list response headers of API.md §2: X-Total-Count, Content-Range and Link.
import type { FastifyReply, FastifyRequest } from 'fastify';

const PAGE_KEYS = ['_start', '_end', '_page', '_limit', '_per_page', 'range'];

export function setListHeaders(
  request: FastifyRequest,
  reply: FastifyReply,
  resource: string,
  page: { offset: number; limit: number; count: number; total: number },
): void {
  const { offset, limit, count, total } = page;
  reply.header('x-total-count', String(total));
  reply.header('content-range', count > 0 ? `${resource} ${offset}-${offset + count - 1}/${total}` : `${resource} */${total}`);
  const links: string[] = [];
  if (limit > 0 && offset + count < total) links.push(`<${pageUrl(request, offset + limit, limit)}>; rel="next"`);
  if (limit > 0 && offset > 0) links.push(`<${pageUrl(request, Math.max(0, offset - limit), limit)}>; rel="prev"`);
  if (links.length) reply.header('link', links.join(', '));
}

function pageUrl(request: FastifyRequest, start: number, limit: number): string {
  const url = new URL(request.url, 'http://x');
  for (const k of PAGE_KEYS) url.searchParams.delete(k);
  url.searchParams.set('_start', String(start));
  url.searchParams.set('_end', String(start + limit));
  return `${url.pathname}${url.search}`;
}

/** Sets the list headers and returns the page's rows as the response body. */
export function sendList<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  resource: string,
  result: { rows: T[]; total: number; plan: { offset: number; limit: number } },
): T[] {
  setListHeaders(request, reply, resource, { offset: result.plan.offset, limit: result.plan.limit, count: result.rows.length, total: result.total });
  return result.rows;
}
