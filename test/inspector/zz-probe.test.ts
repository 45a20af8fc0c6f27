import { it } from 'vitest';
import { startInspector } from '../../src/inspector/index.js';
import { redactValue } from '../../src/inspector/redact-value.js';
import { FAST, useHarness } from '../helpers/harness.js';
const h = useHarness();
it('probe', async () => {
  for (const host of ['localhost.', 'nonexistent.invalid']) {
    try { const s = await startInspector(h.supervisor(FAST), { host, warn: (m) => console.log('warn', m) }); console.log(host, 'started', s.url); await s.close(); }
    catch (e: any) { console.log(host, e.code, e.option, e.message, e.cause?.code); }
  }
  const p = new Proxy({}, { ownKeys() { throw new Error('x'); } });
  const p2 = new Proxy({a:1}, { getOwnPropertyDescriptor() { throw new Error('x'); } });
  const g = { get token() { return 'sekret123456'; }, get other() { return 'Bearer abcdefghijk123'; }, get x() { return 'a=1&access_token=ZZSECRET99' } };
  const e = new Error('failed https://h/x?token=TOK%2BSECRET99&a=1 and Digest username="u", realm="r", response="RESPSECRET99"');
  for (const v of [p, p2, g, e, { err: e }, { pass: 'hunter22', otp: '123456' }, 'Digest username="u", realm="r", response="RESPSECRET99"', 'x Digest username="u", realm="r", response="RESPSECRET99"']) console.log(JSON.stringify(redactValue(v)));
});
