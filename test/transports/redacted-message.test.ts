/**
 * A reason's message as an attempt reports it (src/transports/transport.ts redactedMessage): the
 * link's secrets scrubbed out of what a transport wrote, a close's code left whole, and a close with
 * no text after its code (every dropped link's `closed with code 1006`) returned as it is without
 * asking for the link's redactor, which a link makes each time it is asked (BENCHMARKS.md round 50
 * (i50storm)).
 */
import { describe, expect, it } from 'vitest';
import { redactedMessage } from '../../src/transports/transport.js';

/** A link's scrubber whose `redact` is counted each time it is asked for. */
function scrubber(secret: string) {
  const asked = { count: 0 };
  return {
    asked,
    get redact() {
      asked.count++;
      return (text: string) => text.split(secret).join('[redacted]');
    },
  };
}

describe('redactedMessage', () => {
  it('returns a close with no text as it is, without asking for the redactor', () => {
    const s = scrubber('100');
    const message = redactedMessage({ kind: 'close', code: 1006, message: 'closed with code 1006' }, s);
    expect(message).toBe('closed with code 1006');
    expect(s.asked.count).toBe(0);
  });

  it('keeps a close code whole and scrubs the text after it', () => {
    const s = scrubber('100');
    const message = redactedMessage(
      { kind: 'close', code: 1001, message: 'closed with code 1001: shard 100 going away' },
      s,
    );
    expect(message).toBe('closed with code 1001: shard [redacted] going away');
    expect(s.asked.count).toBe(1);
  });

  it('scrubs a close whose message does not start with its code, and every other reason, whole', () => {
    const s = scrubber('tok');
    expect(redactedMessage({ kind: 'close', code: 1000, message: 'tok left' }, s)).toBe('[redacted] left');
    expect(redactedMessage({ kind: 'error', message: 'closed with code 1006 tok' }, s)).toBe(
      'closed with code 1006 [redacted]',
    );
    expect(s.asked.count).toBe(2);
  });
});
