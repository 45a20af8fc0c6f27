/**
 * The application's callbacks: an app heartbeat's ping() and isPong(), the handshake and its
 * session.send(), the per-attempt url/protocols/headers/wsOptions functions, listeners, an inspect
 * observer, watcher probes and callbacks, a link spawned by an application machine.
 * No user-supplied value or callback can kill a link or leak its socket (issue 10, defects 1, 5,
 * 7, 8). Real `ws` servers on loopback; each test checks that the link's actor never errors and that
 * nothing stays open (write-errors-fixtures.ts).
 */
import { describe, expect, it } from 'vitest';
import { createActor, setup, spawnChild } from 'xstate';
import { defineLink, type LinkvisorError } from '../../src/index.js';
import { recordEvents } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { bufferOf, detach, endsClean, inbox, serverEmpty, watchActor } from './write-errors-fixtures.js';

describe('write errors never kill a link', () => {
  const h = useHarness();

  it.each([
    ['an object', () => ({ type: 'ping' }), 'LV_ERR_INVALID_DATA'],
    ['null', () => null, 'LV_ERR_INVALID_DATA'],
    ['undefined', () => undefined, 'LV_ERR_INVALID_DATA'],
    ['a promise (an async ping)', () => Promise.reject(new Error('async ping')), 'LV_ERR_INVALID_OPTION'],
    [
      'a detached buffer',
      () => {
        const ab = bufferOf([1]);
        detach(ab);
        return ab;
      },
      'LV_ERR_INVALID_DATA',
    ],
    [
      'nothing (it throws)',
      () => {
        throw new Error('no ping today');
      },
      'LV_ERR_LISTENER',
    ],
  ])(
    'an app heartbeat ping() returning %s is reported, sends nothing, and the link stays up',
    async (_name, ping, code) => {
      const server = await h.wsServer();
      const { messages } = inbox(server);
      const supervisor = h.supervisor(FAST);
      const link = supervisor.connect(server.url, {
        heartbeat: {
          mode: 'app',
          intervalMs: 20,
          timeoutMs: 20,
          ping: ping as unknown as () => string,
          isPong: (data) => data === 'pong',
        },
      });
      const actor = watchActor(link);
      const log = recordEvents(link);
      await link.ready();
      await waitFor(() => log.count('error') >= 2, { message: 'two reported pings' });
      const errors = log.of<LinkvisorError>('error');
      expect(errors[0]?.code).toBe(code);
      expect(errors[0]?.option).toBe('heartbeat.ping');
      expect(link.state).toBe('ready');
      expect(link.send('still here')).toBe('sent');
      await waitFor(() => messages.length === 1, { message: 'the application message' });
      expect(messages).toEqual(['still here']);
      expect(actor.errors).toEqual([]);
      await supervisor.close();
      await serverEmpty(server);
    },
  );

  it('isPong() that throws or returns odd values: reported or taken as an answer, never fatal', async () => {
    const server = await h.wsServer({ onConnection: (ws) => ws.on('message', () => ws.send('echo')) });
    const supervisor = h.supervisor(FAST);
    let calls = 0;
    const link = supervisor.connect(server.url, {
      heartbeat: {
        mode: 'app',
        intervalMs: 20,
        timeoutMs: 200,
        ping: () => 'ping',
        isPong: () => {
          calls++;
          if (calls % 2) throw new Error('matcher broke');
          return { yes: true } as unknown as boolean;
        },
      },
    });
    const actor = watchActor(link);
    const log = recordEvents(link);
    await link.ready();
    await waitFor(() => calls >= 4, { message: 'four isPong() calls' });
    expect(log.of<LinkvisorError>('error')[0]?.code).toBe('LV_ERR_LISTENER');
    expect(link.state).toBe('ready');
    await endsClean(supervisor, server, actor);
  });

  it('handshake: session.send() of an unsendable value throws LV_ERR_INVALID_DATA to the handshake; an odd throw fails the attempt, not the link', async () => {
    const server = await h.wsServer({
      onConnection: (ws) => ws.on('message', (data) => data.toString() === 'auth' && ws.send('ok')),
    });
    const supervisor = h.supervisor(FAST);
    const caught: unknown[] = [];
    let attempt = 0;
    const link = supervisor.connect(server.url, {
      handshake: async (session) => {
        attempt++;
        const ab = bufferOf([1]);
        detach(ab);
        for (const bad of [ab, { not: 'data' }, null]) {
          try {
            session.send(bad as never);
          } catch (error) {
            caught.push(error);
          }
        }
        // An odd rejection (not an Error, a getter that throws) fails this attempt only.
        if (attempt === 1) {
          throw Object.defineProperty({}, 'message', {
            get() {
              throw new Error('a hostile message getter');
            },
          });
        }
        if (attempt === 2) throw Symbol('odd');
        session.send('auth');
        await session.next();
      },
    });
    const actor = watchActor(link);
    const log = recordEvents(link);
    await link.ready();
    expect(caught.map((e) => (e as LinkvisorError).code)).toEqual(Array(9).fill('LV_ERR_INVALID_DATA'));
    expect(log.of<{ reason: { kind: string } }>('reconnecting').map((e) => e.reason.kind)).toEqual([
      'handshake',
      'handshake',
    ]);
    await endsClean(supervisor, server, actor);
  });

  it.each([
    ['url() returning a number', { url: () => 42 }],
    ['url() rejecting with a non-Error', { url: () => Promise.reject(Symbol('nope')) }],
    ['headers() returning null values', { headers: () => ({ Authorization: null }) }],
    ['headers() returning a string', { headers: () => 'Authorization: x' }],
    ['headers() returning a value with a newline', { headers: () => ({ 'x-a': 'b\r\nc' }) }],
    ['protocols() returning a number', { protocols: () => 7 }],
    ['protocols() returning an invalid token', { protocols: () => ['a b'] }],
    ['wsOptions() returning a string', { wsOptions: () => 'nope' }],
  ])(
    'a per-attempt %s fails the attempt with a reason naming the option, never the link',
    async (_name, odd) => {
      const server = await h.wsServer();
      const rejections: unknown[] = [];
      const onRejection = (reason: unknown) => rejections.push(reason);
      process.on('unhandledRejection', onRejection);
      h.defer(() => process.off('unhandledRejection', onRejection));
      const supervisor = h.supervisor(FAST);
      const { url = server.url, ...options } = odd as { url?: unknown } & Record<string, unknown>;
      const link = supervisor.connect(url as string, options);
      const actor = watchActor(link);
      const log = recordEvents(link);
      await waitFor(() => log.count('reconnecting') + log.count('failed') >= 1, {
        message: 'the attempt ended',
      });
      const reason = (log.of<{ reason: { message: string } }>('reconnecting')[0] ??
        log.of<{ reason: { message: string } }>('failed')[0]) as { reason: { message: string } };
      const option = url === server.url ? Object.keys(options)[0] : 'url';
      expect(reason.reason.message).toContain(option);
      expect(actor.errors).toEqual([]);
      expect(rejections).toEqual([]);
      await supervisor.close();
      expect(server.clients.size).toBe(0);
    },
  );

  it('listeners that throw, on the link and on the supervisor, are reported as LV_ERR_LISTENER', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const supervisorErrors: LinkvisorError[] = [];
    supervisor.on('error', (e) => supervisorErrors.push(e));
    supervisor.on('up', () => {
      throw new Error('up listener');
    });
    const group = supervisor.connectGroup([server.url], { id: 'g' });
    const groupErrors: LinkvisorError[] = [];
    group.on('error', (e) => groupErrors.push(e));
    group.on('up', () => {
      throw new Error('group up listener');
    });
    const link = supervisor.connect(server.url);
    const actor = watchActor(link);
    const log = recordEvents(link);
    for (const event of ['state', 'ready', 'message'] as const) {
      link.on(event, () => {
        throw new Error(`${event} listener`);
      });
    }
    await link.ready();
    await waitFor(() => supervisorErrors.length === 1 && groupErrors.length === 1, {
      message: 'the supervisor and group errors',
    });
    expect(supervisorErrors[0]?.code).toBe('LV_ERR_LISTENER');
    expect(groupErrors[0]?.code).toBe('LV_ERR_LISTENER');
    expect(log.of<LinkvisorError>('error').map((e) => e.code)).toContain('LV_ERR_LISTENER');
    expect(link.state).toBe('ready');
    await endsClean(supervisor, server, actor);
  });

  it('a link spawned by an application machine (defineLink): a bad ping() or queued buffer never fails the child or its parent', async () => {
    const server = await h.wsServer();
    const { messages } = inbox(server);
    const feed = defineLink(server.url, {
      ...FAST,
      heartbeat: {
        mode: 'app',
        intervalMs: 20,
        timeoutMs: 20,
        ping: () => null as never,
        isPong: () => false,
      },
    });
    const parentErrors: unknown[] = [];
    const app = setup({ actors: { feed: feed.machine } }).createMachine({
      entry: spawnChild('feed', {
        id: 'feed',
        input: ({ self }) => feed.input({ id: 'feed', parent: self }),
      }),
    });
    const actor = createActor(app);
    actor.subscribe({ error: (error) => parentErrors.push(error) });
    actor.start();
    h.defer(() => actor.stop());
    const child = actor.getSnapshot().children.feed;
    if (!child) throw new Error('no child');
    const link = feed.handle(child);
    const childErrors = watchActor(link);
    const log = recordEvents(link);
    const ab = bufferOf([7]);
    link.send(ab);
    detach(ab);
    await link.ready();
    await waitFor(() => messages.length === 1 && log.count('error') >= 1, {
      message: 'the message and a report',
    });
    expect(messages).toEqual([[7]]);
    expect(log.of<LinkvisorError>('error')[0]?.code).toBe('LV_ERR_INVALID_DATA');
    expect(link.state).toBe('ready');
    expect(childErrors.errors).toEqual([]);
    expect(parentErrors).toEqual([]);
    await link.close();
    await serverEmpty(server);
  });

  it('an inspect observer that throws is reported on the supervisor, and changes nothing else', async () => {
    const server = await h.wsServer();
    let events = 0;
    const supervisor = h.supervisor({
      ...FAST,
      inspect: () => {
        if (++events > 3) throw new Error('inspector broke');
      },
    });
    const errors: LinkvisorError[] = [];
    supervisor.on('error', (e) => errors.push(e));
    const link = supervisor.connect(server.url);
    const actor = watchActor(link);
    await link.ready();
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ code: 'LV_ERR_LISTENER', option: 'inspect' });
    await endsClean(supervisor, server, actor);
  });

  it('watcher probes that throw or return anything, and callbacks that throw, never fail the watcher', async () => {
    const supervisor = h.supervisor(FAST);
    const hostile: (() => unknown)[] = [
      () => {
        throw Object.create(null); // no message, no toString
      },
      () => Promise.reject(Symbol('odd')),
      () =>
        Promise.reject(
          Object.defineProperty({}, 'message', {
            get() {
              throw new Error('a hostile getter');
            },
          }),
        ),
      () => 42,
    ];
    let calls = 0;
    const downs: unknown[] = [];
    const watcher = supervisor.watch({
      name: 'hostile',
      backoff: { initialDelayMs: 5, maxDelayMs: 10, jitter: 'none', maxAttempts: 20 },
      pollIntervalMs: 5,
      probe: () => (hostile[calls++ % hostile.length] as () => Promise<void>)(),
      onReady: () => {
        throw new Error('onReady broke');
      },
      onDown: (error) => {
        downs.push(error);
        throw new Error('onDown broke');
      },
    });
    const errors: unknown[] = [];
    watcher.actor.subscribe({ error: (error) => errors.push(error) });
    await waitFor(() => downs.length >= 2, { message: 'two down edges' });
    expect(watcher.actor.getSnapshot().status).toBe('active');
    expect(errors).toEqual([]);
    for (const down of downs) expect(typeof (down as { message: unknown }).message).toBe('string');
    await supervisor.close();
  });
});
