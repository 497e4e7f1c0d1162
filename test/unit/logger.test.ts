import { DrizzleQueryError } from 'drizzle-orm';
import t from 'tap';
import { maskUrl, serializeError } from '../../src/logger.js';

t.test('a failed query does not log its parameters (secrets, hashes)', async (t) => {
  const cause = Object.assign(new Error('relation "webhooks" does not exist'), { code: '42P01' });
  const err = new DrizzleQueryError('insert into "webhooks" ("url", "secret") values ($1, $2)', ['https://x.example', 'whsec_TOPSECRET'], cause);
  t.match(err.message, /whsec_TOPSECRET/, 'drizzle puts them in the message');
  const out = JSON.stringify(serializeError(new Error('wrapped', { cause: err })));
  const direct = serializeError(err);
  t.notMatch(JSON.stringify(direct), /TOPSECRET/);
  t.notMatch(out, /TOPSECRET/);
  t.match(direct.message, /^Failed query: insert into "webhooks"[\s\S]*params: \[redacted\]$/, 'the query itself stays');
  t.match(JSON.stringify(direct), /42P01|does not exist/, 'the cause stays');
});

t.test('preview tokens in URLs are masked', async (t) => {
  t.equal(maskUrl('/api/v1/preview/abc?x=1'), '/api/v1/preview/***?x=1');
  t.equal(maskUrl('/draft?token=abc&slug=x'), '/draft?token=***&slug=x');
});
