// What a GET request asks for, as the router sees it: the route that matched (its URL pattern),
// the decoded path parameters and the canonical query (decoded, names sorted, the values of a
// repeated name in the order sent). Every spelling of a URL that reaches the same handler with
// the same input — percent-encoded letters, either case of hex, `%2F`, a trailing slash, other
// parameter order — has one key.
//
// The key is computed by find-my-way, the router inside Fastify, built with Fastify's own router
// options and fed the same GET routes (an onRoute hook): a copy of the router, not of its
// rules, so the pre-routing fast path, which has no Fastify request yet, gets the match Fastify
// would make. Requests that Fastify routed are checked against it too (keyOfRouted).
import FindMyWay from 'find-my-way';

/** The router options of Fastify that decide how a URL is matched (fastify.initialConfig.routerOptions). */
export interface MatchingOptions {
  caseSensitive?: boolean;
  ignoreTrailingSlash?: boolean;
  ignoreDuplicateSlashes?: boolean;
  maxParamLength?: number;
  allowUnsafeRegex?: boolean;
  useSemicolonDelimiter?: boolean;
  querystringParser?: (query: string) => unknown;
}

interface RouteStore {
  url: string;
  cacheable: boolean;
}

export interface RouteKeys {
  /** Mirrors a GET route; only routes added as cacheable give keys. */
  add(url: string, cacheable: boolean): void;
  /** The key of a raw request-target (path and query as received), if it reaches a cacheable route. */
  keyOf(rawUrl: string): string | undefined;
  /** The key of a request Fastify routed, only if the mirror matched the same route and parameters. */
  keyOfRouted(rawUrl: string, routeUrl: string | undefined, params: unknown): string | undefined;
}

const noop = () => undefined;
// Raw URLs whose key is remembered: a hit then costs one Map lookup instead of routing and
// serialising (about a tenth of a cached article's CPU). The mapping depends on the routes
// alone; a flood of spellings only empties the memo, which costs the work it saves.
const MEMO_SIZE = 5000;

export function routeKeys(options: MatchingOptions): RouteKeys {
  const { caseSensitive, ignoreTrailingSlash, ignoreDuplicateSlashes, maxParamLength, allowUnsafeRegex, useSemicolonDelimiter, querystringParser } = options;
  // find-my-way's types omit useSemicolonDelimiter, which it reads.
  const config = { caseSensitive, ignoreTrailingSlash, ignoreDuplicateSlashes, maxParamLength, allowUnsafeRegex, useSemicolonDelimiter } as FindMyWay.Config<FindMyWay.HTTPVersion.V1>;
  if (querystringParser) config.querystringParser = querystringParser;
  const router = FindMyWay(config);
  const stores = new Map<string, RouteStore>();
  const memo = new Map<string, string | null>();

  const match = (rawUrl: string) => {
    const found = router.find('GET', rawUrl);
    if (!found || !(found.store as RouteStore).cacheable) return undefined;
    return { store: found.store as RouteStore, params: Object.values(found.params), query: found.searchParams };
  };

  const keyFrom = (url: string, params: unknown[], query: Record<string, unknown>) => {
    const names = Object.keys(query).sort();
    return JSON.stringify([url, params, names.map((n) => [n, query[n]])]);
  };

  return {
    add(url, cacheable) {
      memo.clear();
      const known = stores.get(url);
      if (known) {
        // The same pattern twice (constraints): which one answers is not the router's path alone.
        known.cacheable = false;
        return;
      }
      const store: RouteStore = { url, cacheable };
      stores.set(url, store);
      router.on('GET', url, noop, store);
    },
    keyOf(rawUrl) {
      let key = memo.get(rawUrl);
      if (key === undefined) {
        const m = match(rawUrl);
        key = m ? keyFrom(m.store.url, m.params, m.query) : null;
        if (memo.size >= MEMO_SIZE) memo.clear();
        memo.set(rawUrl, key);
      }
      return key ?? undefined;
    },
    keyOfRouted(rawUrl, routeUrl, params) {
      const m = match(rawUrl);
      if (!m || m.store.url !== routeUrl) return undefined;
      const routed = Object.values(params as Record<string, unknown>);
      if (routed.length !== m.params.length || routed.some((v, i) => v !== m.params[i])) return undefined;
      return keyFrom(m.store.url, m.params, m.query);
    },
  };
}
