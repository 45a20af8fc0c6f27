/**
 * redactedCause (src/util/redacted-cause.ts) on hostile causes: a getter that throws, a cause that
 * is itself (a cycle), a Proxy whose traps throw or answer itself, a frozen object: the copy never
 * throws, never loops, and holds nothing of the secret (docs/errors.md, "What `cause` is").
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { redactedCause } from '../../src/util/redacted-cause.js';

const SECRET = 'S3cretTokenValue';
const redact = (text: string) => text.split(SECRET).join('[redacted]');
const shows = (value: unknown) => `${inspect(value, { depth: 20 })} ${JSON.stringify(value) ?? ''}`;

describe('redactedCause on hostile values', () => {
  it('an Error: name, code, message, stack and nested cause redacted; nothing else kept', () => {
    const inner = Object.assign(new RangeError(`inner ${SECRET}`), { code: `E_${SECRET}` });
    const outer = Object.assign(new TypeError(`outer ${SECRET}`, { cause: inner }), { detail: SECRET });
    const copy = redactedCause(outer, redact) as Error & { cause: Error & { code: string } };
    expect(copy).not.toBe(outer);
    expect(copy).toMatchObject({ name: 'TypeError', message: 'outer [redacted]' });
    expect(copy.cause).toMatchObject({
      name: 'RangeError',
      message: 'inner [redacted]',
      code: 'E_[redacted]',
    });
    expect(shows(copy)).not.toContain(SECRET);
  });

  it('a getter that throws: no throw, shown redacted', () => {
    const hostile = Object.defineProperty(new Error('x'), 'message', {
      get() {
        throw new Error(SECRET);
      },
    });
    expect(() => redactedCause(hostile, redact)).not.toThrow();
    expect(redactedCause(hostile, redact)).toBe('[redacted]');
  });

  it('a cycle (a cause that is itself, a field that is its object): bounded, no loop', () => {
    const self = new Error(`self ${SECRET}`) as Error & { cause?: unknown };
    self.cause = self;
    let copy = redactedCause(self, redact) as { cause?: unknown };
    let depth = 0;
    while (typeof copy === 'object' && copy !== null && 'cause' in copy) {
      copy = copy.cause as { cause?: unknown };
      depth++;
    }
    expect(depth).toBeLessThanOrEqual(8);
    const loop: Record<string, unknown> = { token: SECRET };
    loop.self = loop;
    expect(shows(redactedCause(loop, redact))).not.toContain(SECRET);
  });

  it('a Proxy whose traps throw, and one answering itself for every property: no throw, no loop', () => {
    const throwing = new Proxy(
      {},
      {
        get() {
          throw new Error(SECRET);
        },
        getPrototypeOf() {
          throw new Error(SECRET);
        },
      },
    );
    expect(redactedCause(throwing, redact)).toBe('[redacted]');
    const echo: object = new Proxy(function target() {}, { get: () => echo });
    expect(() => shows(redactedCause(echo, redact))).not.toThrow();
  });

  it('strings and symbols redacted, other primitives kept, a plain object as its JSON redacted', () => {
    expect(redactedCause(`a ${SECRET}`, redact)).toBe('a [redacted]');
    expect(redactedCause(Symbol(SECRET), redact)).toBe('Symbol([redacted])');
    expect(redactedCause(42, redact)).toBe(42);
    expect(redactedCause(null, redact)).toBe(null);
    const copy = redactedCause(Object.freeze({ status: 401, token: SECRET }), redact) as Error;
    expect(copy.message).toBe('{"status":401,"token":"[redacted]"}');
    expect(redactedCause('ws://u:p@h/x?token=abc', String)).toBe(
      'ws://[redacted]:[redacted]@h/x?token=[redacted]',
    );
  });
});
