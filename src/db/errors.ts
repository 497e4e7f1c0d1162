// What a database failure means, read from its code: the driver (postgres.js, PGlite) and Drizzle
// wrap PostgreSQL's SQLSTATE differently, and callers in every layer (the error handler, slug
// allocation) must read it the same way.

/** Codes of a lost or refused connection: the driver's own and PostgreSQL's admin shutdowns/too many clients. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'CONNECTION_CLOSED', 'CONNECTION_ENDED',
  'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', '57P01', '57P02', '57P03', '53300',
]);

/** The PostgreSQL/driver error code, looking through Drizzle's wrapping. */
export function dbErrorCode(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (typeof e.code === 'string' && (/^[0-9A-Z]{5}$/.test(e.code) || CONNECTION_CODES.has(e.code))) return e.code;
  }
  return undefined;
}

/** The database could not be reached or dropped the connection (class 08 included): worth a retry later. */
export function isConnectionFailure(code: string): boolean {
  return CONNECTION_CODES.has(code) || code.startsWith('08');
}
