// Replaces Fastify's JSON parser: stock Fastify accepts invalid UTF-8 (as U+FFFD) and JSON nested
// thousands of levels deep, which later crashes serialisation with a 500 (API.md §1).
import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';

export const MAX_JSON_DEPTH = 64;

class BodyError extends Error {
  readonly statusCode = 400;
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** Depth of the deepest array/object, counting only brackets outside strings. */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export function parseJsonBody(buf: Buffer): unknown {
  let text: string;
  try {
    text = decoder.decode(buf);
  } catch {
    throw new BodyError('The request body is not valid UTF-8.', 'invalid_utf8');
  }
  if (text.trim() === '') throw new BodyError('The request body is empty; send a JSON value.', 'invalid_json');
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) throw new BodyError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels.`, 'invalid_json');
  try {
    return secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (err) {
    throw new BodyError(`The request body is not valid JSON: ${(err as Error).message}`, 'invalid_json');
  }
}

export function registerJsonBodyParser(app: FastifyInstance): void {
  app.addContentTypeParser(['application/json', 'application/merge-patch+json'], { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}

/**
 * Some admin clients (ra-data-simple-rest's DELETE) label an empty body text/plain. An empty body
 * is accepted whatever its label; a non-empty text body is a 415, since the API speaks JSON only.
 */
export function registerEmptyTextParser(app: FastifyInstance): void {
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('text/plain', { parseAs: 'buffer' }, (_req, body, done) => {
    if ((body as Buffer).length === 0) return done(null, undefined);
    const err = Object.assign(new Error('Unsupported Content-Type "text/plain"; send application/json.'), {
      statusCode: 415,
      code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
    });
    done(err, undefined);
  });
}
