/**
 * toTraceJson: what a trace may hold of a runtime value.
 */

import { describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { toTraceJson, traceSecrets } from '../../src/trace/trace-json.js';

describe('toTraceJson', () => {
  it('keeps plain data; drops actor refs; shows functions; writes non-finite numbers as text', () => {
    const actor = createActor(createMachine({}));
    expect(
      toTraceJson(
        {
          n: 1,
          s: 'x',
          b: true,
          none: null,
          inf: Number.POSITIVE_INFINITY,
          fn: () => 1,
          parent: actor,
          list: [1, undefined],
        },
        [],
      ),
    ).toEqual({ n: 1, s: 'x', b: true, none: null, inf: 'Infinity', fn: '[function]', list: [1, null] });
  });

  it('redacts URLs in text, secret-looking fields, and known secrets in every spelling', () => {
    const secret = 'abc/123:xyz';
    const secrets = traceSecrets([secret]);
    const b64 = Buffer.from(secret).toString('base64');
    const out = toTraceJson(
      {
        message: `failed at wss://h/p?token=${encodeURIComponent(secret)} (${b64}, ${Buffer.from(secret).toString('base64url')})`,
        headers: { Authorization: 'Bearer anything', Accept: 'text/plain' },
        quoted: `server said ${secret}`,
      },
      secrets,
    );
    const text = JSON.stringify(out);
    expect(text).not.toContain('abc');
    expect(text).not.toContain(b64.replace(/=+$/, ''));
    expect(out).toMatchObject({ headers: { Authorization: '[redacted]', Accept: 'text/plain' } });
    expect((out as { quoted: string }).quoted).toBe('server said [redacted]');
  });
});
