/**
 * Which built-in transports are marked as calling their handlers as methods
 * (callsHandlersAsMethods, src/transports/transport.ts), so that a link with the custom-transport
 * seam (connectWith) passes its attempt itself: `createBrowserTransport()`'s connect is marked; the
 * constructor transport alone (the drop-in's `WebSocket` option) and the drop-in's
 * RecordingTransport are not — the drop-in's links connect by connectMethods, and its bundle
 * carries no mark registry (BENCHMARKS.md round 37 (size)). Every built-in transport a supervisor's
 * or defineLink's link may be given is marked: `ws`'s, the browser build's default (it was not),
 * createBrowserTransport()'s and the in-process network's (the attempt seen by the transport:
 * test/integration/browser-transport-attempt-handlers.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { wsTransport as browserDefaultTransport } from '../../src/transports/browser-default-transport.js';
import { createBrowserTransport } from '../../src/transports/browser-transport.js';
import { createMemoryNetwork } from '../../src/transports/memory-transport.js';
import { RecordingTransport } from '../../src/transports/recording-transport.js';
import { takesMethodHandlers } from '../../src/transports/transport.js';
import { constructorTransportFor } from '../../src/transports/websocket-constructor-transport.js';
import { wsTransport } from '../../src/transports/ws-transport.js';

/** A WHATWG-style WebSocket class (what isWebSocketConstructor accepts); never constructed here. */
const FakeWebSocket = Object.assign(function FakeWebSocket() {}, {
  CONNECTING: 0,
  OPEN: 1,
  CLOSING: 2,
  CLOSED: 3,
});

describe('transports marked as calling their handlers as methods', () => {
  it('createBrowserTransport(): marked (a supervisor link passes its attempt)', () => {
    expect(takesMethodHandlers(createBrowserTransport(FakeWebSocket))).toBe(true);
  });

  it.each([
    ['ws', () => wsTransport],
    ['the browser default', () => browserDefaultTransport],
    ['the in-process network', () => createMemoryNetwork().transport],
  ])('%s: marked (a supervisor link passes its attempt)', (_, transport) => {
    expect(takesMethodHandlers(transport())).toBe(true);
  });

  it("the drop-in's transports are not: the constructor transport alone and the recording wrapper", () => {
    const base = constructorTransportFor(FakeWebSocket);
    expect(takesMethodHandlers(base)).toBe(false);
    expect(takesMethodHandlers(new RecordingTransport(base))).toBe(false);
  });
});
