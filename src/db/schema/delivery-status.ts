// Delivery statuses, defined once for the database enum and the API schemas. A plain constant with
// no Drizzle import, so the webhook module's schemas and rules can use it without the table.
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
