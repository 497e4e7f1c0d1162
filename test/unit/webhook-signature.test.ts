import { createHmac } from 'node:crypto';
import t from 'tap';
import { newWebhookSecret, signPayload, verifySignature } from '../../src/modules/webhooks/signature.js';

const secret = 'whsec_test';
const body = '{"id":"d1","type":"ping","createdAt":"2026-11-26T00:00:00.000Z","data":{"tiêu đề":"Tân Hồng"}}';
const at = new Date('2026-11-26T08:00:00.000Z');

t.test('t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>', async (t) => {
  const header = signPayload(secret, body, at);
  const expected = createHmac('sha256', secret).update(`1795680000.${body}`, 'utf8').digest('hex');
  t.equal(header, `t=1795680000,v1=${expected}`);
});

t.test('verification: right secret and body within the tolerance only', async (t) => {
  const header = signPayload(secret, body, at);
  t.ok(verifySignature(secret, body, header, at));
  t.ok(verifySignature(secret, body, header, new Date(at.getTime() + 299_000)));
  t.notOk(verifySignature(secret, body, header, new Date(at.getTime() + 301_000)), 'too old: a replay');
  t.notOk(verifySignature('whsec_other', body, header, at));
  t.notOk(verifySignature(secret, body.replace('Tân', 'Tan'), header, at), 'a changed body');
  t.notOk(verifySignature(secret, body, header.replace(/t=\d+/, 't=1795680001'), at), 'a changed timestamp');
  t.notOk(verifySignature(secret, body, 'garbage', at));
  t.notOk(verifySignature(secret, body, 't=1795680000,v1=abcd', at), 'a short signature');
});

t.test('secrets are random and long', async (t) => {
  const a = newWebhookSecret();
  t.match(a, /^whsec_[A-Za-z0-9_-]{43}$/);
  t.not(a, newWebhookSecret());
});
