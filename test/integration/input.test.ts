/**
 * Bad input throws at once, with a stable code and a message that names the option; nothing is
 * left half-created. send() refuses what it cannot send without touching the queue.
 */
import { describe, expect, it } from 'vitest';
import { createSupervisor, type HandshakeSession } from '../../src/index.js';
import { wsTransport } from '../../src/transports/ws-transport.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { thrown } from '../helpers/thrown.js';
import { waitFor } from '../helpers/wait.js';

const BAD_DELAYS: [string, number][] = [
  ['negative', -1],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
];

/** Per-attempt options given as values no attempt could use: the option, the options, the message. */
const UNUSABLE_VALUES: [string, Record<string, unknown>, RegExp][] = [
  ['protocols', { protocols: ['chat', 'chat'] }, /^protocols: must not repeat a subprotocol$/],
  ['protocols', { protocols: 'a b' }, /^protocols: must be a token/],
  ['headers', { headers: { 'x y': '1' } }, /^headers: a string of 3 characters is not a valid header name$/],
  [
    'headers',
    { headers: { 'x-token': 'secret\r\nx: 1' } },
    /^headers: the value of 'x-token' has a control character or one above U\+00FF$/,
  ],
];

describe('integration: bad input throws at once, naming the option', () => {
  const h = useHarness();

  it.each([
    ['not a url', 'not a url'],
    ['http://x (wrong scheme for the ws transport)', 'http://x'],
    ['ftp://127.0.0.1/', 'ftp://127.0.0.1/'],
  ])('connect(%s) → LV_ERR_INVALID_URL', (_name, url) => {
    const supervisor = h.supervisor(FAST);
    const error = thrown(() => supervisor.connect(url));
    expect(error.code).toBe('LV_ERR_INVALID_URL');
    expect(error.option).toBe('url');
    expect(error.message).toMatch(/^url:/);
    expect(supervisor.status().links).toEqual([]);
  });

  it('the wrong scheme is named in the message', () => {
    const supervisor = h.supervisor(FAST);
    expect(thrown(() => supervisor.connect('http://x')).message).toContain("scheme 'http' is not supported");
  });

  for (const [name, value] of BAD_DELAYS) {
    it.each([
      ['backoff.initialDelayMs', { backoff: { initialDelayMs: value } }],
      ['connectTimeoutMs', { connectTimeoutMs: value }],
      ['heartbeat.intervalMs', { heartbeat: { intervalMs: value } }],
    ])(
      `%s = ${name} → LV_ERR_INVALID_OPTION naming it, in createSupervisor and in connect`,
      (path, options) => {
        const inSupervisor = thrown(() => createSupervisor(options as never));
        expect(inSupervisor.code).toBe('LV_ERR_INVALID_OPTION');
        expect(inSupervisor.option).toBe(path);
        expect(inSupervisor.message.startsWith(`${path}:`)).toBe(true);

        const supervisor = h.supervisor(FAST);
        const inConnect = thrown(() => supervisor.connect('ws://127.0.0.1:1/', options as never));
        expect(inConnect.code).toBe('LV_ERR_INVALID_OPTION');
        expect(inConnect.option).toBe(path);
        expect(supervisor.status().links).toEqual([]);
      },
    );
  }

  it.each(UNUSABLE_VALUES)(
    '%s given as a value that no attempt could use → LV_ERR_INVALID_OPTION in connect() and connectGroup(), not a retry for ever',
    async (path, options, message) => {
      const server = await h.wsServer();
      const supervisor = h.supervisor(FAST);
      const inConnect = thrown(() => supervisor.connect(server.url, options));
      expect([inConnect.code, inConnect.option]).toEqual(['LV_ERR_INVALID_OPTION', path]);
      expect(inConnect.message).toMatch(message);
      expect(inConnect.message).not.toContain('secret');
      const inGroup = thrown(() => supervisor.connectGroup([server.url], { id: 'g', ...options }));
      expect([inGroup.code, inGroup.option]).toEqual(['LV_ERR_INVALID_OPTION', path]);
      // Beside a per-attempt URL too (checked once, not per attempt).
      const beside = thrown(() => supervisor.connect(() => server.url, options));
      expect(beside.option).toBe(path);
      expect(supervisor.status().links).toEqual([]);
      expect(server.upgrades).toBe(0);
    },
  );

  it.each([...UNUSABLE_VALUES, ['wsOptions', { wsOptions: 'fast' }, /^wsOptions: must be an object/]])(
    "%s as a supervisor default that no attempt could use → LV_ERR_INVALID_OPTION in createSupervisor(), connect()'s check",
    (path, options, message) => {
      const error = thrown(() => createSupervisor(options as never));
      expect([error.code, error.option]).toEqual(['LV_ERR_INVALID_OPTION', path]);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain('secret');
      // A per-attempt function is checked at each attempt, as in connect().
      const fn = { [path]: () => (options as Record<string, unknown>)[path] };
      expect(() => h.supervisor(fn as never)).not.toThrow();
    },
  );

  it("a default the supervisor's transport cannot run → refused in createSupervisor() as in connect()", () => {
    const noPing = { ...wsTransport, name: 'no-ping', protocolPing: false };
    const options = { transport: noPing, heartbeat: { mode: 'protocol' as const } };
    const error = thrown(() => createSupervisor(options));
    expect([error.code, error.option]).toEqual(['LV_ERR_UNSUPPORTED', 'heartbeat.mode']);
    const supervisor = h.supervisor({ transport: noPing });
    const inConnect = thrown(() =>
      supervisor.connect('ws://127.0.0.1:1/', { heartbeat: { mode: 'protocol' } }),
    );
    expect([inConnect.code, inConnect.option, inConnect.message]).toEqual([
      error.code,
      error.option,
      error.message,
    ]);
  });

  it('backoff.multiplier 0.5 → LV_ERR_INVALID_OPTION naming it', () => {
    const error = thrown(() => createSupervisor({ backoff: { multiplier: 0.5 } }));
    expect(error.code).toBe('LV_ERR_INVALID_OPTION');
    expect(error.option).toBe('backoff.multiplier');
    expect(error.message).toContain('0.5');
  });

  it.each([
    [
      'backoff.jitter',
      { backoff: { jitter: 'lots' } },
      /^backoff\.jitter: must be one of none, full, equal, proportional, decorrelated, got a string of 4 characters$/,
    ],
    [
      'queue.overflow',
      { queue: { overflow: 'spill' } },
      /^queue\.overflow: must be one of reject, drop-oldest, drop-newest, got a string of 5 characters$/,
    ],
  ])('%s not one of its names → LV_ERR_INVALID_OPTION listing them', (path, options, message) => {
    const error = thrown(() => createSupervisor(options as never));
    expect(error.code).toBe('LV_ERR_INVALID_OPTION');
    expect(error.option).toBe(path);
    expect(error.message).toMatch(message);
  });

  it('an unknown option (typo heartbeet) → LV_ERR_UNKNOWN_OPTION naming it', () => {
    const inSupervisor = thrown(() => createSupervisor({ heartbeet: { intervalMs: 100 } } as never));
    expect(inSupervisor.code).toBe('LV_ERR_UNKNOWN_OPTION');
    expect(inSupervisor.option).toBe('heartbeet');
    expect(inSupervisor.message).toContain('heartbeet');
    // The known names are listed, so the right one is in sight.
    expect(inSupervisor.message).toContain('heartbeat');

    const supervisor = h.supervisor(FAST);
    const inConnect = thrown(() => supervisor.connect('ws://127.0.0.1:1/', { heartbeet: {} } as never));
    expect(inConnect.code).toBe('LV_ERR_UNKNOWN_OPTION');
    expect(inConnect.option).toBe('heartbeet');
    const nested = thrown(() => createSupervisor({ backoff: { initalDelayMs: 5 } } as never));
    expect(nested.code).toBe('LV_ERR_UNKNOWN_OPTION');
    expect(nested.option).toBe('backoff.initalDelayMs');
  });

  it('a clock without timers → LV_ERR_INVALID_OPTION naming clock, not a link actor failing at its first timer', () => {
    for (const clock of [5, {}, { now: () => 0 }, { now: () => 0, setTimeout: () => 1 }]) {
      const error = thrown(() => createSupervisor({ clock: clock as never }));
      expect(error.code).toBe('LV_ERR_INVALID_OPTION');
      expect(error.option).toBe('clock');
    }
    expect(thrown(() => createSupervisor({ clock: {} as never })).message).toMatch(
      /^clock: must be a clock with now\(\), setTimeout\(\), clearTimeout\(\)/,
    );
  });

  it('send({}) and send(123) → LV_ERR_INVALID_DATA; the queue is unchanged', async () => {
    // Refused: a port kept for the test (kept-port.ts), nobody else's while the link retries.
    const refused = await h.keptPort();
    const supervisor = h.supervisor({ ...FAST, backoff: { initialDelayMs: 300, maxDelayMs: 300 } });
    const link = supervisor.connect(refused.url('/'));
    expect(link.send('one')).toBe('queued');
    const before = link.status().queue;
    for (const bad of [{}, 123, null, undefined, [1, 2], true]) {
      const error = thrown(() => link.send(bad as never));
      expect(error.code).toBe('LV_ERR_INVALID_DATA');
    }
    expect(link.status().queue).toEqual(before);
    expect(before).toEqual({ messages: 1, bytes: 3 });
  });

  it("queue overflow 'reject' → LV_ERR_QUEUE_FULL; the earlier queued messages are intact and delivered", async () => {
    const received: string[] = [];
    const server = await h.wsServer({
      onConnection: (ws) => ws.on('message', (d) => received.push(String(d))),
    });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const supervisor = h.supervisor({
      ...FAST,
      queue: { maxMessages: 2, overflow: 'reject' },
      // Holds the link in `handshaking` until the test releases it.
      handshake: async (_session: HandshakeSession) => gate,
    });
    const link = supervisor.connect(server.url);
    expect(link.send('a')).toBe('queued');
    expect(link.send('b')).toBe('queued');
    const error = thrown(() => link.send('c'));
    expect(error.code).toBe('LV_ERR_QUEUE_FULL');
    expect(link.status().queue).toEqual({ messages: 2, bytes: 2 });

    await waitFor(() => link.state === 'handshaking', { message: 'state handshaking' });
    release();
    await link.ready();
    expect(link.send('d')).toBe('sent');
    await waitFor(() => received.length === 3, { message: 'three messages at the server' });
    expect(received).toEqual(['a', 'b', 'd']);
  });

  it('send() after close() → LV_ERR_LINK_CLOSED', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const link = supervisor.connect(server.url);
    await link.ready();
    const closing = link.close();
    expect(thrown(() => link.send('during')).code).toBe('LV_ERR_LINK_CLOSED');
    await closing;
    expect(thrown(() => link.send('after')).code).toBe('LV_ERR_LINK_CLOSED');
    await expect(link.ready()).rejects.toMatchObject({ code: 'LV_ERR_LINK_CLOSED' });
  });

  it('connect() after supervisor.close() → LV_ERR_SUPERVISOR_CLOSED', async () => {
    const supervisor = h.supervisor(FAST);
    await supervisor.close();
    expect(thrown(() => supervisor.connect('ws://127.0.0.1:1/')).code).toBe('LV_ERR_SUPERVISOR_CLOSED');
  });

  it('close() with an invalid code throws, naming the option, and leaves the link open', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const link = supervisor.connect(server.url);
    await link.ready();
    const error = thrown(() => link.close({ code: 1006 }));
    expect(error.code).toBe('LV_ERR_INVALID_OPTION');
    expect(error.option).toBe('code');
    expect(link.state).toBe('ready');
    expect(link.send('still open')).toBe('sent');
  });
});
