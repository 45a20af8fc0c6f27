/**
 * The options an attempt hands ws (`wsOptionsOf`, src/transports/ws-transport.ts) are a literal
 * that keys are added to, not a clone of the link's wsOptions with `maxPayload` added: such a clone
 * gets, once V8 (Node 20) optimises the spread, a hidden class of its own per attempt (~1 µs an
 * attempt of a link with wsOptions; BENCHMARKS.md round 29 (hidden classes)). The hidden class is
 * not observable without V8's natives syntax, so this pins its cause: `maxPayload` comes first.
 */
import { describe, expect, it } from 'vitest';
import type { TransportTarget } from '../../src/transports/transport.js';
import { wsOptionsOf } from '../../src/transports/ws-transport.js';

const target = (options: Record<string, unknown>, headers: Record<string, string> = {}): TransportTarget => ({
  url: 'ws://127.0.0.1:1/',
  protocols: [],
  headers,
  options,
});

describe("an attempt's ws options", () => {
  it('are a literal with maxPayload first, then the wsOptions keys (no key added to a clone)', () => {
    const options = { perMessageDeflate: false, handshakeTimeout: 5 };
    const built = wsOptionsOf(target(options), 1024);
    expect(Object.keys(built)).toEqual(['maxPayload', 'perMessageDeflate', 'handshakeTimeout']);
    expect(built).toEqual({ maxPayload: 1024, perMessageDeflate: false, handshakeTimeout: 5 });
    expect(built).not.toBe(options);
    expect(Object.keys(wsOptionsOf(target({}), 7))).toEqual(['maxPayload']);
  });

  it("keep maxPayloadBytes over wsOptions' maxPayload, and merge headers, the link's last", () => {
    const options = { maxPayload: 10, headers: { 'x-a': '1', 'x-b': '2' } };
    const built = wsOptionsOf(target(options, { 'x-b': '3', 'x-c': '4' }), 2048);
    expect(built).toEqual({ maxPayload: 2048, headers: { 'x-a': '1', 'x-b': '3', 'x-c': '4' } });
    expect(built.headers).not.toBe(options.headers);
    expect(options).toEqual({ maxPayload: 10, headers: { 'x-a': '1', 'x-b': '2' } });
    expect(wsOptionsOf(target({}, { 'x-c': '4' }), 1).headers).toEqual({ 'x-c': '4' });
    // An own undefined in wsOptions does not clear ours (ws would take its own 100 MiB default).
    expect(wsOptionsOf(target({ maxPayload: undefined }), 512).maxPayload).toBe(512);
  });
});
