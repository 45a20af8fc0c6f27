/**
 * `linkvisor connect` into a slow pipe, through the real binary: a ws server sends as fast as the
 * network takes it, the test reads the client's stdout late and slowly. The client stops reading
 * from its socket while stdout is full (output-flow.ts), so the server is held back and the
 * client's memory (RSS, from /proc) stays bounded; every message arrives once, in order. A reader
 * that stalls far longer than the heartbeat costs no reconnect: the link is not judged on pongs it
 * could not read (the chart's ready.paused), and a socket opened while stdout is full starts paused.
 * Bounds are generous (a busy machine): without the pause the whole stream lands in the client.
 *
 * The cost is kept low for a busy machine: the test keeps what it reads as chunks (a tail for
 * `endsWith`; joined once at the end) rather than one growing string that every poll flattened (a
 * copy of up to 48 MiB twenty times a second, in the process that also serves the stream), and
 * only the memory test sends 48 MiB: the others send STREAM_MESSAGES (24 MiB), still over four
 * times what the network buffers hold while the client is paused (~350 messages, 5.5 MiB, here).
 */
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { Harness } from '../helpers/harness.js';
import { useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { BIN, shellQuote, spawnChild } from './helpers.js';

const MESSAGE_BYTES = 16 * 1024;
/** 48 MiB in all: far more than the network buffers between server and client can hold. */
const MESSAGES = 3_072;
/** 24 MiB: the stream of the tests that bound what is held back, not memory. */
const STREAM_MESSAGES = 1_536;
const MiB = 1024 * 1024;
const WAIT_MS = 60_000;
/** A heartbeat that would give up on a silent peer within a second, and quick retries. Not shorter:
 * after the drain, the pong waits behind the stream's last megabytes in the socket, and on a loaded
 * host (load 14-19, two cores) a 200:200 heartbeat once judged it late. */
const QUICK_HEARTBEAT = ['--no-stdin', '--heartbeat', '500:500', '--backoff', '50:200'];

/** Message `n`: its number, then padding to MESSAGE_BYTES. */
function message(n: number): string {
  return `${n}:`.padEnd(MESSAGE_BYTES, 'x');
}

/** A server that, once `go()` is called, sends `messages` messages on the first connection as fast
 * as its socket takes them (it keeps its own buffer under 1 MiB: ws's bufferedAmount). */
async function pumpingServer(h: Harness, messages = MESSAGES) {
  let sent = 0;
  let connections = 0;
  let pings = 0;
  let first: WebSocket | null = null;
  let firstClosed: number | null = null;
  const server = await h.wsServer({
    onConnection: (ws) => {
      connections++;
      if (connections === 1) {
        first = ws;
        ws.on('close', (code) => {
          firstClosed = code;
        });
      }
      ws.on('ping', () => {
        pings++;
      });
    },
  });
  const pump = () => {
    const ws = first;
    if (!ws || ws.readyState !== ws.OPEN) return;
    while (sent < messages && ws.bufferedAmount < MiB) ws.send(message(sent++));
    if (sent < messages) setTimeout(pump, 1);
  };
  return {
    url: server.url,
    go: pump,
    sent: () => sent,
    pings: () => pings,
    connections: () => connections,
    /** The close code the first connection ended with, or null while it is open. */
    firstClosed: () => firstClosed,
  };
}

/** The client as a child process whose stdout nobody reads until `read()`; RSS sampled. */
function startUnread(h: Harness, args: string[]) {
  const { proc } = spawnChild(h, process.execPath, [BIN, ...args]);
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  // Not spawnChild's `exited` (it waits for stdout's end too, which never comes while stdout is
  // left full and unread): the exit, and stderr read to its end (its last lines can come after
  // the exit on a busy host).
  const exited = Promise.all([
    new Promise<number | string>((resolve) =>
      proc.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
    ),
    new Promise<void>((resolve) => proc.stderr.on('close', () => resolve())),
  ]).then(([code]) => code);
  let peakRss = 0;
  const rss = () => {
    try {
      const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'))?.[1];
      return kib === undefined ? 0 : Number(kib) * 1024;
    } catch {
      return 0;
    }
  };
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rss());
  }, 20);
  h.defer(() => clearInterval(sampler));
  // What was read: the chunks (joined once, when asked), their length, and the last few bytes.
  const chunks: Buffer[] = [];
  let length = 0;
  let tail = '';
  let joined: string | null = null;
  return {
    proc,
    exited,
    get stderr() {
      return stderr;
    },
    /** Everything read so far, as text. */
    get out() {
      joined ??= Buffer.concat(chunks).toString();
      return joined;
    },
    /** How many bytes were read so far. */
    get length() {
      return length;
    },
    /** Whether what was read so far ends with `text` (shorter than a message). */
    endsWith(text: string) {
      return tail.endsWith(text);
    },
    rss,
    peakRss: () => Math.max(peakRss, rss()),
    /** Reads stdout slowly: after each chunk, a pause of `pauseMs`. */
    read(pauseMs: number) {
      proc.stdout.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
        tail = (tail + chunk.toString('latin1')).slice(-2 * MESSAGE_BYTES);
        joined = null;
        proc.stdout.pause();
        setTimeout(() => proc.stdout.resume(), pauseMs);
      });
    },
    waitFor(pattern: RegExp) {
      return waitFor(() => pattern.test(stderr), {
        timeoutMs: WAIT_MS,
        intervalMs: 10,
        message: `${pattern} on stderr (${JSON.stringify(stderr)})`,
      });
    },
  };
}

/** The message numbers in `out`, checking each message whole. */
function numbers(out: string): number[] {
  const lines = out.split('\n');
  lines.pop();
  return lines.map((line) => {
    const n = Number(line.slice(0, line.indexOf(':')));
    expect(line).toBe(message(n));
    return n;
  });
}

describe('cli: linkvisor connect into a slow pipe', () => {
  const h = useHarness();

  it('stops reading while stdout is full: the server is held back, memory stays bounded, every message arrives in order', async () => {
    const server = await pumpingServer(h);
    const cli = startUnread(h, ['connect', server.url, '--no-stdin']);
    await cli.waitFor(/\* connected to/);
    const before = cli.rss();
    server.go();
    // Nobody reads: the client fills stdout's buffer, pauses, and the network buffers fill.
    await sleep(3_000);
    const heldBack = server.sent();
    const stalledGrowth = cli.peakRss() - before;
    // BENCHMARKS.md "Round 17 (cli)": LV_MEASURE=1 prints what this run measured.
    if (process.env.LV_MEASURE) console.log('measured', { heldBack, stalledGrowth, before });
    expect(heldBack, 'messages the server could send while nobody read').toBeLessThan(MESSAGES / 2);

    cli.read(2);
    await waitFor(() => cli.length >= MESSAGES * (MESSAGE_BYTES + 1), {
      timeoutMs: WAIT_MS,
      intervalMs: 50,
      message: `every message (got ${cli.length} bytes; stderr ${JSON.stringify(cli.stderr)})`,
    });
    expect(numbers(cli.out)).toEqual(Array.from({ length: MESSAGES }, (_, i) => i));
    const growth = cli.peakRss() - before;
    // Without the pause the client would hold the whole 48 MiB stream (as strings, more).
    expect(stalledGrowth, `RSS growth while stalled: ${stalledGrowth} B`).toBeLessThan(24 * MiB);
    expect(growth, `RSS growth over the run: ${growth} B`).toBeLessThan(40 * MiB);
    if (process.env.LV_MEASURE) console.log('measured', { growth });
    expect(server.connections()).toBe(1);

    cli.proc.kill('SIGTERM');
    expect(await cli.exited, cli.stderr).toBe(0);
    expect(cli.stderr).not.toMatch(/connection lost/);
  });

  it('a reader that stalls far longer than the heartbeat: the link is not judged on pongs it could not read, no reconnect, every message in order', async () => {
    const server = await pumpingServer(h, STREAM_MESSAGES);
    const cli = startUnread(h, ['connect', server.url, ...QUICK_HEARTBEAT]);
    await cli.waitFor(/\* connected to/);
    // A second ping means the first pong was read: the peer is known to answer pings.
    await waitFor(() => server.pings() >= 2, { timeoutMs: WAIT_MS, message: 'two pings' });
    server.go();
    // Nobody reads for five heartbeat windows (500 ms + 500 ms each): the link holds.
    await sleep(5_000);
    expect(server.sent(), 'messages the server could send while nobody read').toBeLessThan(
      STREAM_MESSAGES / 2,
    );
    expect(cli.stderr).not.toMatch(/connection lost/);
    cli.read(1);
    await waitFor(() => cli.length >= STREAM_MESSAGES * (MESSAGE_BYTES + 1), {
      timeoutMs: WAIT_MS,
      intervalMs: 50,
      message: `every message (got ${cli.length} bytes; stderr ${JSON.stringify(cli.stderr)})`,
    });
    expect(numbers(cli.out)).toEqual(Array.from({ length: STREAM_MESSAGES }, (_, i) => i));
    expect(server.connections()).toBe(1);
    expect(cli.stderr).not.toMatch(/connection lost/);
    cli.proc.kill('SIGTERM');
    expect(await cli.exited, cli.stderr).toBe(0);
  });

  it("a socket opened while stdout is still full starts paused, and reads again on drain: the next connection's stream is held back, then arrives whole, in order", async () => {
    // Each of the first two connections gets its own numbered stream (`b` on the second): the
    // first once its pump is called, the second as soon as it opens.
    const streams: { sent: number; pump: () => void }[] = [];
    const sockets: WebSocket[] = [];
    let pings = 0;
    const server = await h.wsServer({
      onConnection: (ws) => {
        ws.on('ping', () => {
          pings++;
        });
        if (streams.length > 1) return;
        sockets.push(ws);
        const label = streams.length === 0 ? '' : 'b';
        const stream = {
          sent: 0,
          pump: () => {
            if (ws.readyState !== ws.OPEN) return;
            while (stream.sent < STREAM_MESSAGES && ws.bufferedAmount < MiB)
              ws.send(`${label}${message(stream.sent++)}`);
            if (stream.sent < STREAM_MESSAGES) setTimeout(stream.pump, 1);
          },
        };
        streams.push(stream);
        if (streams.length === 2) stream.pump();
      },
    });
    // stdin open: a line sent while the first socket is paused is how the client learns it was reset.
    // A heartbeat window of 1 s, as QUICK_HEARTBEAT's: three windows in each held stretch below.
    const cli = startUnread(h, ['connect', server.url, '--heartbeat', '500:500', '--backoff', '50:200']);
    await cli.waitFor(/\* connected to/);
    // A second ping means the first pong was read: the peer is known to answer pings.
    await waitFor(() => pings >= 2, { timeoutMs: WAIT_MS, message: 'two pings' });
    streams[0]?.pump();
    // Nobody reads: the first socket pauses and is held, through several heartbeat windows.
    await sleep(3_000);
    expect(cli.stderr).not.toMatch(/connection lost/);
    // The server resets the first connection. A paused client reads nothing, so it learns of it
    // when it writes: a line every 200 ms until it does.
    (sockets[0] as unknown as { _socket: Socket })._socket.resetAndDestroy();
    const typing = setInterval(() => cli.proc.stdin.write('hello\n'), 200);
    h.defer(() => clearInterval(typing));
    await cli.waitFor(/\* connection lost/);
    clearInterval(typing);
    await waitFor(() => streams.length === 2, { timeoutMs: WAIT_MS, message: 'the second connection' });
    // The second socket became ready while stdout was still full: paused at once, and held (not
    // lost a heartbeat later for pongs it could not read).
    await sleep(3_000);
    if (process.env.LV_MEASURE) console.log('measured', { secondHeldBack: streams[1]?.sent });
    expect(streams[1]?.sent, 'messages the second connection could send while nobody read').toBeLessThan(
      STREAM_MESSAGES / 2,
    );
    expect(cli.stderr.match(/\* connection lost/g), cli.stderr).toHaveLength(1);
    cli.read(1);
    await waitFor(() => cli.endsWith(`b${message(STREAM_MESSAGES - 1)}\n`), {
      timeoutMs: WAIT_MS,
      intervalMs: 50,
      message: 'the second stream whole',
    });
    const second = cli.out.slice(cli.out.indexOf('b0:'));
    expect(numbers(second.replace(/^b/gm, ''))).toEqual(Array.from({ length: STREAM_MESSAGES }, (_, i) => i));
    expect(streams).toHaveLength(2);
    expect(cli.stderr.match(/\* connection lost/g), cli.stderr).toHaveLength(1);
    cli.proc.kill('SIGTERM');
    expect(await cli.exited, cli.stderr).toBe(0);
  });

  it('closing while paused (SIGTERM, nobody reading): the close frame goes out, the socket reads to the server’s answer, exit 0', async () => {
    const server = await pumpingServer(h);
    const cli = startUnread(h, ['connect', server.url, '--no-stdin']);
    await cli.waitFor(/\* connected to/);
    server.go();
    await waitFor(() => server.sent() > 100, { timeoutMs: WAIT_MS, message: 'the client paused' });
    await sleep(500);
    cli.proc.kill('SIGTERM');
    expect(await cli.exited, cli.stderr).toBe(0);
    // What the client read after its pause took hold (ws's buffer, then until the server answered
    // the close) and never wrote is reported.
    expect(cli.stderr).toMatch(/\* SIGTERM: closing\n(\* a message was dropped \(unread\)\n)*\* closed\n$/);
    expect(server.sent()).toBeLessThan(MESSAGES / 2);
  });

  it('a reader that goes away (EPIPE): the client closes the link and exits, no crash', async () => {
    const server = await pumpingServer(h);
    const cli = startUnread(h, ['connect', server.url, '--no-stdin']);
    await cli.waitFor(/\* connected to/);
    server.go();
    cli.proc.stdout.destroy();
    expect(await cli.exited, cli.stderr).toBe(0);
    expect(cli.stderr).toMatch(/\* stdout closed \(EPIPE\): closing\n/);
    expect(cli.stderr).toMatch(/\* closed\n$/);
  });

  it('stdout and stderr on one pipe whose reader goes away (2>&1 | head): no crash on the lifecycle line, the link is closed cleanly, exit 0', async () => {
    const server = await pumpingServer(h);
    const command = `set -o pipefail; ${[process.execPath, BIN, 'connect', server.url, '--no-stdin'].map(shellQuote).join(' ')} 2>&1 | head -c 100000 >/dev/null`;
    const { proc, exited } = spawnChild(h, 'bash', ['-c', command]);
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    await waitFor(() => server.connections() === 1, { timeoutMs: WAIT_MS, message: 'connected' });
    server.go();
    // pipefail: the client's own exit code (head exits 0).
    expect(await exited, stderr).toBe(0);
    await waitFor(() => server.firstClosed() !== null, {
      timeoutMs: WAIT_MS,
      message: 'the server saw the close',
    });
    expect(server.firstClosed()).toBe(1000);
  });
});
