// A piscina worker: cleans article bodies off the request thread (body-sanitizer.ts).
import { type CleanOutcome, makeBodyCleaner } from './sanitize-body.js';

export interface CleanTask {
  html: string;
  iframeHosts: string[];
}

// One cleaner per host list; a pool serves one app, so this holds one entry.
const cleaners = new Map<string, (html: string) => CleanOutcome>();

export default function clean({ html, iframeHosts }: CleanTask): CleanOutcome {
  const key = iframeHosts.join(',');
  let cleaner = cleaners.get(key);
  if (!cleaner) cleaners.set(key, (cleaner = makeBodyCleaner(iframeHosts)));
  return cleaner(html);
}
