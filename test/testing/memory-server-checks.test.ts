/**
 * What a test gives the in-process network is checked at once, naming the argument: a typo in
 * `listen(url)` used to make a server no link reached (the links were refused ECONNREFUSED, far
 * from the typo), a second listen on a URL threw a plain Error with no code, `setLatency('10')` or
 * `setLatency(-1)` was taken as it came, and `refuse({ status: '403' })` refused with a reason the
 * link's retry decision could not read.
 */
import { describe, expect, it } from 'vitest';
import { createMemoryNetwork } from '../../src/testing/index.js';

const fails = (code: string, option: string) => expect.objectContaining({ code, option });

describe('memory network: listen, setLatency and refuse check their argument', () => {
  it('listen(url): a mem:// URL (LV_ERR_INVALID_URL), one server a URL (LV_ERR_DUPLICATE_ID)', () => {
    const network = createMemoryNetwork();
    for (const url of [42, undefined, 'feed', 'ws://127.0.0.1/feed', 'mem://fe ed']) {
      expect(() => network.listen(url as never)).toThrow(fails('LV_ERR_INVALID_URL', 'url'));
    }
    network.listen('mem://feed');
    expect(() => network.listen('mem://feed')).toThrow(fails('LV_ERR_DUPLICATE_ID', 'url'));
    expect(network.listen('mem://feed?v=2').url).toBe('mem://feed?v=2');
  });

  it('setLatency(ms): a number of ms from 0 (LV_ERR_INVALID_OPTION naming ms)', () => {
    const server = createMemoryNetwork().listen('mem://slow');
    for (const ms of [-1, Number.NaN, Number.POSITIVE_INFINITY, '10', null]) {
      expect(() => server.setLatency(ms as never)).toThrow(fails('LV_ERR_INVALID_OPTION', 'ms'));
    }
    server.setLatency(0);
    server.setLatency(12.5);
  });

  it('refuse(how), on the server and on a held attempt: an error code, an HTTP status or a close code', () => {
    const network = createMemoryNetwork({ inProcess: false });
    const server = network.listen('mem://no');
    const bad: [unknown, string][] = [
      [{ status: '403' }, 'how.status'],
      [{ status: 99 }, 'how.status'],
      [{ status: 503, retryAfterSeconds: -1 }, 'how.retryAfterSeconds'],
      [{ code: 99 }, 'how.code'],
      [{ code: 1000, reason: 5 }, 'how.reason'],
      [{ error: '' }, 'how.error'],
      [{ stauts: 403 }, 'how'],
      ['ECONNREFUSED', 'how'],
    ];
    for (const [how, option] of bad) {
      expect(() => server.refuse(how as never)).toThrow(fails('LV_ERR_INVALID_OPTION', option));
    }
    server.refuse({ status: 503, retryAfterSeconds: 1 });
    server.refuse({ code: 4000, reason: 'later' });
    server.refuse();
    server.accept();
    server.hold();
    network.transport.connect(
      { url: 'mem://no', protocols: [], headers: {}, options: {} },
      { open: () => {}, message: () => {}, pong: () => {}, closed: () => {} },
      { clock: undefined as never, connectTimeoutMs: 1_000, maxPayloadBytes: 1_000, redact: (t) => t },
    );
    return Promise.resolve().then(() => {
      const [pending] = server.pending;
      expect(() => pending?.refuse({ status: 'x' } as never)).toThrow(
        fails('LV_ERR_INVALID_OPTION', 'how.status'),
      );
      // A refusal that was refused decides nothing: the attempt is still pending.
      expect(server.pending).toHaveLength(1);
      pending?.refuse();
      expect(server.pending).toHaveLength(0);
    });
  });
});
