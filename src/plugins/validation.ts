// Two validators: query strings and path params arrive as text and are coerced ("5" → 5,
// a repeated key → an array), JSON bodies are not — `"tags": "one"` or `"categoryId": "5"` is
// a 400, not a silent guess. Unknown body properties are refused, never stripped.
// Validation stops at the first error: input is untrusted, and listing every error of an array of
// 480,000 wrong items costs seconds and megabytes (`verbose` keeps the failing value on the error,
// so that a required field sent as null can say "is required").
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

function makeAjv(coerceTypes: Options['coerceTypes']): Ajv {
  const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: false, verbose: true, strict: false });
  addFormats.default(ajv);
  return ajv;
}

export function registerValidation(app: FastifyInstance): void {
  const forBody = makeAjv(false);
  const forText = makeAjv('array');
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? forBody : forText).compile(schema));
}
