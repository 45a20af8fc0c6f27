/**
 * A custom transport (the public Transport interface) whose `pong()` is given what the contract does
 * not allow — `pong('x')`, `pong(NaN)`, `pong(-5)`, `pong(Infinity)`, `pong(null)`, an object — where
 * it takes nothing or a stale ping's round trip in ms (a finite number ≥ 0). Before: the value was
 * kept as the round trip and became `status().rttMs` at the next inbound message ('x', NaN, -5…
 * in status, the inspector and metrics). Now the pong is taken as `pong()` (what a transport that
 * cannot tell its pongs apart calls), `rttMs` stays a finite number, and the misbehaviour is
 * reported once per link as the link's `error` (LV_ERR_TRANSPORT naming staleRoundTripMs; not
 * again at each reconnect, the last test),
 * as an odd `closed()` reason is (./transport-odd-reason.test.ts). A well-formed stale round trip
 * (control) is reported as given. Nothing left after close.
 */
import { describe, expect, it } from 'vitest';
import {
  createSupervisor,
  type LinkvisorError,
  type Transport,
  type TransportHandlers,
} from '../../src/index.js';
import { keptTimers } from '../helpers/kept-timers.js';
import { useStrayErrors } from '../helpers/stray-errors.js';
import { waitFor } from '../helpers/wait.js';

/** A transport that opens at once and answers each ping with `pong(value)` then a message (activity
 * that answers the ping if the pong did not). */
function pongTransport(
  value: unknown,
): Transport & { timers: Set<ReturnType<typeof setTimeout>>; pings: number } {
  const { timers, later } = keptTimers();
  const transport = {
    name: 'odd-pong',
    inProcess: false,
    protocolPing: true,
    schemes: ['odd:'],
    timers,
    pings: 0,
    connect(_target: unknown, handlers: TransportHandlers) {
      let open = true;
      later(() => handlers.open({ protocol: '', extensions: '' }));
      const end = () => {
        if (!open) return;
        open = false;
        later(() => handlers.closed({ kind: 'close', code: 1000, message: 'bye' }));
      };
      return {
        send: () => open,
        ping: () => {
          if (!open) return false;
          transport.pings++;
          later(() => {
            if (!open) return;
            handlers.pong(value as never);
            handlers.message('after the pong');
          });
          return true;
        },
        close: end,
        terminate: end,
        bufferedAmount: 0,
      };
    },
  };
  return transport;
}

const BAD: [string, unknown][] = [
  ["'x'", 'x'],
  ['NaN', Number.NaN],
  ['-5', -5],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['null', null],
  ['an object', { rttMs: 5 }],
];

describe("a custom transport's pong() with a value that is no round trip", () => {
  const stray = useStrayErrors({ exceptions: true });

  async function run(value: unknown) {
    const transport = pongTransport(value);
    const supervisor = createSupervisor({ transport, heartbeat: { intervalMs: 10, timeoutMs: 5_000 } });
    const link = supervisor.connect('odd://svc');
    const errors: LinkvisorError[] = [];
    link.on('error', (error) => errors.push(error));
    const rtts: unknown[] = [];
    link.on('state', () => rtts.push(link.status().rttMs));
    await link.ready();
    await waitFor(() => transport.pings >= 4, { message: 'four pings answered' });
    await waitFor(() => link.status().rttMs !== null, { message: 'a round trip' });
    const rttMs = link.status().rttMs;
    const state = link.state;
    await supervisor.close();
    await waitFor(() => transport.timers.size === 0, { message: 'nothing left' });
    expect(stray).toEqual([]);
    return { rttMs, state, errors, rtts };
  }

  it.each(BAD)(
    'pong(%s): taken as pong(), rttMs a finite number, LV_ERR_TRANSPORT once',
    async (_, value) => {
      const { rttMs, state, errors, rtts } = await run(value);
      expect(state).toBe('ready');
      expect(typeof rttMs).toBe('number');
      expect(Number.isFinite(rttMs) && (rttMs as number) >= 0).toBe(true);
      for (const seen of rtts)
        expect(seen === null || (typeof seen === 'number' && Number.isFinite(seen))).toBe(true);
      expect(errors.map((e) => [e.code, e.message])).toEqual([
        ['LV_ERR_TRANSPORT', "the transport's pong() was given no valid staleRoundTripMs"],
      ]);
    },
  );

  // 0 ms is a round trip (a memory or in-process peer answers within the clock's tick).
  it.each([12, 0])('pong(%s) (control): a stale round trip reported as given, no error', async (ms) => {
    const { rttMs, errors } = await run(ms);
    expect(rttMs).toBe(ms);
    expect(errors).toEqual([]);
  });
});

/** A supervisor over `transport` pinging every 5 ms and retrying after 1 ms, its one link
 * (`odd://svc`) and what that link reported as `error`. */
function reconnectingLink(transport: Transport) {
  const supervisor = createSupervisor({
    transport,
    heartbeat: { intervalMs: 5, timeoutMs: 5_000 },
    backoff: { initialDelayMs: 1, maxDelayMs: 1, jitter: 'none' },
  });
  const errors: LinkvisorError[] = [];
  supervisor.connect('odd://svc').on('error', (error) => errors.push(error));
  return { supervisor, errors };
}

describe("a custom transport's odd pong() on every connection of a reconnecting link", () => {
  const stray = useStrayErrors({ exceptions: true });

  // The usual way to get there: `ws.on('pong', handlers.pong)` (a Buffer, on every connection).
  // Before: one LV_ERR_TRANSPORT per connection, so a link on a flaky path reported the same bug
  // at every reconnect (a flood on its `error` event); now once for the link's life.
  it('is reported once per link, not once per reconnect', async () => {
    const { timers, later } = keptTimers();
    let connects = 0;
    let oddPongs = 0;
    const transport: Transport = {
      name: 'odd-pong-flaky',
      inProcess: false,
      protocolPing: true,
      schemes: ['odd:'],
      connect(_target: unknown, handlers: TransportHandlers) {
        connects++;
        let open = true;
        later(() => handlers.open({ protocol: '', extensions: '' }));
        const end = (code: number) => {
          if (!open) return;
          open = false;
          later(() => handlers.closed({ kind: 'close', code, message: 'dropped' }));
        };
        return {
          send: () => open,
          ping: () => {
            if (!open) return false;
            // Answered with the ping's payload, then the path drops (1006): the link reconnects.
            later(() => {
              if (!open) return;
              oddPongs++;
              handlers.pong(Buffer.from('ping') as never);
              end(1006);
            });
            return true;
          },
          close: () => end(1000),
          terminate: () => end(1006),
          bufferedAmount: 0,
        };
      },
    };
    const { supervisor, errors } = reconnectingLink(transport);
    await waitFor(() => connects >= 6 && oddPongs >= 5, { message: 'five connections with an odd pong' });
    await supervisor.close();
    await waitFor(() => timers.size === 0, { message: 'nothing left' });
    expect(stray).toEqual([]);
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['LV_ERR_TRANSPORT', "the transport's pong() was given no valid staleRoundTripMs"],
    ]);
  });

  // An ended connection's odd pong (a transport still calling the handlers of a socket it has
  // reported closed) is not told (the attempt is over); the next live one's still is, once.
  it("an ended connection's odd pong does not use up the link's report", async () => {
    const { timers, later } = keptTimers();
    let connects = 0;
    let lateOdd = false;
    const transport: Transport = {
      name: 'odd-pong-late',
      inProcess: false,
      protocolPing: true,
      schemes: ['odd:'],
      connect(_target: unknown, handlers: TransportHandlers) {
        const n = ++connects;
        let open = true;
        later(() => handlers.open({ protocol: '', extensions: '' }));
        if (n === 1)
          later(() => {
            open = false;
            handlers.closed({ kind: 'close', code: 1006, message: 'dropped' });
            // After the close has ended the attempt: a stale handler's odd pong.
            later(() => {
              handlers.pong('x' as never);
              lateOdd = true;
            }, 5);
          }, 5);
        const end = () => {
          if (!open) return;
          open = false;
          later(() => handlers.closed({ kind: 'close', code: 1000, message: 'bye' }));
        };
        return {
          send: () => open,
          ping: () => {
            if (!open) return false;
            // The second connection waits for the late pong of the first before answering oddly.
            if (n > 1 && lateOdd) later(() => open && handlers.pong('y' as never));
            return true;
          },
          close: end,
          terminate: end,
          bufferedAmount: 0,
        };
      },
    };
    const { supervisor, errors } = reconnectingLink(transport);
    await waitFor(() => lateOdd && errors.length > 0, { message: "the live connection's odd pong told" });
    await supervisor.close();
    await waitFor(() => timers.size === 0, { message: 'nothing left' });
    expect(stray).toEqual([]);
    expect(connects).toBe(2);
    expect(errors.map((e) => e.code)).toEqual(['LV_ERR_TRANSPORT']);
  });
});
