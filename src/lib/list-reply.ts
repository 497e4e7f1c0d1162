// The list response headers of API.md §2: X-Total-Count, Content-Range and Link.
import type { FastifyReply, FastifyRequest } from 'fastify';

import { PAGE_KEYS } from './list-query.js';
import type { ListPlan } from './list-sql.js';

/**
 * Sets X-Total-Count, Content-Range and Link. The next link carries a keyset cursor when the
 * sort allows it (its cost does not grow with depth), else _start/_end.
 */
export function setListHeaders<T>(request: FastifyRequest, reply: FastifyReply, resource: string, plan: ListPlan, rows: T[], total: number): void {
  const { start, limit } = plan;
  const count = rows.length;
  reply.header('x-total-count', String(total));
  reply.header('content-range', count > 0 ? `${resource} ${start}-${start + count - 1}/${total}` : `${resource} */${total}`);
  const links: string[] = [];
  if (limit > 0 && count > 0 && start + count < total) {
    const next = plan.cursorAfter
      ? pageUrl(request, { _cursor: plan.cursorAfter(rows[count - 1] as Record<string, unknown>), _limit: String(limit) })
      : pageUrl(request, { _start: String(start + limit), _end: String(start + 2 * limit) });
    links.push(`<${next}>; rel="next"`);
  }
  if (limit > 0 && start > 0) {
    const prev = Math.max(0, start - limit);
    links.push(`<${pageUrl(request, { _start: String(prev), _end: String(prev + limit) })}>; rel="prev"`);
  }
  if (links.length) reply.header('link', links.join(', '));
}

function pageUrl(request: FastifyRequest, params: Record<string, string>): string {
  const url = new URL(request.url, 'http://x');
  for (const k of PAGE_KEYS) url.searchParams.delete(k);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return `${url.pathname}${url.search}`;
}

/** Sets the list headers and returns the page's rows as the response body. */
export function sendList<T>(request: FastifyRequest, reply: FastifyReply, resource: string, result: { rows: T[]; total: number; plan: ListPlan }): T[] {
  setListHeaders(request, reply, resource, result.plan, result.rows, result.total);
  return result.rows;
}
