/**
 * A supervisor's links connect with the custom-transport seam (src/transports/detachable-handlers.ts's
 * connectWith): a transport marked as calling its handlers as methods (callsHandlersAsMethods,
 * src/transports/transport.ts) gets the link's attempt itself, any other four functions and a plain
 * context per attempt. The browser transports are method callers: `createBrowserTransport()` and the
 * browser build's default transport (src/transports/browser-default-transport.ts, which hands its
 * handlers on to one) must both reach the WebSocket constructor transport with the attempt. Seen
 * from that transport (its `connect` wrapped here to note what it is given, marked again), on a
 * real `ws` server on loopback with `ws`'s class as the WebSocket. The default transport was
 * unmarked (the attempt was wrapped there); test/runtime/transport-method-marks.test.ts lists the marks.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { Attempt } from '../../src/runtime/attempt.js';
import { wsTransport } from '../../src/transports/browser-default-transport.js';
import { createBrowserTransport } from '../../src/transports/browser-transport.js';
import type { Transport, TransportContext, TransportHandlers } from '../../src/transports/transport.js';
import { useHarness } from '../helpers/harness.js';

/** What the WebSocket constructor transport's connect was given, each call. */
const given: { handlers: TransportHandlers; context: TransportContext }[] = [];

vi.mock('../../src/transports/websocket-constructor-transport.js', async (importOriginal) => {
  const original =
    await importOriginal<typeof import('../../src/transports/websocket-constructor-transport.js')>();
  return {
    ...original,
    constructorTransportFor: (WebSocketImpl: unknown): Transport => {
      const base = original.constructorTransportFor(WebSocketImpl);
      return {
        ...base,
        connect: (target, handlers, context) => {
          given.push({ handlers, context });
          return base.connect(target, handlers, context);
        },
      };
    },
  };
});

const h = useHarness();
const global = globalThis as { WebSocket?: unknown };
const original = Object.getOwnPropertyDescriptor(globalThis, 'WebSocket');

afterEach(() => {
  given.length = 0;
  if (original) Object.defineProperty(globalThis, 'WebSocket', original);
  else delete global.WebSocket;
});

describe("the browser transports get a supervisor link's attempt itself", () => {
  it.each([
    ['the browser default transport', () => wsTransport],
    ['createBrowserTransport()', () => createBrowserTransport()],
  ])('%s: the handlers and the context are the attempt', async (_, transport) => {
    global.WebSocket = WebSocket;
    const server = await h.wsServer();
    const supervisor = h.supervisor({ transport: transport() });
    const link = supervisor.connect(server.url, { id: 'feed' });
    await link.ready();
    expect(given.length).toBeGreaterThanOrEqual(1);
    const [first] = given;
    expect(first?.handlers).toBeInstanceOf(Attempt);
    expect(first?.context).toBe(first?.handlers);
  });
});
