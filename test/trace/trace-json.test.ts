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

  it('TLS material in options: binary is never written out; values under secret-looking names are hidden whatever their shape', () => {
    const pem = '-----BEGIN PRIVATE KEY-----abc';
    const out = toTraceJson(
      {
        wsOptions: {
          pfx: Buffer.from('PKCS12-BYTES'),
          passphrase: 'hunter2',
          key: [pem, Buffer.from(pem)],
          cert: new Uint8Array([1, 2, 3]),
          ca: 'public',
          auth: { user: 'u', password: 'p' },
        },
        authCloseCodes: [4001],
      },
      [],
    );
    const text = JSON.stringify(out);
    for (const leaked of ['hunter2', 'PRIVATE', 'PKCS12', '"p"', '"0":']) expect(text).not.toContain(leaked);
    expect(out).toEqual({
      wsOptions: {
        pfx: '[redacted]',
        passphrase: '[redacted]',
        key: ['[redacted]', '[redacted]'],
        cert: '[binary 3 bytes]',
        ca: 'public',
        auth: { user: '[redacted]', password: '[redacted]' },
      },
      authCloseCodes: [4001],
    });
  });

  it("a supervisor's TLS options do not reach a trace's header", async () => {
    const { createSupervisor } = await import('../../src/index.js');
    const { recordSession } = await import('../../src/trace/record-session.js');
    const supervisor = createSupervisor({
      wsOptions: { pfx: Buffer.from('PKCS12-BYTES'), passphrase: 'hunter2' } as never,
    });
    const trace = recordSession(supervisor).stop();
    await supervisor.close();
    const text = JSON.stringify(trace.header);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('"0":');
  });
});
