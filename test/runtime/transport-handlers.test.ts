/**
 * The TransportHandlers / TransportContext contract (src/transports/transport.ts): a custom
 * transport may detach its handlers, spread them or the context into objects of its own, and
 * change the target it is given; the runtime's own transports get the attempt object itself
 * (its methods), which must not leak to a transport that wraps one of them.
 */
import { describe, expect, it } from 'vitest';
import {
  createSupervisor,
  type Transport,
  type TransportContext,
  type TransportHandlers,
  type TransportTarget,
} from '../../src/index.js';
import { createMemoryNetwork } from '../../src/testing/index.js';
import { waitFor } from '../helpers/wait.js';

describe('transport handlers and context', () => {
  it('a custom transport may detach the handlers, spread them and the context, and change its target', async () => {
    const network = createMemoryNetwork({ inProcess: false });
    const server = network.listen('mem://svc');
    const received: string[] = [];
    server.onConnection((peer) => {
      peer.onMessage((data) => received.push(String(data)));
      peer.send('hello');
    });
    const base = network.transport;
    const targets: TransportTarget[] = [];
    const contexts: Record<string, unknown>[] = [];
    const custom: Transport = {
      ...base,
      connect(target: TransportTarget, handlers: TransportHandlers, context: TransportContext) {
        targets.push(structuredClone(target));
        // Changes to the target must not reach the next attempt.
        target.protocols.push('changed');
        target.headers.changed = 'yes';
        target.options.changed = true;
        const { open, message, pong, closed } = handlers;
        const spread = { ...handlers };
        const copied = { ...context };
        contexts.push(copied);
        return base.connect(
          target,
          {
            open: (info) => open(info),
            message: (data) => spread.message(data),
            pong: () => pong(),
            closed: (reason) => {
              expect(typeof message).toBe('function');
              closed(reason);
            },
          },
          copied as unknown as TransportContext,
        );
      },
    };
    const supervisor = createSupervisor({
      transport: custom,
      heartbeat: false,
      backoff: { initialDelayMs: 1, maxDelayMs: 1, jitter: 'none' },
    });
    const link = supervisor.connect('mem://svc');
    const messages: string[] = [];
    link.on('message', (data) => messages.push(String(data)));
    await link.ready();
    link.send('out');
    await waitFor(() => messages.length === 1 && received.length === 1, { message: 'both ways' });
    server.dropAll(1012, 'restart');
    await waitFor(() => targets.length === 2 && link.state === 'ready', { message: 'second attempt' });
    expect(targets[1]).toEqual(targets[0]);
    expect(targets[0]).toEqual({ url: 'mem://svc', protocols: [], headers: {}, options: {} });
    for (const context of contexts) {
      expect(context).toMatchObject({
        connectTimeoutMs: expect.any(Number),
        maxPayloadBytes: expect.any(Number),
      });
      expect(typeof (context.clock as { setTimeout?: unknown }).setTimeout).toBe('function');
      expect((context.redact as (text: string) => string)('plain')).toBe('plain');
    }
    expect(messages).toEqual(['hello', 'hello']);
    await supervisor.close();
    expect(server.peers).toHaveLength(0);
  });
});
