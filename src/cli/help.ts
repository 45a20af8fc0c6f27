/**
 * The `linkvisor --help` text and `--version`. Defaults are read from machines/policy, so the
 * help never disagrees with what the link does.
 */
import { readFileSync } from 'node:fs';
import { BACKOFF_DEFAULTS } from '../../machines/policy/backoff.js';
import { HEARTBEAT_DEFAULTS } from '../../machines/policy/heartbeat.js';
import { TIMEOUT_DEFAULTS } from '../../machines/policy/timeouts.js';

const b = BACKOFF_DEFAULTS;
const hb = HEARTBEAT_DEFAULTS;

export const HELP = `Usage: linkvisor connect <url> [options]
       linkvisor replay <trace.jsonl>
       linkvisor inspect <trace.jsonl> [--inspect=<port>]
       linkvisor serve [--port <n>] [--host <h>] [--bounce-every <ms>] [--stall[=<ms>]] [--close-code <n>]

A resilient interactive WebSocket client: like wscat, but it survives drops.
Lines typed (or piped) on stdin are sent; while the link is down they are queued and
sent in order once it is back. Received messages are printed on stdout, one per line
(binary ones as base64). Lifecycle lines go to stderr, prefixed with '* ':
connecting, connected, connection lost, reconnecting in 1.6 s, attempt 3: <reason>, failed.
On a terminal, control characters in what the server sends (messages, close reasons) are
shown escaped (\\x1b, \\n; a backslash as \\\\): a server cannot drive your terminal or fake
a '* ' line, and a message is one line; unless the locale says UTF-8, characters beyond
ASCII are escaped too (\\u011b). On a pipe the text is passed as it is (--escape, --raw).

Options:
  -H, --header 'Name: value'    HTTP header for the upgrade request (repeatable)
  -p, --protocol <name>         offer a WebSocket subprotocol (repeatable)
      --heartbeat <ms>[:<ms>]   ping interval [and pong timeout], or 'off'
                                (default ${hb.intervalMs}:${hb.timeoutMs}; protocol ping frames)
      --backoff <ms>:<ms>[:<x>] first retry delay : maximum delay [: multiplier]
                                (default ${b.initialDelayMs}:${b.maxDelayMs}:${b.multiplier})
      --jitter <strategy>       none, full, equal, proportional or decorrelated (default ${b.jitter})
      --max-retries <n>         give up after n consecutive failed retries (default: never)
      --connect-timeout <ms>    time allowed to open a connection (default ${TIMEOUT_DEFAULTS.connectTimeoutMs})
      --inspect[=<port>]        start the linkvisor inspector for this link (port 0: any free port)
      --no-stdin                do not read stdin; run until Ctrl-C
      --exit-on-eof             at the end of input, close once every queued line is sent
                                (default: the link stays up until Ctrl-C)
      --record <file>           write a session trace (JSON Lines, secrets redacted) to the
                                file as it goes (a killed client leaves a valid trace);
                                replay it with 'linkvisor replay <file>'
      --escape                  escape control characters in server text on a pipe too
      --raw                     print server text as it is, on a terminal too
  -q, --quiet                   print received messages only
  -h, --help                    show this help
      --version                 print the version
A long option's value may follow '=' (--record=<file>), and must if it starts with '--'.
Numbers are decimal digits (a multiplier may have a point: 1.5); 0x10, 1e3, 1_000 are refused.

<url> is ws:// or wss://; without a scheme ws:// is assumed (localhost:8080/feed);
http:// and https:// mean ws:// and wss:// (said once on stderr).
Fatal closes (1008 policy, HTTP 401/403/404…) are not retried: the client exits.
Ctrl-C closes the link cleanly (a second Ctrl-C exits at once). The end of input (a pipe
that ends, </dev/null) keeps the link until Ctrl-C; with --exit-on-eof the link is closed
once it has been ready and every queued line has been sent. Lines not sent are reported.
Continued after Ctrl-Z (SIGCONT), a link waiting out its backoff attempts within a second
('rejoining in 420 ms, attempt 3: …') and a connected one is checked with a ping at once.

Into a slow pipe the client stops reading from the socket while stdout is full (memory stays
bounded, nothing is lost); meanwhile no pong can be read, so the heartbeat waits, however long
the reader stalls, and checks the server again once reading resumes. If the reader goes away
(EPIPE) the link is closed.

Exit codes: 0 closed after the link had been ready, 1 the link failed (fatal close, or
--max-retries ran out), 2 bad usage, 3 ended (Ctrl-C, SIGTERM, SIGHUP) before the link was ever
ready, 130 a second Ctrl-C.

linkvisor replay <trace.jsonl> re-runs a recorded session against the current charts on an
in-memory network and a simulated clock: exit 0 when every actor took the same transitions,
1 with the first divergence (step, actor, expected, actual), 2 for a missing or bad file.

linkvisor inspect <trace.jsonl> serves the inspector page on 127.0.0.1 with the trace open, no
supervisor needed: step through it with ← / →. It prints the page's URL; Ctrl-C or SIGTERM
stops it (exit 0).

linkvisor serve runs a local WebSocket echo server to try the library, the client and the
inspector against. Its URL is the first line on stdout; connections are logged on stderr.
      --port <n>                port (default 0: any free port)
      --host <h>                address to listen on (default 127.0.0.1)
      --bounce-every <ms>       drop every connection and restart on the same port every ms
      --stall[=<ms>]            receive but never answer: no echo, no pong (=<ms>: answer
                                for that long after each connection opens, then stop: a
                                hung peer, which a link's heartbeat detects)
      --close-code <n>          close each connection with this code once open
                                (1008 is fatal for a link; 4000 is retried)
Ctrl-C or SIGTERM stops it (exit 0).

Every command: if stdout's reader goes away (EPIPE: | head), connect, serve and inspect
stop as at Ctrl-C (their exit code for that) and replay exits with its verdict's code; if
stderr's goes away (2>&1 | head), only the lines on stderr stop. Never a crash.
`;

/** The package version, from the nearest package.json named linkvisor above this file. */
export function version(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'linkvisor' && pkg.version) return pkg.version;
    } catch {
      // try the next level
    }
  }
  return 'unknown';
}
