/**
 * The drop-in's `on…` handler properties and listener objects, as a WebSocket's (WebIDL
 * `[LegacyTreatNonObjectAsNull]` EventHandler): a value that is no object (`42`, `'x'`, `true`,
 * `undefined`) reads back as `null` (it read back as given); a function or another object as given,
 * an object that is no function never called (no exception either); a listener object's
 * `handleEvent` runs with the object as `this`. Real ws server on 127.0.0.1.
 */
import { describe, expect, it } from 'vitest';
import { useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { dropIn, FAST } from './helpers.js';

const NAMES = ['onopen', 'onmessage', 'onclose', 'onerror'] as const;

describe('drop-in: on… handler properties and listener objects', () => {
  const h = useHarness();

  it('a value that is no object reads back as null; a function or an object as given', async () => {
    const server = await h.wsServer();
    const rws = dropIn(h, server.url, undefined, FAST);
    const props = rws as unknown as Record<(typeof NAMES)[number], unknown>;
    for (const name of NAMES) {
      for (const value of [42, 'x', true, undefined, Symbol('s')]) {
        props[name] = () => {};
        props[name] = value;
        expect(props[name], `${name} = ${String(value)}`).toBeNull();
      }
      const fn = () => {};
      props[name] = fn;
      expect(props[name]).toBe(fn);
      const object = { handleEvent: () => {} };
      props[name] = object;
      expect(props[name]).toBe(object);
      props[name] = null;
      expect(props[name]).toBeNull();
    }
  });

  it('events reach listener objects (handleEvent, this the object), never a handler object; nothing throws', async () => {
    const server = await h.wsServer({
      onConnection: (ws) => ws.on('message', (data) => ws.send(String(data))),
    });
    const rws = dropIn(h, server.url, undefined, FAST);
    const seen: string[] = [];
    const called: string[] = [];
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    h.defer(() => process.off('uncaughtException', onUncaught));
    const handlerObject = { handleEvent: () => called.push('handler object') };
    (rws as unknown as { onopen: unknown }).onopen = handlerObject;
    (rws as unknown as { onmessage: unknown }).onmessage = 42;
    const listener = {
      handleEvent(this: unknown, event: Event) {
        seen.push(`${event.type} this=${this === listener ? 'listener' : 'other'}`);
      },
    };
    rws.addEventListener('open', listener);
    rws.addEventListener('message', listener);
    await waitFor(() => seen.includes('open this=listener'), { message: 'open' });
    rws.send('hi');
    await waitFor(() => seen.includes('message this=listener'), { message: 'message' });
    expect(called).toEqual([]);
    expect(rws.onmessage).toBeNull();
    expect(uncaught).toEqual([]);
  });
});
