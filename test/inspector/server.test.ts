/**
 * The inspector server's life: a page gets a `hello` with every actor and its laid-out chart,
 * then live records and figures; `close()` tells open pages to come back later (1012) and leaves
 * no timer, socket or server behind (the harness checks); a restart with the same port and token
 * serves the same pages again.
 */
import { describe, expect, it } from 'vitest';
import { createInspector, startInspector } from '../../src/inspector/index.js';
import { parseTrace } from '../../src/trace/trace-format.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { inspectedSupervisor } from './inspected-supervisor.js';
import { connectPage } from './page-client.js';

const h = useHarness();

describe('inspector server', () => {
  it('greets a page with every actor and chart, then streams records and figures', async () => {
    const ws = await h.wsServer();
    const inspector = createInspector();
    const supervisor = h.supervisor({ ...FAST, inspect: inspector.inspect });
    await supervisor.connect(ws.url, { id: 'feed' }).ready();
    const server = await startInspector(supervisor, { inspector, statusIntervalMs: 20 });
    h.defer(() => server.close());
    const page = await connectPage(server.url);
    h.defer(() => page.close());
    const hello = await page.next('hello');
    expect(hello.actors.map((a) => a.id).sort()).toEqual(['link:feed', 'socket']);
    expect(hello.charts.map((c) => c.key).sort()).toEqual(['connection', 'socket']);
    // The supervisor comes in full; a link only once the page selects it.
    expect(hello.details.map((d) => d.actor.id)).toEqual(['socket']);
    expect(hello.details[0]?.records.some((r) => r.event === 'start')).toBe(true);
    page.select('link:feed');
    const feed = await waitFor(
      () => page.details().find((d) => d.actor.id === 'link:feed' && d.actor.figures.queue),
      { message: 'link:feed in full' },
    );
    expect(feed.reset).toBe(true);
    expect(feed.records.some((r) => r.event === 'start')).toBe(true);
    expect(feed.actor.figures.queue).toEqual({ messages: 0, bytes: 0 });
    expect(feed.actor.figures.url).toBe(`${ws.url}/`);

    supervisor.connect(ws.url, { id: 'second' });
    await page.nextActor((a) => a.id === 'link:second');
    page.select('link:second');
    await page.nextRecord((r) => r.actor === 'link:second' && r.to.startsWith('attempt.ready'));
    page.send({ type: 'ping', id: 7 });
    expect((await page.next('pong')).id).toBe(7);
  });

  it('close() sends open pages away with 1012 and leaves nothing; a restart with the same token serves them again', async () => {
    const inspector = createInspector();
    const supervisor = h.supervisor({ ...FAST, inspect: inspector.inspect });
    supervisor.watch({ name: 'db', probe: async () => {}, pollIntervalMs: 60_000 });
    // The restart is on a kept port: no other process can take it in between.
    const kept = await h.keptPort();
    const first = await startInspector(supervisor, { inspector, ...kept.behind });
    const pages = [await connectPage(first.url), await connectPage(first.url)];
    for (const page of pages) await page.next('hello');
    const codes = pages.map(
      (page) => new Promise<number>((resolve) => page.ws.once('close', (code) => resolve(code))),
    );
    await first.close();
    expect(await Promise.all(codes)).toEqual([1012, 1012]);
    await first.close(); // idempotent

    const token = new URL(first.url).searchParams.get('token') ?? '';
    const second = await startInspector(supervisor, { inspector, ...kept.behind, token });
    h.defer(() => second.close());
    expect(second.url).toBe(first.url);
    const again = await connectPage(first.url);
    h.defer(() => again.close());
    const hello = await again.next('hello');
    expect(hello.actors.map((a) => a.id)).toContain('watcher:db');
  });

  it('the supervisor closing under an open page: the page sees its links end; the server keeps serving and leaves nothing on close', async () => {
    const ws = await h.wsServer();
    // No collector given: the server attaches late, one subscription per system, released as they end.
    const supervisor = h.supervisor({ ...FAST });
    const links = Array.from({ length: 20 }, (_, i) => supervisor.connect(ws.url, { id: `l${i}` }));
    await Promise.all(links.map((link) => link.ready()));
    const server = await startInspector(supervisor, { statusIntervalMs: 20 });
    h.defer(() => server.close());
    const page = await connectPage(server.url);
    h.defer(() => page.close());
    await page.next('hello');
    await waitFor(() => server.inspector.attachedSystems() > 0, { message: 'attached' });
    await supervisor.close();
    await page.nextActor((a) => a.id === 'socket' && a.status !== 'active');
    await waitFor(() => server.inspector.attachedSystems() === 0, { message: 'every subscription released' });
    expect(server.inspector.rows().every((row) => row.status !== 'active')).toBe(true);
    page.send({ type: 'ping', id: 1 });
    expect(await page.next('pong', (m) => m.id === 1)).toEqual({ type: 'pong', id: 1 });
    // A closed supervisor has nothing to record (recordSession refuses it): the page is told so.
    page.send({ type: 'record', on: true });
    expect((await page.next('recording')).on).toBe(false);
    expect(server.recordings()).toBe(0);
    await server.close();
    expect(server.pages()).toEqual([]);
    expect(server.recordings()).toBe(0);
  });

  it('records a session for a page that asks, sends it when asked, and stops it when the page goes or the server closes', async () => {
    const { supervisor, server } = await inspectedSupervisor(h);
    const page = await connectPage(server.url);
    expect((await page.next('hello')).server).toMatchObject({ record: true, trace: false });
    page.send({ type: 'record', on: true });
    expect((await page.next('recording')).on).toBe(true);
    expect(server.recordings()).toBe(1);
    supervisor.connect('ws://127.0.0.1:9/feed?token=REC-SECRET-123456', { id: 'feed' });
    await page.nextActor((a) => a.id === 'link:feed');
    page.send({ type: 'record', on: false });
    const { text } = await page.next('trace');
    expect(server.recordings()).toBe(0);
    const trace = parseTrace(text);
    expect(trace.records.some((r) => r.actor === 'link:feed')).toBe(true);
    expect(text).not.toContain('REC-SECRET');
    // Still recording when the server closes: the recording stops with it.
    page.send({ type: 'record', on: true });
    await page.next('recording', (m) => m.on);
    await server.close();
    expect(server.recordings()).toBe(0);
  });

  it('a recording that reaches maxRecordingRecords stops and sends its page the trace with the reason', async () => {
    const ws = await h.wsServer();
    const inspector = createInspector();
    const supervisor = h.supervisor({ ...FAST, inspect: inspector.inspect });
    const server = await startInspector(supervisor, { inspector, maxRecordingRecords: 5 });
    h.defer(() => server.close());
    const page = await connectPage(server.url);
    h.defer(() => page.close());
    await page.next('hello');
    page.send({ type: 'record', on: true });
    expect((await page.next('recording')).on).toBe(true);
    // A link's start alone makes more than 5 records; the page never asks to stop.
    for (let i = 0; i < 3; i++) supervisor.connect(ws.url, { id: `l${i}` });
    const stopped = await page.next('trace');
    expect(stopped.reason).toMatch(/maxRecordingRecords \(5 records\)/);
    const trace = parseTrace(stopped.text);
    expect(trace.records.length).toBeGreaterThanOrEqual(5);
    expect(trace.records.length).toBeLessThan(20);
    expect(server.recordings()).toBe(0);
    // Asking to stop afterwards: nothing is recording.
    page.send({ type: 'record', on: false });
    expect((await page.next('recording')).on).toBe(false);
  });

  it('a recording filled at once by the actors that exist already stops at once, with the reason', async () => {
    const ws = await h.wsServer();
    const inspector = createInspector();
    const supervisor = h.supervisor({ ...FAST, inspect: inspector.inspect });
    await supervisor.connect(ws.url, { id: 'early' }).ready();
    const server = await startInspector(supervisor, { inspector, maxRecordingRecords: 1 });
    h.defer(() => server.close());
    const page = await connectPage(server.url);
    h.defer(() => page.close());
    await page.next('hello');
    page.send({ type: 'record', on: true });
    expect((await page.next('trace')).reason).toMatch(/maxRecordingRecords \(1 records\)/);
    expect((await page.next('recording')).on).toBe(false);
    expect(server.recordings()).toBe(0);
  });

  it('with no supervisor it serves a trace and records nothing; a bad trace is refused', async () => {
    await expect(startInspector(null, { trace: 'not a trace' })).rejects.toMatchObject({
      code: 'LV_ERR_INVALID_TRACE',
      option: 'trace',
    });
    const server = await startInspector(null);
    h.defer(() => server.close());
    const page = await connectPage(server.url);
    h.defer(() => page.close());
    const hello = await page.next('hello');
    expect(hello.server).toMatchObject({ record: false, trace: false, lateAttach: false });
    expect(hello.charts.map((c) => c.key).sort()).toEqual(['connection', 'socket', 'watcher']);
    page.send({ type: 'record', on: true });
    expect(await page.next('result')).toMatchObject({ ok: false, message: 'no supervisor to record' });
    page.send({ type: 'send', actor: 'link:x', event: { type: 'link.reconnect' } });
    expect((await page.next('result', (m) => m.message !== 'no supervisor to record')).ok).toBe(false);
    expect(server.recordings()).toBe(0);
  });
});
