/**
 * The record → replay → shrink loop of docs/replay.md, run by `npm test`: a session in which a
 * server keeps restarting is recorded and saved, replayed as a test, and shrunk to the few inputs
 * that break the application's invariant ("never more than 3 reconnects").
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createSupervisor } from '../src/index.js';
import { createMemoryNetwork, replayTrace, shrinkTrace, TestClock } from '../src/testing/index.js';
import { formatTrace, parseTrace, recordSession, type Trace } from '../src/trace/index.js';

const dir = await mkdtemp(path.join(tmpdir(), 'linkvisor-incident-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const file = path.join(dir, 'incident.jsonl');

/** The application's invariant: the feed reconnects at most 3 times. */
const fewReconnects = (trace: Trace) =>
  trace.records.filter((r) => r.kind === 'event' && r.to === 'reconnecting' && r.from !== 'reconnecting')
    .length <= 3;

it('1. records a session and saves it', async () => {
  const clock = new TestClock();
  const network = createMemoryNetwork({ clock, inProcess: false });
  const server = network.listen('mem://feed');
  const supervisor = createSupervisor({ transport: network.transport, clock });
  const recorder = recordSession(supervisor); // in production: the same call, on the real supervisor
  supervisor.connect('mem://feed', { id: 'feed', heartbeat: { intervalMs: 1_000, timeoutMs: 300 } });
  for (let i = 0; i < 8; i++) {
    await clock.advance(2_000);
    server.dropAll(1012, 'restart');
  }
  await writeFile(file, formatTrace(recorder.stop()));
  await supervisor.terminate();
});

it('2. replays the saved session as a test', async () => {
  const trace = parseTrace(await readFile(file, 'utf8'));
  expect((await replayTrace(trace)).message).toMatch(/^replay identical/);
});

it('3. shrinks it to the inputs that break the invariant', async () => {
  const trace = parseTrace(await readFile(file, 'utf8'));
  expect(fewReconnects(trace)).toBe(false);
  const minimal = await shrinkTrace(trace, fewReconnects);
  expect(fewReconnects(minimal)).toBe(false);
  expect(minimal.records.length).toBeLessThan(trace.records.length / 2);
});
