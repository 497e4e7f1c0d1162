// pino settings: request ids, and nothing secret in a log line (API.md §4).
import type { FastifyServerOptions } from 'fastify';

/** Masks tokens that can appear in a URL (preview links) before the URL is logged. */
export function maskUrl(url: string): string {
  return url.replace(/(\/preview\/)[^/?#]+/g, '$1***').replace(/([?&](?:token|access_token)=)[^&#]*/gi, '$1***');
}

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
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
      req: (req: { method: string; url: string; ip?: string; id?: string }) => ({ method: req.method, url: maskUrl(req.url), remoteAddress: req.ip }),
    },
  };
}
