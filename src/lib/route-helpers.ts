import type { FastifyReply, FastifyRequest } from 'fastify';
import { markRecord } from './record.js';

export const idOf = (request: FastifyRequest): number => (request.params as { id: number }).id;
export const ifMatchOf = (request: FastifyRequest): string | undefined => {
  const h = request.headers['if-match'];
  return Array.isArray(h) ? h.join(',') : h;
};
export const queryOf = (request: FastifyRequest) => request.query as Record<string, string | string[] | undefined>;

export function sendCreated<T extends object>(reply: FastifyReply, location: string, record: T) {
  markRecord(reply, record);
  return reply.code(201).header('location', location).send(record);
}

/** Serialises with a schema chosen at request time (public vs staff shape of one URL). */
export function useSchema(reply: FastifyReply, schema: object): FastifyReply {
  return reply.serializer(reply.compileSerializationSchema(schema as Record<string, unknown>, '200')).type('application/json; charset=utf-8');
}
