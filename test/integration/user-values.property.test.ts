/**
 * Property (issue 10): no sequence of user-supplied values can put a link's actor in `error` or
 * leave a socket open once close() has resolved. Each run draws the application's callbacks —
 * heartbeat ping()/isPong(), per-attempt url/protocols/headers functions, a handshake — each of
 * which may behave, throw anything or return anything; then a sequence of sends (text with lone
 * surrogates, every binary type, detached buffers, buffers changed after send(), non-payloads),
 * waits (also until ready), server-side drops and an early close(); then closes the supervisor. Real `ws` server on loopback; bounded runs.
 *
 * Checked per run: the actor never errors; every send() returns a result or throws a
 * LinkvisorError (never a raw TypeError); after close() the server holds no socket of the run.
 * 40 runs by default (a few seconds); LV_PROPERTY_RUNS=300 searches longer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HandshakeSession, LinkOptions } from '../../src/index.js';
import { createSupervisor, LinkvisorError } from '../../src/index.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { sleep, waitFor } from '../helpers/wait.js';

/** Waits for `promise`, at most `ms` (its timer cleared either way: no timer outlives a run). */
async function within(ms: number, promise: Promise<unknown>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** How one callback behaves on one call. */
type Behaviour =
  | 'good'
  | 'throw-error'
  | 'throw-odd'
  | 'null'
  | 'undefined'
  | 'object'
  | 'detached'
  | 'reject';

const behaviour = fc.constantFrom<Behaviour>(
  'good',
  'throw-error',
  'throw-odd',
  'null',
  'undefined',
  'object',
  'detached',
  'reject',
);

function detachedBuffer(): ArrayBuffer {
  const ab = new ArrayBuffer(4);
  structuredClone(ab, { transfer: [ab] });
  return ab;
}

/** Something hostile to throw: no message, no toString. */
function oddThrowable(): unknown {
  return Object.create(null);
}

/** The value a callback returns (or throws) for a behaviour; `good` is `good()`. */
function act(b: Behaviour, good: () => unknown): unknown {
  switch (b) {
    case 'good':
      return good();
    case 'throw-error':
      throw new Error('user callback broke');
    case 'throw-odd':
      throw oddThrowable();
    case 'null':
      return null;
    case 'undefined':
      return undefined;
    case 'object':
      return { odd: true };
    case 'detached':
      return detachedBuffer();
    case 'reject':
      return Promise.reject(oddThrowable());
  }
}

/** Cycles through a list of behaviours, one per call. */
function cycle(behaviours: Behaviour[]): () => Behaviour {
  let i = 0;
  return () => behaviours[i++ % behaviours.length] as Behaviour;
}

const loneSurrogates = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
      fc.string({ maxLength: 3 }),
      fc.constant('\u4e2d'),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(''));

type Payload =
  | { kind: 'text'; text: string }
  | {
      kind: 'binary';
      type: 'u8' | 'buffer' | 'ab' | 'dataview' | 'u16' | 'sub';
      bytes: number[];
      mutate: boolean;
    }
  | { kind: 'detached'; type: 'ab' | 'u8' | 'dataview' }
  | { kind: 'not-a-payload'; value: 'object' | 'null' | 'number' | 'undefined' | 'array' };

const payload: fc.Arbitrary<Payload> = fc.oneof(
  loneSurrogates.map((text) => ({ kind: 'text' as const, text })),
  fc.record({
    kind: fc.constant('binary' as const),
    type: fc.constantFrom('u8', 'buffer', 'ab', 'dataview', 'u16', 'sub'),
    bytes: fc
      .array(fc.integer({ min: 0, max: 255 }), { minLength: 2, maxLength: 8 })
      .map((b) => (b.length % 2 ? [...b, 0] : b)),
    mutate: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('detached' as const), type: fc.constantFrom('ab', 'u8', 'dataview') }),
  fc.record({
    kind: fc.constant('not-a-payload' as const),
    value: fc.constantFrom('object', 'null', 'number', 'undefined', 'array'),
  }),
);

/** The value to pass to send(), and what to do to it right after. */
function materialise(p: Payload): { value: unknown; after: () => void } {
  const none = () => {};
  switch (p.kind) {
    case 'text':
      return { value: p.text, after: none };
    case 'detached': {
      const ab = new ArrayBuffer(4);
      const value = p.type === 'ab' ? ab : p.type === 'u8' ? new Uint8Array(ab) : new DataView(ab);
      structuredClone(ab, { transfer: [ab] });
      return { value, after: none };
    }
    case 'not-a-payload': {
      const values = { object: { a: 1 }, null: null, number: 7, undefined: undefined, array: [1, 2] };
      return { value: values[p.value], after: none };
    }
    case 'binary': {
      const backing = new Uint8Array([9, ...p.bytes, 9]);
      const inner = backing.subarray(1, 1 + p.bytes.length);
      const values = {
        u8: () => new Uint8Array(p.bytes),
        buffer: () => Buffer.from(p.bytes),
        ab: () => new Uint8Array(p.bytes).buffer,
        dataview: () => new DataView(new Uint8Array(p.bytes).buffer),
        u16: () => new Uint16Array(new Uint8Array(p.bytes).buffer),
        sub: () => inner,
      };
      const value = values[p.type]();
      const bytesOf = (v: ArrayBuffer | ArrayBufferView) =>
        v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      return { value, after: () => p.mutate && bytesOf(value).fill(0xee) };
    }
  }
}

type Command =
  | { type: 'send'; payload: Payload }
  | { type: 'wait'; ms: number }
  | { type: 'drop' }
  | { type: 'settle' }
  | { type: 'close-early' };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: payload.map((p) => ({ type: 'send' as const, payload: p })) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 15 }).map((ms) => ({ type: 'wait' as const, ms })) },
  { weight: 1, arbitrary: fc.constant({ type: 'drop' as const }) },
  { weight: 2, arbitrary: fc.constant({ type: 'settle' as const }) },
  { weight: 1, arbitrary: fc.constant({ type: 'close-early' as const }) },
);

const callbacks = fc.record({
  ping: fc.array(behaviour, { minLength: 1, maxLength: 4 }),
  isPong: fc.array(behaviour, { minLength: 1, maxLength: 4 }),
  url: fc.option(fc.array(behaviour, { minLength: 1, maxLength: 3 }), { nil: undefined }),
  protocols: fc.option(fc.array(behaviour, { minLength: 1, maxLength: 3 }), { nil: undefined }),
  headers: fc.option(fc.array(behaviour, { minLength: 1, maxLength: 3 }), { nil: undefined }),
  handshake: fc.option(fc.array(behaviour, { minLength: 1, maxLength: 3 }), { nil: undefined }),
  handshakeSends: fc.option(payload, { nil: undefined }),
});

describe('property: user-supplied values never fail a link', () => {
  const h = useHarness();

  it('no callbacks or payloads put the actor in error or leave a socket open after close()', async () => {
    const server = await h.wsServer({
      onConnection: (ws) => ws.on('message', (data) => data.toString() === 'hello' && ws.send('welcome')),
    });
    await fc.assert(
      fc.asyncProperty(callbacks, fc.array(command, { maxLength: 12 }), async (cb, commands) => {
        const options: LinkOptions = {
          ...FAST,
          closeTimeoutMs: 300,
          backoff: { initialDelayMs: 5, maxDelayMs: 20, jitter: 'none' },
          heartbeat: {
            mode: 'app',
            intervalMs: 10,
            timeoutMs: 30,
            ping: (() => act(cycle(cb.ping)(), () => 'ping')) as () => string,
            isPong: (() => act(cycle(cb.isPong)(), () => false)) as () => boolean,
          },
        };
        if (cb.protocols) {
          const next = cycle(cb.protocols);
          options.protocols = (() => act(next(), () => ['chat'])) as () => string[];
        }
        if (cb.headers) {
          const next = cycle(cb.headers);
          options.headers = (() => act(next(), () => ({ 'x-app': 'yes' }))) as () => Record<string, string>;
        }
        if (cb.handshake) {
          const next = cycle(cb.handshake);
          const sends = cb.handshakeSends;
          options.handshake = async (session: HandshakeSession) => {
            if (sends) session.send(materialise(sends).value as string);
            await act(next(), () => {
              session.send('hello');
              return session.next();
            });
          };
        }
        const nextUrl = cb.url ? cycle(cb.url) : undefined;
        const url = nextUrl ? () => act(nextUrl(), () => server.url) as string : server.url;

        const before = new Set(server.clients);
        const supervisor = createSupervisor({ lingerMs: 500 });
        const link = supervisor.connect(url, options);
        const actorErrors: unknown[] = [];
        link.actor.subscribe({ error: (error) => actorErrors.push(error) });
        const rawThrows: unknown[] = [];
        try {
          await run();
        } finally {
          await supervisor.close();
        }
        async function run() {
          for (const c of commands) {
            if (c.type === 'send') {
              const { value, after } = materialise(c.payload);
              try {
                link.send(value as string);
              } catch (error) {
                if (!(error instanceof LinkvisorError)) rawThrows.push(error);
              }
              after();
            } else if (c.type === 'wait') {
              await sleep(c.ms);
            } else if (c.type === 'settle') {
              // Until ready (or over), bounded: the heartbeat and the flush get to run.
              await within(
                150,
                link.ready().catch(() => {}),
              );
              await sleep(20);
            } else if (c.type === 'drop') {
              for (const ws of server.clients) if (!before.has(ws)) ws.terminate();
            } else {
              void link.close();
            }
          }
        }
        expect(actorErrors).toEqual([]);
        expect(rawThrows).toEqual([]);
        expect(link.actor.getSnapshot().status).not.toBe('error');
        await waitFor(() => [...server.clients].every((ws) => before.has(ws)), {
          message: 'no socket of this run left on the server',
          timeoutMs: 3_000,
        });
      }),
      { numRuns: Number(process.env.LV_PROPERTY_RUNS ?? 40) },
    );
  }, 60_000);
});
