/**
 * Type-level drop-in: partysocket 1.3's and reconnecting-websocket 4.4's exported types are
 * accepted where linkvisor/ws's are, under their names, so that changing the import is enough.
 * (Checked by `npm run typecheck`; the runtime assertions only keep the test honest.)
 */
import type { Options as PartysocketOptions } from 'partysocket/ws';
import type { Options as RwsOptions } from 'reconnecting-websocket';
import { describe, expect, expectTypeOf, it } from 'vitest';
import ReconnectingWebSocket, {
  CloseEvent,
  ErrorEvent,
  type Message,
  type Options,
  type WebSocketEventMap,
} from '../../src/entries/ws.js';

describe('drop-in: their type names', () => {
  it('their Options objects are ours; the event map and Message have their names', () => {
    const theirs: PartysocketOptions = {
      maxRetries: 3,
      minReconnectionDelay: 10,
      startClosed: true,
      shouldReconnectOnClose: (event) => event.code !== 4001,
      debug: false,
      debugLogger: () => {},
    };
    const old: RwsOptions = { maxEnqueuedMessages: 10, connectionTimeout: 1_000, startClosed: true };
    const ours: Options[] = [theirs, old];
    // Every option name of theirs is one of ours (assignability alone would not check the names).
    expectTypeOf<keyof PartysocketOptions>().toExtend<keyof Options>();
    expectTypeOf<keyof RwsOptions>().toExtend<keyof Options>();
    expectTypeOf<WebSocketEventMap['close']>().toEqualTypeOf<CloseEvent>();
    expectTypeOf<Parameters<ReconnectingWebSocket['send']>[0]>().toEqualTypeOf<Message>();
    const sockets = ours.map((options) => new ReconnectingWebSocket('ws://127.0.0.1:9/', undefined, options));
    expect(sockets.map((s) => s.readyState)).toEqual([3, 3]);
    for (const s of sockets) s.close();
  });

  it('their event constructors: new CloseEvent(code, reason, target), new ErrorEvent(error, target)', () => {
    const rws = new ReconnectingWebSocket('ws://127.0.0.1:9/', undefined, { startClosed: true });
    const seen: string[] = [];
    rws.onclose = (e) =>
      seen.push(`close ${e.code} ${JSON.stringify(e.reason)} ${e.wasClean} ${e.target === rws}`);
    rws.onerror = (e) => seen.push(`error ${e.message} ${e.error.message} ${e.target === rws}`);
    rws.dispatchEvent(new CloseEvent(4001, 'bye', rws));
    rws.dispatchEvent(new CloseEvent(undefined, undefined, rws));
    rws.dispatchEvent(new ErrorEvent(new Error('boom'), rws));
    expect(seen).toEqual(['close 4001 "bye" true true', 'close 1000 "" true true', 'error boom boom true']);
    expect(new CloseEvent(4001, 'bye', rws).detail).toMatchObject({ kind: 'user', code: 4001 });
    expect(new ErrorEvent(new Error('boom'), rws).detail).toMatchObject({ kind: 'error', message: 'boom' });
    rws.close();
  });

  it('its internals are not public: readyState cannot be set nor its events faked from outside', () => {
    const rws = new ReconnectingWebSocket('ws://127.0.0.1:9/', undefined, { startClosed: true });
    const reach = () => {
      // @ts-expect-error the readyState behind `readyState` (the generation tap sets it)
      rws.state = 1;
      // @ts-expect-error the current generation
      rws.generation = null;
      // @ts-expect-error a message of the current generation
      rws.onMessage('forged');
      // @ts-expect-error the generation's link is ready
      rws.onReady(null as never);
      // @ts-expect-error an attempt of the generation ended
      rws.onAttemptEnded(null as never, { attempt: 1, delayMs: 0, reason: {} as never });
      // @ts-expect-error the generation's link failed
      rws.onFailed(null as never, {} as never);
      // @ts-expect-error
      rws.dispatch(new Event('open'));
      // @ts-expect-error
      rws.debug('x');
    };
    expect(typeof reach).toBe('function');
    expect(rws.readyState).toBe(3);
    rws.close();
  });
});
