// pino settings: request ids, and nothing secret in a log line (API.md §4).
import type { FastifyServerOptions } from 'fastify';
import { stdSerializers } from 'pino';

// Tokens are masked in what the URL means, not in how it is spelled: `/api/v1/%70review/tsp_…`
// reaches the preview route as surely as `/preview/tsp_…`, and a mask matching the raw text
// would let it through. Masking by the matched route would miss URLs that no route matched (a
// token in a mistyped path), lines written before routing (the public cache answers before
// Fastify routes), and tokens in any other place; so the URL is decoded first, and every
// token-shaped string, every `/preview/<segment>` and every `…token=` value is masked.
const ENCODED_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
const SECRET_TOKEN = /(ts[pn])_[A-Za-z0-9_-]+/gi;
const PREVIEW_SEGMENT = /(\/preview\/)[^/?#]+/gi;
const TOKEN_PARAM = /([?&;][^=&#;]*token=)[^&#;]*/gi;

/** Percent-decodes a URL for reading, leaving any sequence that is not valid UTF-8 as it is. */
function decodeLoosely(url: string): string {
  // Until nothing changes, so that an encoded percent sign (`%2574sp_`) does not hide a token
  // either; each round shortens the text, and a bound keeps a hostile URL cheap.
  for (let i = 0; i < 8; i++) {
    const next = url.replace(ENCODED_RUN, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
    if (next === url) break;
    url = next;
  }
  return url;
}

/** Masks bearer and preview tokens in text that may hold them (an error message). */
export function maskTokens(text: string): string {
  return text.replace(SECRET_TOKEN, '$1_***');
}

/** A URL as logged: decoded, with every token masked. */
export function maskUrl(url: string): string {
  return maskTokens(decodeLoosely(url)).replace(PREVIEW_SEGMENT, '$1***').replace(TOKEN_PARAM, '$1***');
}

// Drizzle's query errors repeat the query's parameters in their message, stack and `params`:
// a failed insert of a webhook secret, a password hash or a token hash would log it.
const PARAMS = /\nparams: [\s\S]*?(?=\n\s+at |$)/;

/** pino's error serializer, without query parameters or tokens at any depth of `cause`. */
export function serializeError(err: Error): ReturnType<typeof stdSerializers.err> {
  const out = stdSerializers.err(err);
  const scrub = (o: Record<string, unknown>, depth: number): void => {
    if ('params' in o) o.params = '[redacted]';
    for (const key of ['message', 'stack'] as const) {
      if (typeof o[key] === 'string') o[key] = maskTokens((o[key] as string).replace(PARAMS, '\nparams: [redacted]'));
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
