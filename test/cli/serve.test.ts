/**
 * `linkvisor serve` driven as a real child process, with `linkvisor connect` (also a real child)
 * against it end to end: echo, a bounce seen as a reconnect, a fatal close code seen as a failure,
 * --stall, bad options, and a clean exit 0 on SIGINT / SIGTERM. Every port is chosen by the OS.
 */
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { type Cli, exitCode, startCli } from './helpers.js';

const FAST = ['--backoff', '50:200', '--jitter', 'none'];

/** Starts `linkvisor serve` and returns it with the URL of its first stdout line. */
async function startServe(h: ReturnType<typeof useHarness>, args: string[] = []) {
  const serve = startCli(h, ['serve', ...args]);
  const [, url] = await serve.waitFor('stdout', /^(ws:\/\/127\.0\.0\.1:\d+)\n/);
  return { serve, url: url as string };
}

async function stop(cli: Cli, signal: NodeJS.Signals = 'SIGINT') {
  cli.proc.kill(signal);
  return exitCode(cli);
}

describe('cli: linkvisor serve', () => {
  const h = useHarness();

  it('echoes what connect sends; both end with exit 0 on SIGINT / SIGTERM', async () => {
    const { serve, url } = await startServe(h);
    expect(serve.stdout).toBe(`${url}\n`);
    const cli = startCli(h, ['connect', `${url}/room`, ...FAST]);
    await cli.waitFor('stderr', /\* connected to ws:\/\/127\.0\.0\.1:\d+\/room/);
    cli.line('hello');
    cli.line('second line');
    await cli.waitFor('stdout', /^second line$/m);
    expect(cli.stdout).toBe('hello\nsecond line\n');
    await serve.waitFor('stderr', /\* connection 1 from 127\.0\.0\.1/);

    expect(await stop(cli), cli.stderr).toBe(0);
    await serve.waitFor('stderr', /\* connection 1 closed \(code 1000\)/);
    expect(await stop(serve, 'SIGTERM'), serve.stderr).toBe(0);
    expect(serve.stderr).toMatch(/\* SIGTERM: stopped\n$/);
  });

  it('--bounce-every: the server restarts on the same port and connect reconnects to it', async () => {
    const { serve, url } = await startServe(h, ['--bounce-every', '1500']);
    const cli = startCli(h, ['connect', url, ...FAST]);
    await cli.waitFor('stderr', /\* connected to/);
    await cli.waitFor('stderr', /\* connection lost: closed with code 1006/);
    await serve.waitFor(
      'stderr',
      /\* bounce: dropped 1 connection\(s\); listening again on ws:\/\/127\.0\.0\.1:\d+/,
    );
    await waitFor(() => cli.count('stderr', /\* connected to/g) >= 2, {
      timeoutMs: 30_000,
      message: 'reconnected',
    });
    // Still the same URL after a bounce: a client needs no new address.
    expect(serve.stderr).toContain(`listening again on ${url}`);
    expect(await stop(cli), cli.stderr).toBe(0);
    expect(await stop(serve), serve.stderr).toBe(0);
  });

  it('--close-code 1008: connect sees a fatal close, fails at once with exit 1', async () => {
    const { serve, url } = await startServe(h, ['--close-code', '1008']);
    const cli = startCli(h, ['connect', url, ...FAST]);
    expect(await exitCode(cli), cli.stderr).toBe(1);
    expect(cli.stderr).toMatch(/\* failed: .*1008/);
    expect(cli.count('stderr', /\* connected to/g)).toBe(1);
    expect(cli.stderr).not.toMatch(/reconnecting in/);
    expect(await stop(serve), serve.stderr).toBe(0);
  });

  it('--close-code 4000 (retryable): connect keeps reconnecting', async () => {
    const { serve, url } = await startServe(h, ['--close-code', '4000']);
    const cli = startCli(h, ['connect', url, ...FAST]);
    await cli.waitFor('stderr', /reconnecting in \d+ ms, attempt 2: closed with code 4000/);
    expect(await stop(cli), cli.stderr).toBe(0);
    expect(await stop(serve), serve.stderr).toBe(0);
  });

  it('--stall: messages and pings are received but never answered', async () => {
    const { serve, url } = await startServe(h, ['--stall']);
    const ws = new WebSocket(url);
    h.defer(() => ws.terminate());
    const got: string[] = [];
    let pongs = 0;
    ws.on('message', (data) => got.push(String(data)));
    ws.on('pong', () => pongs++);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.ping();
    ws.send('anyone?');
    // The server logs each frame where it would have answered it.
    await serve.waitFor('stderr', /\* connection 1: ping not answered \(--stall\)/);
    await serve.waitFor('stderr', /\* connection 1: message not echoed \(--stall\)/);
    expect(got).toEqual([]);
    expect(pongs).toBe(0);
    expect(await stop(serve), serve.stderr).toBe(0);
  });

  it('--stall=<ms>: a peer that answered and then hangs is noticed by the heartbeat of connect, which reconnects', async () => {
    const { serve, url } = await startServe(h, ['--stall=3000']);
    const cli = startCli(h, ['connect', url, ...FAST, '--heartbeat', '250:500']);
    await cli.waitFor('stderr', /\* connected to/);
    await serve.waitFor('stderr', /\* connection 1: stalled \(--stall\)/);
    await cli.waitFor('stderr', /\* connection lost: .*(pong|heartbeat)/i);
    await waitFor(() => cli.count('stderr', /\* connected to/g) >= 2, {
      timeoutMs: 30_000,
      message: 'reconnected',
    });
    expect(await stop(cli), cli.stderr).toBe(0);
    expect(await stop(serve), serve.stderr).toBe(0);
  });

  it('a port already taken: one line saying so, exit 1', async () => {
    const { serve, url } = await startServe(h);
    const port = url.split(':').pop() as string;
    const second = startCli(h, ['serve', '--port', port]);
    expect(await exitCode(second)).toBe(1);
    expect(second.stderr).toBe(
      `linkvisor: serve: cannot listen on 127.0.0.1:${port} (EADDRINUSE) [LV_ERR_IO]\n`,
    );
    expect(second.stdout).toBe('');
    expect(await stop(serve), serve.stderr).toBe(0);
  });

  it.each([
    [
      ['--port', '70000'],
      /^linkvisor: serve: --port: expected a whole number from 0 to 65535 \(decimal digits\), got '70000'/,
    ],
    [['--close-code', '1006'], /^linkvisor: serve: --close-code: 1006 cannot be sent/],
    [['--stall=soon'], /^linkvisor: serve: --stall: expected a whole number/],
    [['--bounce-every', '0'], /^linkvisor: serve: --bounce-every: expected a whole number from 1/],
    [['--bogus'], /^linkvisor: serve: unknown option '--bogus'/],
    [['extra'], /^linkvisor: serve: unexpected argument 'extra'/],
  ])('bad usage %j: one line, exit 2', async (args, message) => {
    const cli = startCli(h, ['serve', ...args]);
    expect(await exitCode(cli)).toBe(2);
    expect(cli.stderr).toMatch(message);
    expect(cli.stderr.trim().split('\n')).toHaveLength(1);
  });
});
