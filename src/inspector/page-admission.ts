/**
 * How many pages one inspector server feeds at once (`maxPages`). Each open page costs the server
 * its hello (every actor's row), a feed (./page-feed.ts: pending actors, counts, records) and its
 * socket's buffer; without a bound a tab reloading in a loop, or any local process with the URL
 * opening thousands of feed sockets, grew the application's memory without end. A page beyond the
 * bound is accepted and closed at once with 1013 (try again later) and the reason: a page's link
 * retries with its backoff and gets in when another page goes; one that does not answer the
 * close within REFUSED_PAGE_GRACE_MS is cut off. Refusals are counted
 * (`server.refusedPages()`) and the first is warned about.
 */
import type { WebSocket } from 'ws';

/** Pages fed at once unless `maxPages` says otherwise: more tabs than anyone reads. */
export const DEFAULT_MAX_PAGES = 16;

/** The close code of a page refused for the bound: try again later (the page's link retries). */
export const PAGES_FULL_CLOSE_CODE = 1013;

/** How long a refused page has to answer its close frame before its socket is ended, in ms: ws
 * waits 30 s, so a local process opening thousands of feed sockets and reading nothing held each
 * of them that long. A page's link answers at once. */
export const REFUSED_PAGE_GRACE_MS = 1_000;

/** Admits pages up to `maxPages` open at once; refuses, counts and reports the others. */
export class PageAdmission {
  /** Pages refused since the server started. */
  refused = 0;

  constructor(
    private readonly maxPages: number,
    private readonly warn: (message: string) => void,
  ) {}

  /** Admits `ws` if fewer than `maxPages` of `sockets` (those of the server, with it or not)
   * are open; else closes it with the reason and returns false. */
  admit(ws: WebSocket, sockets: Iterable<WebSocket>): boolean {
    let open = 0;
    for (const other of sockets) if (other !== ws && other.readyState === 1) open++;
    if (open < this.maxPages) return true;
    if (this.refused++ === 0) {
      this.warn(
        `linkvisor inspector: refused a page, ${this.maxPages} are open (maxPages); ` +
          'refused pages retry and are counted by server.refusedPages()',
      );
    }
    ws.close(PAGES_FULL_CLOSE_CODE, `too many pages open (maxPages ${this.maxPages}): close another`);
    const grace = setTimeout(() => ws.terminate(), REFUSED_PAGE_GRACE_MS);
    grace.unref();
    ws.once('close', () => clearTimeout(grace));
    return false;
  }
}
