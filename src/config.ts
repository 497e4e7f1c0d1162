// Settings: one schema, one pure parser that reports every bad key at once.
// Only server.ts and the CLI scripts read process.env and hand it to parseConfig.
import { availableParallelism } from 'node:os';
import { type Aspect, parseAspect } from './lib/image-geometry.js';
import { ARTICLE_PLACEHOLDERS, CATEGORY_PLACEHOLDERS, isTimeZone, parseUrlTemplate, type UrlTemplate } from './lib/url-template.js';

export type TrustProxy = boolean | number | string[];

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  /** Connections to PostgreSQL per process (not used with PGlite). */
  databasePoolSize: number;
  dataDir: string;
  /** Time limit of each database statement (API.md §1); past it the request gets 503 query_timeout. */
  statementTimeoutMs: number;
  mediaDir: string;
  mediaMaxBytes: number;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  corsOrigins: string[] | true;
  logLevel: string;
  publicUrl: string;
  trustProxy: TrustProxy;
  webhookAllowPrivateTargets: boolean;
  /** Per delivery attempt, DNS included. */
  webhookTimeoutMs: number;
  /** How often the dispatcher looks for due deliveries besides being woken by events; 0 runs none in this process. */
  webhookPollMs: number;
  /** Multiplies the retry schedule (tests shrink it; 1 in production). */
  webhookRetryScale: number;
  s3: { bucket: string; endpoint: string | undefined; region: string; accessKeyId: string | undefined; secretAccessKey: string | undefined } | undefined;
  publicCache: boolean;
  previewUrlTemplate: string | undefined;
  iframeHosts: string[];
  tokenTtlSeconds: number;
  bodyLimitBytes: number;
  schedulerIntervalMs: number;
  /** Images on demand (API.md §7): the HMAC key of signed URLs; unset = signed URLs refused. */
  imageSigningKey: string | undefined;
  /** The widths unsigned image URLs may ask for, ascending. */
  imageWidths: number[];
  /** The named aspects of unsigned heights and of `crops`, in the configured order. */
  imageAspects: Aspect[];
  /** Derived images rendered at once in this process. */
  imageRenderConcurrency: number;
  /** Renders that may wait for a turn; past that, 503 with Retry-After. */
  imageRenderQueue: number;
  /** How long a client may take over each part of a request before it is cut off (API.md §1). */
  clientTimeouts: ClientTimeouts;
  /** Where the website shows things (API.md §10). */
  site: SiteConfig;
  /** URLs per sitemap file before the next part (the protocol's 50,000; tests make it small). */
  sitemapUrlsPerFile: number;
}

export interface SiteConfig {
  /** SITE_URL, without a trailing slash. */
  url: string;
  name: string;
  /** A BCP 47 language tag (feeds, the news sitemap). */
  language: string;
  /** Where {yyyy}/{mm}/{dd} of a URL are counted. */
  timeZone: string;
  articleUrl: UrlTemplate;
  categoryUrl: UrlTemplate;
}

export interface ClientTimeouts {
  /** From a request's first byte until its headers are complete. */
  headersMs: number;
  /** From the headers until the body is complete, for every body but a streamed upload. */
  bodyMs: number;
  /** The longest pause in a streamed upload (its total time is not limited). */
  uploadIdleMs: number;
  /** How long an idle keep-alive connection stays open between requests. */
  keepAliveMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** API.md §1: every database statement has a time limit, 5 s unless configured. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5000;
const DEFAULT_IMAGE_WIDTHS = '160,320,480,640,768,1024,1280,1600,1920';
const DEFAULT_IMAGE_ASPECTS = '16:9,4:3,1:1,3:4';
/** The widest side an on-demand image may ask for (WebP's limit). */
export const MAX_IMAGE_SIDE = 16383;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function parseConfig(env: Env): Config {
  const problems: string[] = [];
  const str = (key: string): string | undefined => {
    const v = env[key];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };
  const int = (key: string, def: number, min: number, max: number): number => {
    const v = str(key);
    if (v === undefined) return def;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
      problems.push(`${key} must be an integer between ${min} and ${max} (got "${v}")`);
      return def;
    }
    return Number(v);
  };
  const bool = (key: string, def: boolean, yes = ['true', '1', 'yes', 'on'], no = ['false', '0', 'no', 'off']): boolean => {
    const v = str(key)?.toLowerCase();
    if (v === undefined) return def;
    if (yes.includes(v)) return true;
    if (no.includes(v)) return false;
    problems.push(`${key} must be one of ${[...yes, ...no].join(', ')} (got "${v}")`);
    return def;
  };
  const decimal = (key: string, def: number, min: number, max: number): number => {
    const v = str(key);
    if (v === undefined) return def;
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(v) || Number(v) <= min || Number(v) > max) {
      problems.push(`${key} must be a number above ${min} and at most ${max} (got "${v}")`);
      return def;
    }
    return Number(v);
  };
  const url = (key: string): string | undefined => {
    const v = str(key);
    if (v === undefined) return undefined;
    try {
      const u = new URL(v);
      if (!['http:', 'https:', 'postgres:', 'postgresql:'].includes(u.protocol)) throw new Error('protocol');
      return v;
    } catch {
      problems.push(`${key} must be a URL (got "${v}")`);
      return undefined;
    }
  };

  const port = int('PORT', 3000, 0, 65535);
  const host = str('HOST') ?? '0.0.0.0';
  const databaseUrl = url('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:/.test(databaseUrl)) problems.push('DATABASE_URL must be a postgres:// URL');
  const databasePoolSize = int('DATABASE_POOL_SIZE', 10, 1, 1000);
  const dataDir = str('DATA_DIR') ?? './data';
  const statementTimeoutMs = int('STATEMENT_TIMEOUT_MS', DEFAULT_STATEMENT_TIMEOUT_MS, 1, 600_000);
  const mediaDir = str('MEDIA_DIR') ?? `${dataDir}/media`;
  const mediaMaxBytes = int('MEDIA_MAX_BYTES', 25 * 1024 * 1024, 1, Number.MAX_SAFE_INTEGER);

  const adminEmail = str('ADMIN_EMAIL');
  const adminPassword = env.ADMIN_PASSWORD === undefined || env.ADMIN_PASSWORD === '' ? undefined : env.ADMIN_PASSWORD;
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    problems.push('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }
  if (adminEmail !== undefined && !/^[^\s@]+@[^\s@]+$/.test(adminEmail)) problems.push(`ADMIN_EMAIL is not an email address (got "${adminEmail}")`);
  if (adminPassword !== undefined && adminPassword.length < 8) problems.push('ADMIN_PASSWORD must be at least 8 characters');

  const corsRaw = str('CORS_ORIGINS');
  let corsOrigins: string[] | true = [];
  if (corsRaw === '*') corsOrigins = true;
  else if (corsRaw !== undefined) {
    corsOrigins = corsRaw.split(',').map((s) => s.trim()).filter(Boolean);
    for (const o of corsOrigins) {
      try {
        const u = new URL(o);
        if (u.origin !== o.replace(/\/$/, '')) throw new Error('not an origin');
      } catch {
        problems.push(`CORS_ORIGINS entry "${o}" is not an origin such as https://example.org`);
      }
    }
  }

  const logLevel = str('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);

  const publicUrl = (url('PUBLIC_URL') ?? `http://localhost:${port}`).replace(/\/+$/, '');

  let trustProxy: TrustProxy = false;
  const tp = str('TRUST_PROXY');
  if (tp !== undefined) {
    if (tp === 'true') trustProxy = true;
    else if (tp === 'false') trustProxy = false;
    else if (/^\d+$/.test(tp)) trustProxy = Number(tp);
    else {
      const parts = tp.split(',').map((s) => s.trim()).filter(Boolean);
      if (parts.length === 0 || parts.some((p) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(p))) {
        problems.push(`TRUST_PROXY must be true, a hop count, or comma-separated addresses/CIDRs (got "${tp}")`);
      } else trustProxy = parts;
    }
  }

  const webhookAllowPrivateTargets = bool('WEBHOOK_ALLOW_PRIVATE_TARGETS', false);
  const webhookTimeoutMs = int('WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000);
  const webhookPollMs = int('WEBHOOK_POLL_MS', 1000, 0, 60_000);
  const webhookRetryScale = decimal('WEBHOOK_RETRY_SCALE', 1, 0, 10);

  const bucket = str('S3_BUCKET');
  const s3 = bucket
    ? {
        bucket,
        endpoint: url('S3_ENDPOINT'),
        region: str('S3_REGION') ?? 'us-east-1',
        accessKeyId: str('S3_ACCESS_KEY_ID') ?? str('AWS_ACCESS_KEY_ID'),
        secretAccessKey: str('S3_SECRET_ACCESS_KEY') ?? str('AWS_SECRET_ACCESS_KEY'),
      }
    : undefined;

  const publicCache = bool('PUBLIC_CACHE', true, ['on', 'true', '1'], ['off', 'false', '0']);

  const previewUrlTemplate = str('PREVIEW_URL_TEMPLATE');
  if (previewUrlTemplate !== undefined && !previewUrlTemplate.includes('{token}')) {
    problems.push('PREVIEW_URL_TEMPLATE must contain the {token} placeholder');
  }

  const iframeHosts = (str('IFRAME_HOSTS') ?? 'www.youtube.com,youtube.com,www.youtube-nocookie.com,player.vimeo.com')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);

  const tokenTtlSeconds = int('TOKEN_TTL_SECONDS', 7 * 24 * 3600, 60, 365 * 24 * 3600);
  const bodyLimitBytes = int('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024);
  const schedulerIntervalMs = int('SCHEDULER_INTERVAL_MS', 2000, 0, 3_600_000);
  // API.md §1 promises clients at least the defaults; lower values are for tests.
  const clientTimeouts: ClientTimeouts = {
    headersMs: int('HEADERS_TIMEOUT_MS', 10_000, 100, 3_600_000),
    bodyMs: int('BODY_TIMEOUT_MS', 30_000, 100, 3_600_000),
    uploadIdleMs: int('UPLOAD_IDLE_TIMEOUT_MS', 30_000, 100, 3_600_000),
    keepAliveMs: int('KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 3_600_000),
  };

  const imageSigningKey = env.IMAGE_SIGNING_KEY === undefined || env.IMAGE_SIGNING_KEY === '' ? undefined : env.IMAGE_SIGNING_KEY;
  if (imageSigningKey !== undefined && imageSigningKey.length < 16) problems.push('IMAGE_SIGNING_KEY must be at least 16 characters (a random string, e.g. 32 hex digits)');
  const list = (key: string, def: string) => (str(key) ?? def).split(',').map((s) => s.trim()).filter(Boolean);
  const imageWidthTexts = list('IMAGE_WIDTHS', DEFAULT_IMAGE_WIDTHS);
  const imageWidths = [...new Set(imageWidthTexts.filter((w) => /^\d+$/.test(w) && Number(w) >= 1 && Number(w) <= MAX_IMAGE_SIDE).map(Number))].sort((a, b) => a - b);
  // A bounded list: every entry multiplies what unsigned URLs may make render.
  if (imageWidths.length === 0 || imageWidths.length > 32 || imageWidths.length !== imageWidthTexts.length) {
    problems.push(`IMAGE_WIDTHS must be 1 to 32 comma-separated widths in pixels from 1 to ${MAX_IMAGE_SIDE} (got "${str('IMAGE_WIDTHS')}")`);
  }
  const aspectTexts = list('IMAGE_ASPECTS', DEFAULT_IMAGE_ASPECTS);
  const imageAspects = aspectTexts.map(parseAspect).filter((a): a is Aspect => a !== undefined);
  if (imageAspects.length === 0 || imageAspects.length > 16 || imageAspects.length !== aspectTexts.length || new Set(imageAspects.map((a) => a.name)).size !== imageAspects.length) {
    problems.push(`IMAGE_ASPECTS must be 1 to 16 comma-separated distinct aspects such as 16:9,4:3 (whole numbers up to 999; got "${str('IMAGE_ASPECTS')}")`);
  }
  const imageRenderConcurrency = int('IMAGE_RENDER_CONCURRENCY', availableParallelism(), 1, 64);
  const imageRenderQueue = int('IMAGE_RENDER_QUEUE', 64, 0, 100_000);

  const site = parseSite(str, publicUrl, problems);
  const sitemapUrlsPerFile = int('SITEMAP_URLS_PER_FILE', 50_000, 1, 50_000);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port, host, databaseUrl, databasePoolSize, dataDir, statementTimeoutMs, mediaDir, mediaMaxBytes, adminEmail, adminPassword, corsOrigins, logLevel,
    publicUrl, trustProxy, webhookAllowPrivateTargets, webhookTimeoutMs, webhookPollMs, webhookRetryScale, s3, publicCache,
    previewUrlTemplate, iframeHosts, tokenTtlSeconds, bodyLimitBytes, schedulerIntervalMs, clientTimeouts,
    imageSigningKey, imageWidths, imageAspects, imageRenderConcurrency, imageRenderQueue, site, sitemapUrlsPerFile,
  };
}

/**
 * API.md §10. Without SITE_URL there is no website yet: the links then lead to the API's own
 * public JSON (`{site}/api/v1/articles/{slug}`, with SITE_URL = PUBLIC_URL), so that a fresh
 * start gives links that work. Once SITE_URL names the website, the templates default to the
 * website's paths, `{site}/{category}/{slug}` and `{site}/{slug}`.
 */
function parseSite(str: (key: string) => string | undefined, publicUrl: string, problems: string[]): SiteConfig {
  const given = str('SITE_URL');
  let url = publicUrl;
  if (given !== undefined) {
    try {
      const u = new URL(given);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
      url = given.replace(/\/+$/, '');
    } catch {
      problems.push(`SITE_URL must be an http(s) URL (got "${given}")`);
    }
  }
  const language = str('SITE_LANGUAGE') ?? 'vi';
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language)) problems.push(`SITE_LANGUAGE must be a language tag such as vi or en-US (got "${language}")`);
  const timeZone = str('SITE_TIME_ZONE') ?? 'Asia/Ho_Chi_Minh';
  if (!isTimeZone(timeZone)) problems.push(`SITE_TIME_ZONE must be an IANA time zone such as Asia/Ho_Chi_Minh (got "${timeZone}")`);
  const template = (key: string, placeholders: readonly string[], website: string, api: string): UrlTemplate => {
    const source = str(key) ?? (given !== undefined ? website : api);
    const parsed = parseUrlTemplate(source, placeholders, url);
    if (typeof parsed !== 'string') return parsed;
    problems.push(`${key} ${parsed} (got "${source}")`);
    return { source, parts: [] };
  };
  return {
    url,
    name: str('SITE_NAME') ?? 'Tòa Soạn',
    language,
    timeZone,
    articleUrl: template('ARTICLE_URL_TEMPLATE', ARTICLE_PLACEHOLDERS, '{site}/{category}/{slug}', '{site}/api/v1/articles/{slug}'),
    categoryUrl: template('CATEGORY_URL_TEMPLATE', CATEGORY_PLACEHOLDERS, '{site}/{slug}', '{site}/api/v1/categories/{slug}'),
  };
}
