/**
 * A resumable server's claim of a stored session (src/server/claimed-lookup.ts): THE home of the
 * number that bounds its retries. Server-only (a file of its own, so the browser bundles, which
 * read machines/policy/resume.ts, do not change with it).
 */
/**
 * How many times a server reads a session's record and claims it (the store's `claimOwned`) for
 * one hello before it gives up (src/server/claimed-lookup.ts). A refusal means another server
 * sharing the store wrote the session between this server's read and its claim (its client
 * leaving, an ack, its `close()`) or ended it: each read sees that write, so a second refusal in a
 * row needs another write within one store round trip (ms), and a third one a session still busy
 * there (its half-open client acking on). 3: two such writes absorbed, then the client's socket is
 * closed with `SESSIONS_FULL_CLOSE_CODE` (1013, try again later): its link keeps its session and
 * retries after its backoff, by when the other server's copy has gone quiet or ended. Never a loop
 * without bound between two servers.
 */
export const SESSION_CLAIM_TRIES = 3;
