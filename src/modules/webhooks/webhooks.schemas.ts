import { Type } from '@fastify/type-provider-typebox';
import { EVENT_TYPES, type EventType } from '../../events/outbox.js';
import { Id, IdParams, Nullable, OptionalText, ReadOnlyOnWrite, RecordMeta, StringEnum, Timestamp, VersionPrecondition } from '../../lib/schemas.js';
import { DELIVERY_STATUSES } from '../../db/schema/delivery-status.js';

/** What a webhook may subscribe to: every event type but `ping`, which every webhook gets. */
export const SUBSCRIBABLE_EVENTS = EVENT_TYPES.filter((t): t is Exclude<EventType, 'ping'> => t !== 'ping');

const fields = {
  url: Type.String({ minLength: 1, maxLength: 2048, description: 'http(s) URL of the receiver' }),
  events: Type.Array(StringEnum(SUBSCRIBABLE_EVENTS), { minItems: 1, maxItems: SUBSCRIBABLE_EVENTS.length * 2 }),
  active: Type.Boolean(),
  description: Type.String({ maxLength: 1000 }),
};

export const Webhook = Type.Object(
  { ...RecordMeta, url: Type.String(), events: Type.Array(Type.String()), active: Type.Boolean(), description: Type.String() },
  { title: 'Webhook' },
);

/** Only the create and rotate-secret responses carry the secret. */
export const WebhookWithSecret = Type.Object(
  { ...Webhook.properties, secret: Type.String({ description: 'HMAC key for X-Toasoan-Signature; shown only now' }) },
  { title: 'WebhookWithSecret' },
);

/** `secret` comes back from admin UIs that kept the create response; it is never written. */
const readOnly = { ...ReadOnlyOnWrite, secret: Type.Optional(Type.Unknown()) };

export const CreateWebhookBody = Type.Object(
  {
    url: fields.url,
    events: fields.events,
    active: Type.Optional(fields.active),
    description: OptionalText(fields.description),
    ...readOnly,
    ...VersionPrecondition,
  },
  { additionalProperties: false },
);

/** The same fields, each optional (Partial keeps no options: extra properties stay refused). */
export const UpdateWebhookBody = Type.Partial(CreateWebhookBody, { additionalProperties: false });

export const Delivery = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'Also X-Toasoan-Delivery and the payload id' }),
    webhookId: Id,
    eventId: Id,
    event: Type.String({ description: 'The event type' }),
    status: StringEnum(DELIVERY_STATUSES),
    attempts: Type.Integer(),
    lastStatusCode: Nullable(Type.Integer()),
    lastDurationMs: Nullable(Type.Integer()),
    lastError: Nullable(Type.String()),
    nextAttemptAt: Nullable(Timestamp),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'WebhookDelivery' },
);

export const DeliveryParams = Type.Object({
  ...IdParams.properties,
  deliveryId: Type.String({ format: 'uuid', description: 'Delivery id' }),
});
