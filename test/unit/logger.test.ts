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

t.test('tokens are masked however the URL spells them', async (t) => {
  const secret = 'tsp_Sm9pbnRfc2VjcmV0X3ByZXZpZXdfdG9rZW5fMTIzNDU2Nzg';
  const spellings = [
    `/api/v1/%70review/${secret}`,
    `/api/v1/%50review/${secret}`,
    `/api/v1/preview/%74sp_${secret.slice(4)}`,
    `/api/v1/%2570review/%2574${secret.slice(1)}`,
    `/api/v1/preview/${secret.slice(0, 10)}%${secret.charCodeAt(10).toString(16)}${secret.slice(11)}`,
    `/api/v1/prevew/${secret}`,
    `/api/v1/articles?x=${secret}`,
    `/draft?%74oken=${secret.slice(4)}`,
    `/draft?slug=a&access_token=${secret.slice(4)}`,
    `/draft?slug=a;preview_TOKEN=${secret.slice(4)}`,
  ];
  for (const url of spellings) t.notMatch(maskUrl(url), secret.slice(4, 30), url);
  t.notMatch(maskUrl('/x?t=tsn_QmVhcmVyLXRva2VuLXNlY3JldA'), 'QmVhcmVy', 'bearer-shaped tokens too');
  t.equal(maskUrl('/api/v1/articles/k%E1%BB%B3-h%E1%BB%8Dp?a=%zz%E0'), '/api/v1/articles/kỳ-họp?a=%zz%E0', 'the rest reads decoded; malformed escapes stay');
  const err = serializeError(new Error(`Route GET:/api/v1/%70review/${secret} failed`));
  t.notMatch(JSON.stringify(err), secret.slice(4, 30), 'error messages are masked too');
});
