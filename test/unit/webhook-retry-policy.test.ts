import t from 'tap';
import { decideOutcome, isRetryable, MAX_ATTEMPTS, RETRY_DELAYS_MS, retryDelayMs } from '../../src/modules/webhooks/retry-policy.js';

const response = (statusCode: number) => ({ kind: 'response' as const, statusCode, durationMs: 5 });
const mid = () => 0.5;

t.test('the schedule of API.md §8, about two days in all', async (t) => {
  t.same(RETRY_DELAYS_MS.map((ms) => ms / 1000), [5, 30, 120, 600, 3600, 21600, 43200, 86400]);
  t.equal(MAX_ATTEMPTS, 9);
  const total = RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
  t.ok(total > 24 * 3600_000 && total < 48 * 3600_000);
  t.equal(retryDelayMs(1, 1, mid), 5000, 'no jitter at the middle');
  t.equal(retryDelayMs(8, 1, mid), 86_400_000);
  t.equal(retryDelayMs(9, 1, mid), undefined, 'nothing after the last');
});

t.test('jitter stays within ±20 %, and the scale shrinks everything', async (t) => {
  t.equal(retryDelayMs(1, 1, () => 0), 4000);
  t.equal(retryDelayMs(1, 1, () => 1), 6000);
  t.equal(retryDelayMs(2, 0.001, mid), 30);
  for (let i = 0; i < 100; i++) {
    const d = retryDelayMs(3, 1)!;
    t.ok(d >= 96_000 && d <= 144_000);
  }
});

t.test('what is retried', async (t) => {
  for (const s of [500, 502, 503, 504, 429]) t.ok(isRetryable(response(s)), String(s));
  for (const s of [400, 401, 403, 404, 410, 413, 301, 302]) t.notOk(isRetryable(response(s)), String(s));
  t.ok(isRetryable({ kind: 'timeout', error: 'slow', durationMs: 10_000 }));
  t.ok(isRetryable({ kind: 'network', error: 'ECONNREFUSED', durationMs: 1 }));
  t.ok(isRetryable({ kind: 'refused', error: 'loopback', durationMs: 1 }));
});

t.test('outcomes', async (t) => {
  t.same(decideOutcome(response(204), 1), { status: 'delivered' });
  t.same(decideOutcome(response(500), 1, 1, mid), { status: 'pending', retryInMs: 5000, error: 'The receiver answered 500.' });
  t.same(decideOutcome(response(500), 9, 1, mid), { status: 'failed', error: 'The receiver answered 500.' }, 'the ninth failure is final');
  t.same(decideOutcome(response(404), 1), { status: 'failed', error: 'The receiver answered 404.' }, 'a 4xx fails at once');
  t.match(decideOutcome(response(301), 1), { status: 'failed', error: /redirects are not followed/ });
  t.match(decideOutcome({ kind: 'timeout', error: 'No answer within 10000 ms.', durationMs: 10_000 }, 2, 1, mid), { status: 'pending', retryInMs: 30_000, error: /10000 ms/ });
});
