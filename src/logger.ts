// pino settings: request ids, and nothing secret in a log line (API.md §4).
import type { FastifyServerOptions } from 'fastify';
import { stdSerializers } from 'pino';

/** Masks tokens that can appear in a URL (preview links) before the URL is logged. */
export function maskUrl(url: string): string {
  return url.replace(/(\/preview\/)[^/?#]+/g, '$1***').replace(/([?&](?:token|access_token)=)[^&#]*/gi, '$1***');
}

// Drizzle's query errors repeat the query's parameters in their message, stack and `params`:
// a failed insert of a webhook secret, a password hash or a token hash would log it.
const PARAMS = /\nparams: [\s\S]*?(?=\n\s+at |$)/;

/** pino's error serializer, without query parameters at any depth of `cause`. */
export function serializeError(err: Error): ReturnType<typeof stdSerializers.err> {
  const out = stdSerializers.err(err);
  const scrub = (o: Record<string, unknown>, depth: number): void => {
    if ('params' in o) o.params = '[redacted]';
    for (const key of ['message', 'stack'] as const) {
      if (typeof o[key] === 'string') o[key] = (o[key] as string).replace(PARAMS, '\nparams: [redacted]');
    }
    if (depth < 5 && o.cause && typeof o.cause === 'object') scrub(o.cause as Record<string, unknown>, depth + 1);
  };
  scrub(out as unknown as Record<string, unknown>, 0);
  return out;
}

export function loggerOptions(level: string, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        'password',
        'passwordHash',
        'token',
        'secret',
        '*.password',
        '*.passwordHash',
        '*.token',
        '*.tokenHash',
        '*.secret',
      ],
      censor: '[redacted]',
    },
    serializers: {
      err: serializeError,
      req: (req: { method: string; url: string; ip?: string; id?: string }) => ({ method: req.method, url: maskUrl(req.url), remoteAddress: req.ip }),
    },
  };
}
