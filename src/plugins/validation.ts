// Two validators: query strings and path params arrive as text and are coerced ("5" → 5,
// a repeated key → an array), JSON bodies are not — `"tags": "one"` or `"categoryId": "5"` is
// a 400, not a silent guess. Unknown body properties are refused, never stripped.
// Validation stops at the first error: input is untrusted, and listing every error of an array of
// 480,000 wrong items costs seconds and megabytes (`verbose` keeps the failing value on the error,
// so that a required field sent as null can say "is required").
// `null` for an optional field means "empty" (API.md §1): fields built with NullMeans
// (lib/schemas.ts) carry the empty value in a keyword, and this validator puts it in the null's
// place: the one spot where that rule is applied, for every resource.
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { NULL_MEANS } from '../lib/schemas.js';

function makeAjv(coerceTypes: Options['coerceTypes']): Ajv {
  const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, allErrors: false, verbose: true, strict: false });
  addFormats.default(ajv);
  ajv.addKeyword({
    keyword: NULL_MEANS,
    // Ajv reads the field again after a modifying keyword, so the field's own checks see the value stored.
    modifying: true,
    validate: (empty: unknown, data: unknown, _schema?: unknown, at?: { parentData: Record<string | number, unknown>; parentDataProperty: string | number }) => {
      // A copy per request: the empty list must not be one array shared by every body.
      if (data === null && at?.parentData) at.parentData[at.parentDataProperty] = structuredClone(empty);
      return true;
    },
  });
  return ajv;
}

export function registerValidation(app: FastifyInstance): void {
  const forBody = makeAjv(false);
  const forText = makeAjv('array');
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? forBody : forText).compile(schema));
}
