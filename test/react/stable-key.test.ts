/**
 * Keys and callback forwarding of linkvisor/react (src/react/stable-key.ts): renders that ask for
 * the same thing get one key whatever the closures and key order; any data change is a new key;
 * forwarded callbacks call the latest render's function, with its arguments and `this`.
 */
import { describe, expect, it } from 'vitest';
import { forwardCallbacks, stableKey } from '../../src/react/stable-key.js';

describe('stableKey', () => {
  it('is the same for the same data, new closures and another key order', () => {
    const a = {
      url: 'ws://h/',
      options: { backoff: { initialDelayMs: 5, maxDelayMs: 9 }, handshake: () => {} },
    };
    const b = {
      options: { handshake: () => 1, backoff: { maxDelayMs: 9, initialDelayMs: 5 } },
      url: 'ws://h/',
    };
    expect(stableKey(a)).toBe(stableKey(b));
    expect(stableKey({ url: new URL('ws://h/') })).toBe(stableKey({ url: new URL('ws://h/') }));
    expect(stableKey({ a: 1, b: undefined })).toBe(stableKey({ a: 1 }));
  });

  it('changes with any data, with a function appearing or going, and tells markers from strings', () => {
    const base = stableKey({ url: 'ws://h/', options: { heartbeat: { intervalMs: 1 } } });
    expect(stableKey({ url: 'ws://h/x', options: { heartbeat: { intervalMs: 1 } } })).not.toBe(base);
    expect(stableKey({ url: 'ws://h/', options: { heartbeat: { intervalMs: 2 } } })).not.toBe(base);
    expect(stableKey({ url: 'ws://h/', options: { heartbeat: false } })).not.toBe(base);
    expect(stableKey({ f: () => {} })).not.toBe(stableKey({}));
    expect(stableKey({ f: () => {} })).not.toBe(stableKey({ f: 'fn' }));
    expect(stableKey({ u: new URL('ws://h/') })).not.toBe(stableKey({ u: 'ws://h/' }));
    expect(stableKey({ n: Number.POSITIVE_INFINITY })).not.toBe(stableKey({ n: null }));
    expect(stableKey({ n: Number.POSITIVE_INFINITY })).not.toBe(stableKey({ n: Number.NaN }));
  });

  it('compares class instances and identity keys by identity', () => {
    class Agent {}
    const agent = new Agent();
    expect(stableKey({ agent })).toBe(stableKey({ agent }));
    expect(stableKey({ agent })).not.toBe(stableKey({ agent: new Agent() }));
    const identity = new Set(['WebSocket']);
    class One {}
    class Two {}
    expect(stableKey({ WebSocket: One }, identity)).toBe(stableKey({ WebSocket: One }, identity));
    expect(stableKey({ WebSocket: One }, identity)).not.toBe(stableKey({ WebSocket: Two }, identity));
  });
});

describe('forwardCallbacks', () => {
  it('calls the latest function at the same place, with its arguments and this', () => {
    let latest: unknown = { url: () => 'first', options: { heartbeat: { ping: () => 'p1' }, n: 1 } };
    const forwarded = forwardCallbacks(
      latest as { url: () => string; options: { heartbeat: { ping: () => string }; n: number } },
      () => latest,
      new Set(),
    );
    expect(forwarded.url()).toBe('first');
    expect(forwarded.options.n).toBe(1);
    latest = {
      url: function (this: unknown, suffix: string) {
        return `second${suffix}${this === forwarded ? ' (this)' : ''}`;
      },
      options: { heartbeat: { ping: () => 'p2' }, n: 1 },
    };
    expect((forwarded.url as unknown as (s: string) => string).call(forwarded, '!')).toBe('second! (this)');
    expect(forwarded.options.heartbeat.ping()).toBe('p2');
  });

  it('keeps identity keys and non-plain values as they are; falls back to the first function if one went away', () => {
    class Socket {}
    const agent = new (class Agent {})();
    const first = { WebSocket: Socket, agent, cb: () => 'first' };
    let latest: unknown = first;
    const forwarded = forwardCallbacks(first, () => latest, new Set(['WebSocket']));
    expect(forwarded.WebSocket).toBe(Socket);
    expect(forwarded.agent).toBe(agent);
    latest = {};
    expect(forwarded.cb()).toBe('first');
  });
});

describe('options that refer to themselves (a cycle)', () => {
  // Before, both recursed for ever: a render of useLink()/useWebSocket() with such options threw
  // a RangeError (maximum call stack size exceeded) instead of connecting or refusing the option.
  const cyclic = () => {
    const extra: Record<string, unknown> = { name: 'x' };
    extra.self = extra;
    const list: unknown[] = [1];
    list.push(list);
    return { url: 'ws://h/', options: { wsOptions: { extra, list }, onPing: () => 'first' } };
  };

  it('stableKey: a key (the cyclic value by identity), the same for the same value, another for another', () => {
    const a = cyclic();
    expect(typeof stableKey(a)).toBe('string');
    expect(stableKey(a)).toBe(stableKey({ ...a }));
    expect(stableKey(a)).not.toBe(stableKey(cyclic()));
    // The data around the cycle still counts.
    expect(stableKey({ ...a, url: 'ws://h/x' })).not.toBe(stableKey(a));
  });

  it('forwardCallbacks: the cyclic value kept as it is, the other callbacks forwarded', () => {
    const first = cyclic();
    let latest: unknown = first;
    const forwarded = forwardCallbacks(first, () => latest, new Set());
    expect(forwarded.options.wsOptions.extra.self).toBe(first.options.wsOptions.extra);
    expect(forwarded.options.wsOptions.list[1]).toBe(first.options.wsOptions.list);
    latest = { ...first, options: { ...first.options, onPing: () => 'second' } };
    expect(forwarded.options.onPing()).toBe('second');
  });
});
