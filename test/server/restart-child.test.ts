/**
 * Resume across a real restart of the server's process, as docs/resume.md promises with a durable
 * store: a `resumable` echo server in a child process (fixtures/restart-server.ts) is stopped with
 * SIGTERM (its `close()` writes each session) while its client keeps sending, and a new process on
 * the same port and store takes over. The link resumes (`resumed`, no reset), and every message
 * reaches the server's application once, in order, across both processes, and its echo reaches
 * the link once, in order. Killed instead (SIGKILL: no `close()`), nothing is lost silently: every
 * message the link sent reaches the new process's application, or was delivered before the crash
 * and not yet acknowledged (then again: at least once, docs/resume-protocol.md §6), or is reported
 * `dropped` by a reset.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Link } from '../../src/runtime/link.js';
import { FAST, type Harness, useHarness } from '../helpers/harness.js';
import { BEHIND_HOST } from '../helpers/servers.js';
import { waitFor } from '../helpers/wait.js';
import { tempDir } from './file-store.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURE = path.join(ROOT, 'test/server/fixtures/restart-server.ts');

/** The server's process: its output lines, and its exit (once its stdout was read to the end). */
function startServer(port: number, dir: string) {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', FIXTURE, String(port), dir, BEHIND_HOST],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines: string[] = [];
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString('utf8')).split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts);
  });
  // `close`, not `exit`: the exit can be seen before the pipe's last lines (`closed`, `got …`) are
  // read on a busy host; `close` comes once stdout was read to its end.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, lines, exited };
}

/** A server process started and ready (its `ready <port>` line), killed at the test's end. */
async function startServerReady(h: Harness, port: number, dir: string, message: string) {
  const server = startServer(port, dir);
  h.defer(() => server.child.kill('SIGKILL'));
  await waitFor(() => server.lines.some((l) => l.startsWith('ready ')), { timeoutMs: 30_000, message });
  return server;
}

/**
 * A durable store, the first server process on it, and a resuming link to it. The servers listen
 * on a kept port (BEHIND_HOST:port, the port held by this process): no other process can take it
 * between the first server's end and the second's start.
 */
async function firstServerAndLink(h: Harness) {
  const store = tempDir();
  h.defer(() => store.remove());
  const kept = await h.keptPort();
  const first = await startServerReady(h, kept.port, store.dir, 'first server ready');
  const port = kept.port;
  const link = h.supervisor({ ...FAST }).connect(kept.url(), { resume: true });
  return { store, first, port, link };
}

/** What a server process's application was given, in order (its `got <json>` lines). */
function gotBy(lines: string[]): string[] {
  return lines.filter((l) => l.startsWith('got ')).map((l) => JSON.parse(l.slice(4)) as string);
}

/** Sends numbered texts (`m1`, `m2`, …) on the link, keeping what was sent in order. */
function sender(link: Link) {
  const sent: string[] = [];
  const send = (n: number) => {
    for (let i = 0; i < n; i++) {
      const text = `m${sent.length + 1}`;
      sent.push(text);
      link.send(text);
    }
  };
  return { sent, send };
}

describe('resume across a restart of the server process (durable store)', () => {
  const h = useHarness();

  it('SIGTERM, a new process on the same port and store: resumed, each message once and in order both ways', async () => {
    const { store, first, port, link } = await firstServerAndLink(h);
    const echoes: string[] = [];
    const events: string[] = [];
    link.on('message', (data) => echoes.push(String(data)));
    link.on('resumed', () => events.push('resumed'));
    link.on('reset', ({ reason }) => events.push(`reset ${reason}`));
    link.on('dropped', ({ reason }) => events.push(`dropped ${reason}`));
    await link.ready();
    const { sent, send } = sender(link);
    send(20);
    await waitFor(() => echoes.length === 20, { timeoutMs: 20_000, message: 'first echoes' });
    send(10);
    first.child.kill('SIGTERM');
    send(10);
    expect(await first.exited).toBe(0);
    expect(first.lines).toContain('closed');
    send(10);
    const second = await startServerReady(h, port, store.dir, 'second server ready');
    await waitFor(() => echoes.length === sent.length, {
      timeoutMs: 20_000,
      message: `every echo (${echoes.length} of ${sent.length})`,
    });
    expect(echoes).toEqual(sent);
    expect(events).toEqual(['resumed']);
    // The server prints `got` before it echoes, but this process reads the child's stdout pipe and
    // the socket as they come: the last lines can arrive after the last echo on a busy host.
    const got = () => [...gotBy(first.lines), ...gotBy(second.lines)];
    await waitFor(() => got().length >= sent.length, {
      timeoutMs: 20_000,
      message: `every got line (${got().length} of ${sent.length})`,
    });
    expect(got()).toEqual(sent);
    expect(second.lines).toContain('session resumed');
    expect([...first.lines, ...second.lines].filter((l) => /^(error|dropped) /.test(l))).toEqual([]);
    await link.close();
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 90_000);

  it('SIGKILL mid-stream, a new process on the same port and store: nothing lost silently', async () => {
    const { store, first, port, link } = await firstServerAndLink(h);
    const echoes: string[] = [];
    const dropped: string[] = [];
    const events: string[] = [];
    link.on('message', (data) => echoes.push(String(data)));
    link.on('resumed', () => events.push('resumed'));
    link.on('reset', ({ reason }) => events.push(`reset ${reason}`));
    link.on('dropped', ({ data }) => dropped.push(String(data)));
    await link.ready();
    const { sent, send } = sender(link);
    send(20);
    await waitFor(() => echoes.length === 20, { timeoutMs: 20_000, message: 'first echoes' });
    // Acknowledged, so written to the store (a durable store is written before each ack).
    await waitFor(() => link.status().resume?.buffered.messages === 0, {
      timeoutMs: 20_000,
      message: 'first acks',
    });
    send(10);
    first.child.kill('SIGKILL');
    await first.exited;
    send(10);
    const second = await startServerReady(h, port, store.dir, 'second server ready');
    await waitFor(() => events.length > 0 && link.state === 'ready', { timeoutMs: 20_000, message: 'back' });
    // Every message: delivered to an application (the new one at the latest), or reported.
    await waitFor(
      () =>
        sent.every(
          (m) => gotBy(second.lines).includes(m) || gotBy(first.lines).includes(m) || dropped.includes(m),
        ),
      { timeoutMs: 20_000, message: 'every message delivered or reported' },
    );
    const before = gotBy(first.lines);
    const after = gotBy(second.lines);
    // In order in each process; the new one starts where the crash left (a repeat at most).
    expect(before).toEqual(sent.slice(0, before.length));
    if (events[0] === 'resumed') {
      expect(dropped).toEqual([]);
      expect(after).toEqual(sent.slice(sent.length - after.length));
      expect(before.length + after.length).toBeGreaterThanOrEqual(sent.length);
    }
    await link.close();
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 90_000);
});
