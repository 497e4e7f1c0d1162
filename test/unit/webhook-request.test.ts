import t from 'tap';
import { buildRequest } from '../../src/modules/webhooks/delivery-attempt.js';
import { verifySignature } from '../../src/modules/webhooks/signature.js';

const delivery = {
  id: '0b8f5f3e-7c1d-4a57-9d55-0c1f3b0e9a51', webhookId: 3, attempts: 2, url: 'https://example.org/hook', secret: 'whsec_x',
  eventType: 'article.published', eventCreatedAt: new Date('2026-11-26T08:38:48.340Z'), data: { id: 7, title: 'Tân Hồng' },
  purgeKeys: ['article-7', 'articles', 'category-2'],
};

t.test('body and headers of a delivery', async (t) => {
  const at = new Date('2026-11-26T08:40:00.000Z');
  const { body, headers } = buildRequest(delivery, at);
  t.same(JSON.parse(body), {
    id: delivery.id, type: 'article.published', createdAt: '2026-11-26T08:38:48.340Z', data: { id: 7, title: 'Tân Hồng' },
    purge: { keys: ['article-7', 'articles', 'category-2'] },
  });
  t.match(headers, {
    'content-type': 'application/json', 'user-agent': 'toasoan-webhooks/1', 'x-toasoan-event': 'article.published',
    'x-toasoan-delivery': delivery.id, 'x-toasoan-signature': /^t=1795682400,v1=[0-9a-f]{64}$/,
  });
  t.ok(verifySignature('whsec_x', body, headers['x-toasoan-signature'], at));
  t.notMatch(JSON.stringify(headers), /whsec_x/, 'the secret is not sent');
});

t.test('a retry sends the same body with a fresh signature', async (t) => {
  const first = buildRequest(delivery, new Date('2026-11-26T08:40:00Z'));
  const later = buildRequest(delivery, new Date('2026-11-26T09:40:00Z'));
  t.equal(later.body, first.body);
  t.equal(later.headers['x-toasoan-delivery'], first.headers['x-toasoan-delivery']);
  t.not(later.headers['x-toasoan-signature'], first.headers['x-toasoan-signature']);
});
