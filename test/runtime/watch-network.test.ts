/**
 * A transport's network events (`transport.watchNetwork`, a custom transport's or the browser
 * build's) as a supervisor hears them: a signal it raises reaches the links (`online`); one that
 * is no network signal (`'sleep'`, undefined, a symbol) is refused without throwing into the
 * transport's own event handler: reported on the supervisor's `error` event
 * (LV_ERR_INVALID_OPTION naming `signal`), nothing changed (before, the LV_ERR_INVALID_OPTION was
 * thrown into the transport's callback: an uncaught exception in a page's event listener); a
 * watchNetwork() that throws, an unwiring that throws (reported: test/runtime/watch-network-unwire.test.ts),
 * a signal raised inside watchNetwork() or after close(): reported or ignored, close() completes. Real `ws` server on loopback.
 */
import { describe, expect, it } from 'vitest';
import type { LinkvisorError, NetworkSignal, Transport } from '../../src/index.js';
import { wsTransport } from '../../src/transports/ws-transport.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

/** The ws transport with network events the test raises (`raise`), and a count of unwirings. */
function watchedTransport(
  watch: (raise: (kind: NetworkSignal) => void) => (() => void) | undefined = () => undefined,
) {
  const wiring = { raise: (_kind: unknown) => {}, unwired: 0 };
  const transport: Transport = {
    ...wsTransport,
    watchNetwork(raise) {
      wiring.raise = raise as (kind: unknown) => void;
      const unwire = watch(raise);
      return () => {
        wiring.unwired++;
        unwire?.();
      };
    },
  };
  return { transport, wiring };
}

describe("a transport's network events", () => {
  const h = useHarness();

  it('offline and online raised by the transport reach the supervisor and its links', async () => {
    const server = await h.wsServer();
    const { transport, wiring } = watchedTransport();
    const supervisor = h.supervisor({ ...FAST, transport });
    await supervisor.connect(server.url).ready();
    wiring.raise('offline');
    expect(supervisor.online).toBe(false);
    wiring.raise('online');
    expect(supervisor.online).toBe(true);
    await supervisor.close();
    expect(wiring.unwired).toBe(1);
    // After close: ignored, nothing thrown.
    expect(() => wiring.raise('offline')).not.toThrow();
  });

  for (const [label, kind] of [
    ["'sleep'", 'sleep'],
    ['undefined', undefined],
    ['a symbol', Symbol('offline')],
    ['an object', { kind: 'offline' }],
  ] as const) {
    it(`a transport raising ${label}: not thrown into its handler, reported (LV_ERR_INVALID_OPTION, signal), nothing changed`, async () => {
      const server = await h.wsServer();
      const { transport, wiring } = watchedTransport();
      const supervisor = h.supervisor({ ...FAST, transport });
      const errors: LinkvisorError[] = [];
      supervisor.on('error', (error) => errors.push(error));
      const link = supervisor.connect(server.url);
      await link.ready();
      expect(() => wiring.raise(kind)).not.toThrow();
      await waitFor(() => errors.length > 0, { message: 'the error event' });
      expect(errors.map((e) => [e.code, e.option])).toEqual([['LV_ERR_INVALID_OPTION', 'signal']]);
      expect(errors[0]?.message).toMatch(/watchNetwork/);
      expect(supervisor.online).toBe(true);
      expect(link.state).toBe('ready');
      await supervisor.close();
    });
  }

  it('watchNetwork() that throws, or raises inside itself; an unwiring that throws: reported or taken, close() completes', async () => {
    const server = await h.wsServer();
    const throwing = watchedTransport(() => {
      throw new Error('no network events here');
    });
    const first = h.supervisor({ ...FAST, transport: throwing.transport });
    const errors: LinkvisorError[] = [];
    first.on('error', (error) => errors.push(error));
    await waitFor(() => errors.length > 0, { message: 'the error event' });
    expect(errors.map((e) => e.code)).toEqual(['LV_ERR_LISTENER']);
    await first.connect(server.url).ready();
    await first.close();

    const eager = watchedTransport((raise) => {
      raise('offline');
      return () => {
        throw new Error('cannot unwire');
      };
    });
    const second = h.supervisor({ ...FAST, transport: eager.transport });
    expect(second.online).toBe(false);
    await second.close();
    expect(eager.wiring.unwired).toBe(1);
  });
});
