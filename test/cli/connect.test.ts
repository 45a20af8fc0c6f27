/**
 * `linkvisor connect` driven as a real child process against loopback ws servers: send and
 * receive, a server bounce (lost, reconnecting, queued while down, delivered after), end of input
 * and Ctrl-C closing cleanly, headers and subprotocols, a fatal rejection, --inspect.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { BEHIND_HOST } from '../helpers/servers.js';
import { waitFor } from '../helpers/wait.js';
import { CHILD_WAIT_MS, exitCode, ROOT, startCli } from './helpers.js';

/** BEHIND_HOST as a pattern (its dots literal). */
const HOSTRE = BEHIND_HOST.replaceAll('.', '\\.');

const FAST = ['--backoff', '50:200', '--jitter', 'none'];

describe('cli: linkvisor connect', () => {
  const h = useHarness();

  it('sends lines, prints messages, rides out a server bounce with queued lines, exits 0 at end of input', async () => {
    const received: string[][] = [];
    const closes: number[] = [];
    const onConnection = (ws: import('ws').WebSocket) => {
      const got: string[] = [];
      received.push(got);
      ws.on('message', (data) => {
        got.push(String(data));
        ws.send(`echo:${data}`);
      });
      ws.on('close', (code) => closes.push(code));
    };
    // The server restarts on a kept port (127.0.0.3): no other process can take it in between.
    const kept = await h.keptPort();
    const first = await h.wsServer({ ...kept.behind, onConnection });
    const cli = startCli(h, ['connect', kept.url('/feed'), ...FAST, '--exit-on-eof']);

    await cli.waitFor('stderr', new RegExp(`\\* connected to ws:\\/\\/${HOSTRE}:\\d+\\/feed`));
    // The first connect has no attempt number; the first retry is attempt 1, as in the events.
    expect(cli.stderr).toMatch(new RegExp(`\\* connecting to ws:\\/\\/${HOSTRE}:\\d+\\/feed\\n`));
    cli.line('hello');
    await cli.waitFor('stdout', /^echo:hello$/m);

    await first.stop();
    await cli.waitFor('stderr', /\* connection lost: closed with code 1006/);
    await cli.waitFor('stderr', /\* reconnecting in \d+ ms, attempt 1: closed with code 1006/);
    await cli.waitFor(
      'stderr',
      new RegExp(`\\* connecting to ws:\\/\\/${HOSTRE}:\\d+\\/feed \\(attempt 1\\)`),
    );
    cli.line('while-down');
    await cli.waitFor('stderr', /\* not connected: queued \(1 waiting\)/);
    await cli.waitFor('stderr', /reconnecting in \d+ ms, attempt 2: .*ECONNREFUSED/);

    await h.wsServer({ ...kept.behind, onConnection });
    await waitFor(() => cli.count('stderr', /\* connected to/g) === 2, {
      timeoutMs: CHILD_WAIT_MS, // the child's reconnect and its line: seconds on a busy host
      message: 'connected again',
    });
    await cli.waitFor('stdout', /^echo:while-down$/m);
    expect(received).toEqual([['hello'], ['while-down']]);

    cli.proc.stdin.end();
    expect(await exitCode(cli), cli.stderr).toBe(0);
    expect(cli.stderr).toMatch(/\* closed\n$/);
    await waitFor(() => closes.length === 2, { message: 'the server saw the close' });
    expect(closes).toEqual([1006, 1000]);
    expect(cli.stdout).toBe('echo:hello\necho:while-down\n');
  });

  it('--exit-on-eof, end of input while down: the queued lines are sent once the server is back, then it exits 0', async () => {
    const kept = await h.keptPort();
    const got: string[] = [];
    const cli = startCli(h, ['connect', `${BEHIND_HOST}:${kept.port}`, ...FAST, '--exit-on-eof']);
    cli.line('a');
    cli.line('b');
    cli.proc.stdin.end();
    await cli.waitFor('stderr', /end of input: sending 2 queued message\(s\) once connected/);
    await h.wsServer({ ...kept.behind, onConnection: (ws) => ws.on('message', (d) => got.push(String(d))) });
    expect(await exitCode(cli), cli.stderr).toBe(0);
    await waitFor(() => got.length === 2, { message: 'both lines' });
    expect(got).toEqual(['a', 'b']);
  });

  it('stdin at its end from the start (</dev/null): keeps retrying until Ctrl-C, then exit 3 (never ready)', async () => {
    const { port } = await h.keptPort();
    const cli = startCli(h, ['connect', `${BEHIND_HOST}:${port}`, ...FAST]);
    cli.proc.stdin.end();
    await cli.waitFor('stderr', /\* end of input: the link stays up until Ctrl-C \(--exit-on-eof to close\)/);
    await cli.waitFor('stderr', /reconnecting in \d+ ms, attempt 3: .*ECONNREFUSED/);
    expect(cli.proc.exitCode).toBeNull();
    cli.proc.kill('SIGINT');
    expect(await exitCode(cli), cli.stderr).toBe(3);
    expect(cli.stderr).toMatch(/\* SIGINT: closing\n\* closed; the link was never ready\n$/);
  });

  it('stdin at its end, the server up: the link stays open (a bounce is ridden out) until SIGTERM, exit 0', async () => {
    const kept = await h.keptPort();
    const first = await h.wsServer(kept.behind);
    const cli = startCli(h, ['connect', kept.url(), ...FAST]);
    cli.proc.stdin.end();
    await cli.waitFor('stderr', /\* connected to/);
    await cli.waitFor('stderr', /\* end of input: the link stays up/);
    await first.stop();
    await cli.waitFor('stderr', /\* connection lost/);
    await h.wsServer(kept.behind);
    await waitFor(() => cli.count('stderr', /\* connected to/g) === 2, {
      timeoutMs: CHILD_WAIT_MS, // the child's reconnect and its line: seconds on a busy host
      message: 'connected again',
    });
    cli.proc.kill('SIGTERM');
    expect(await exitCode(cli), cli.stderr).toBe(0);
  });

  it('--exit-on-eof never reports success for a link never ready: Ctrl-C while down is exit 3 and the queued line is reported', async () => {
    const { port } = await h.keptPort();
    const cli = startCli(h, ['connect', `${BEHIND_HOST}:${port}`, ...FAST, '--exit-on-eof']);
    cli.line('lost');
    cli.proc.stdin.end();
    await cli.waitFor('stderr', /end of input: sending 1 queued message\(s\) once connected/);
    await cli.waitFor('stderr', /attempt 2: .*ECONNREFUSED/);
    cli.proc.kill('SIGINT');
    expect(await exitCode(cli), cli.stderr).toBe(3);
    expect(cli.stderr).toMatch(/\* 1 queued line\(s\) not sent/);
  });

  it('--exit-on-eof with nothing to send: exits 0 once the link has been ready', async () => {
    const kept = await h.keptPort();
    const cli = startCli(h, ['connect', `http://${BEHIND_HOST}:${kept.port}/x`, ...FAST, '--exit-on-eof']);
    cli.proc.stdin.end();
    await cli.waitFor('stderr', /\* end of input: closing once connected/);
    await cli.waitFor('stderr', /attempt 1: .*ECONNREFUSED/);
    await h.wsServer(kept.behind);
    expect(await exitCode(cli), cli.stderr).toBe(0);
    expect(cli.stderr).toMatch(new RegExp(`\\* connected to ws:\\/\\/${HOSTRE}:\\d+\\/x\\n`));
    // The http:// mapping is said once, before the first attempt.
    expect(cli.count('stderr', /http:\/\/ maps to ws:\/\//g)).toBe(1);
    expect(cli.stderr.startsWith('* http:// maps to ws://\n')).toBe(true);
  });

  it('--header and --protocol reach the server, the chosen protocol is shown by its place (a secret); Ctrl-C closes cleanly (exit 0)', async () => {
    const seen: { auth?: string; custom?: string; protocol?: string }[] = [];
    const closes: number[] = [];
    const server = await h.wsServer({
      onConnection: (ws, request) => {
        seen.push({
          auth: request.headers.authorization,
          custom: String(request.headers['x-trace']),
          protocol: request.headers['sec-websocket-protocol'],
        });
        ws.on('close', (code) => closes.push(code));
      },
    });
    const cli = startCli(h, [
      'connect',
      server.url,
      '-H',
      'Authorization: Bearer s3cret',
      '--header=X-Trace: abc',
      '--protocol',
      'chat.v2',
      '-p',
      'chat.v1',
      '--heartbeat',
      '1000',
    ]);
    await cli.waitFor('stderr', /\* connected to .* \(subprotocol 1 of the 2 offered\)/);
    expect(seen).toEqual([{ auth: 'Bearer s3cret', custom: 'abc', protocol: 'chat.v2,chat.v1' }]);
    expect(cli.stderr).not.toContain('s3cret');
    expect(cli.stderr).not.toContain('chat.v');

    cli.proc.kill('SIGINT');
    expect(await exitCode(cli), cli.stderr).toBe(0);
    expect(cli.stderr).toMatch(/\* SIGINT: closing\n\* closed\n$/);
    await waitFor(() => closes.length === 1, { message: 'the server saw the close' });
    expect(closes).toEqual([1000]);
  });

  it('SIGCONT (continued after Ctrl-Z) while waiting out a long backoff: "rejoining", then connected well before the backoff ends', async () => {
    const kept = await h.keptPort();
    const cli = startCli(h, [
      'connect',
      `${BEHIND_HOST}:${kept.port}`,
      '--backoff',
      '60000:60000',
      '--jitter',
      'none',
    ]);
    await cli.waitFor('stderr', /\* reconnecting in 60\.0 s, attempt 1: .*ECONNREFUSED/);
    await h.wsServer(kept.behind);
    cli.proc.kill('SIGCONT');
    await cli.waitFor('stderr', /\* SIGCONT: continued; checking the link\n/);
    await cli.waitFor('stderr', /\* rejoining in \d+ ms, attempt 1: the rest of the backoff is skipped\n/);
    // Within the wait's bound (30 s), half the backoff: the rejoin (0-1 s) made the attempt.
    await cli.waitFor('stderr', /\* connected to/);
    cli.proc.kill('SIGTERM');
    expect(await exitCode(cli), cli.stderr).toBe(0);
  });

  it('a fatal rejection (HTTP 401): "failed", exit code 1, one attempt', async () => {
    const server = await h.upgradeServer((_request, socket) =>
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n'),
    );
    const cli = startCli(h, ['connect', server.url, ...FAST]);
    expect(await exitCode(cli), cli.stderr).toBe(1);
    expect(cli.stderr).toMatch(/\* failed: upgrade rejected with HTTP 401/);
    expect(server.upgrades).toBe(1);
  });

  it('--inspect: starts the inspector when this build has one, says it is unavailable otherwise', async () => {
    const server = await h.wsServer();
    const cli = startCli(h, ['connect', server.url, '--inspect', '--no-stdin']);
    await cli.waitFor('stderr', /\* connected to/);
    const hasInspector = existsSync(path.join(ROOT, 'src/inspector/index.ts'));
    if (hasInspector) await cli.waitFor('stderr', /\* inspector (at|unavailable|failed)/);
    else expect(cli.stderr).toContain('* inspector unavailable: this build has no inspector');
    cli.proc.kill('SIGTERM');
    expect(await exitCode(cli), cli.stderr).toBe(0);
  });
});
