/**
 * The shapes of the inspector's server: the options `startInspector` takes (where it listens, its
 * token, what the page may do and see, how often it is fed) and the running server it resolves to
 * (its URL, what it holds per page, `close()`). The server itself is ./start-inspector.ts.
 */
import type { Server } from 'node:http';
import type { Inspector } from './create-inspector.js';
import type { PageFeedStats } from './page-feed.js';

/**
 * Options of `startInspector` (docs/inspector.md has the table): where it listens, its token, what
 * the page may do and see, and how often it is fed.
 */
export interface StartInspectorOptions {
  /** Port to listen on (default 0: any free port): a whole number 0–65535, or a string of its
   * decimal digits (`process.env.PORT`); anything else is LV_ERR_INVALID_OPTION naming `port`. */
  port?: number | string;
  /** Address to bind (default 127.0.0.1): a bare name or address (`::1`, `[::1]`, an IPv6
   * address in any spelling), no scheme, port or path (LV_ERR_INVALID_OPTION naming `host`).
   * Anything but loopback is reachable by others: a warning is printed. */
  host?: string;
  /** Let the page send commands to actors (reconnect or close a link, toggle reconnecting). Default false. */
  allowEvents?: boolean;
  /** Show event payloads (redacted) in the timeline. Default false. */
  showPayloads?: boolean;
  /** The collector whose `inspect` was given to `createSupervisor`. Without it, the inspector
   * attaches to the supervisor's actors late (links and watchers it can see; history is missing). */
  inspector?: Inspector;
  /** A fixed token (at least 16 characters), so an open page survives a restart of your process.
   * Default: 32 random characters per run. */
  token?: string;
  /** More host names accepted in `Host` (e.g. a machine name when binding elsewhere). */
  allowedHosts?: string[];
  /** How often queue lengths are read from `supervisor.status()`, in ms (default 1000). */
  statusIntervalMs?: number;
  /** Where warnings go (default console.warn). */
  warn?: (message: string) => void;
  /** Shortest time between two batches of updates to a page, in ms (default 100: ~10 a second), by
   * their `now` (Date.now()); a wall clock set back or standing still holds a batch back by one
   * more interval at most, not by the jump. */
  updateIntervalMs?: number;
  /** Batches a page may leave unacknowledged before the server holds the next (default 4). */
  maxUnackedBatches?: number;
  /** Unsent bytes on a page's socket above which its batches are held (default 1 MiB). A page
   * that asks for more (pings, commands, recordings) while its socket holds 4 times this (beyond
   * its hello) is not reading: it is sent away (close 1013, its page reconnects) instead of
   * being answered. */
  maxBufferedBytes?: number;
  /** Pages fed at once (default 16): a page beyond it is closed with 1013 and the reason (its
   * link retries), counted by `refusedPages()`, the first one warned about. A whole number ≥ 1. */
  maxPages?: number;
  /** Records a page's session recording may hold (default 100,000: tens of MB). The recording
   * that reaches it stops, and its page gets the trace so far with the reason. */
  maxRecordingRecords?: number;
  /** A session trace (JSON Lines text) for the page to open at once: with no supervisor, the
   * page steps through it offline (`linkvisor inspect trace.jsonl`). */
  trace?: string;
}

/**
 * A running inspector server: its URL (token included: a secret), what it holds per page, and
 * `close()`.
 */
export interface InspectorServer {
  /** The page's URL, token included: open it in a browser. Treat it as a secret. */
  url: string;
  port: number;
  host: string;
  /** The underlying HTTP server (e.g. for `server.address()`). */
  server: Server;
  /** The collector the server reads. */
  inspector: Inspector;
  /** What the server holds for each open page (backpressure at work; for tests and benchmarks). */
  pages(): PageFeedStats[];
  /** Session recordings under way for pages (each stops when its page stops it or goes away). */
  recordings(): number;
  /** Pages refused since the server started, for being beyond `maxPages`. */
  refusedPages(): number;
  /** Closes every page connection (they reconnect when a server comes back) and the server. */
  close(): Promise<void>;
}
