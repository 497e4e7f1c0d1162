// One attempt at one delivery: build the signed request, send it, decide what comes next and
// write that down. The log lines name the delivery, never the secret or the signature.
import type { AppContext } from '../../context.js';
import { type AttemptRecord, type ClaimedDelivery, recordAttempt } from './deliveries.queries.js';
import { decideOutcome, type Outcome } from './retry-policy.js';
import { signPayload } from './signature.js';
import { postJson } from './webhook-http.js';

export const USER_AGENT = 'toasoan-webhooks/1';

/** The request body is identical on every attempt; only the signature's timestamp moves. */
export function buildRequest(c: ClaimedDelivery, at: Date): { body: string; headers: Record<string, string> } {
  // `purge.keys`: the surrogate keys to purge from a CDN (API.md §10).
  const body = JSON.stringify({ id: c.id, type: c.eventType, createdAt: c.eventCreatedAt.toISOString(), data: c.data, purge: { keys: c.purgeKeys } });
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'x-toasoan-event': c.eventType,
      'x-toasoan-delivery': c.id,
      'x-toasoan-signature': signPayload(c.secret, body, at),
    },
  };
}

export async function attemptDelivery(ctx: AppContext, c: ClaimedDelivery): Promise<Outcome> {
  const { body, headers } = buildRequest(c, ctx.now());
  const { webhookTimeoutMs, webhookAllowPrivateTargets, webhookRetryScale } = ctx.config;
  const result = await postJson(c.url, body, headers, { timeoutMs: webhookTimeoutMs, allowPrivate: webhookAllowPrivateTargets });
  const outcome = decideOutcome(result, c.attempts, webhookRetryScale);
  const now = ctx.now();
  const record: AttemptRecord = {
    status: outcome.status,
    nextAttemptAt: outcome.status === 'pending' ? new Date(now.getTime() + outcome.retryInMs) : null,
    lastStatusCode: result.kind === 'response' ? result.statusCode : null,
    lastDurationMs: result.durationMs,
    lastError: outcome.status === 'delivered' ? null : outcome.error,
  };
  await recordAttempt(ctx.db, c.id, c.attempts, record, now);
  const log = { webhookId: c.webhookId, deliveryId: c.id, event: c.eventType, attempt: c.attempts, statusCode: record.lastStatusCode, durationMs: result.durationMs };
  if (outcome.status === 'delivered') ctx.log.debug(log, 'webhook delivered');
  else if (outcome.status === 'pending') ctx.log.info({ ...log, error: outcome.error, retryInMs: outcome.retryInMs }, 'webhook attempt failed; will retry');
  else ctx.log.warn({ ...log, error: outcome.error }, 'webhook delivery failed for good');
  return outcome;
}
