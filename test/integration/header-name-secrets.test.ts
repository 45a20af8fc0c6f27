/**
 * Which headers hold secrets is decided by their name (src/util/redact.ts's isSecretHeader): the
 * values of `Authorization`, `Cookie`, `*token*`, `*key*`… are scrubbed wherever a server echoes
 * them. Names that carry a credential without those words were missed: a JWT assertion header
 * (`X-JWT-Assertion`, Google IAP's `X-Goog-IAP-JWT-Assertion`), an OAuth DPoP proof (`DPoP`, RFC
 * 9449), `X-Bearer`, `X-Passwd`, `X-Pwd`; and any header whose value is an auth scheme's
 * credential (`Bearer …`) or a JWT, whatever its name. And a `Cookie` header was one secret as a whole: a
 * server quoting one cookie's value (`unknown session <sid>`) got it through. A real ws server
 * echoes each in a close reason; no value may reach status, events or the inspector's records.
 * Kubernetes' bearer subprotocol (`base64url.bearer.authorization.k8s.io.<base64url(token)>`) was
 * a secret as offered, but the token it carries, decoded, was not. Nor were the credentials given
 * in `wsOptions` (ws's own `headers` and `auth: 'user:password'`, which ws sends as Basic auth).
 */
import { describe, expect, it } from 'vitest';
import { createInspector } from '../../src/inspector/index.js';
import { isSecretHeader, redactHeaders } from '../../src/util/redact.js';
import { recordEvents, textOf } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

const HEADERS: Record<string, string> = {
  'X-JWT-Assertion': 'assertion4Kq9Zt2Wm',
  'X-Goog-IAP-JWT-Assertion': 'iapAssert7Hn3Qp1',
  DPoP: 'dpopProof8Lx2Vc6',
  'X-Bearer': 'bearerVal5Tg7Ys',
  'X-Passwd': 'passwdVal3Rk9Jd',
  'X-Pwd': 'pwdValue6Nb4Wq',
  // Names that say nothing, values that do: an auth scheme, a JWT.
  'X-Upstream': 'Bearer upstreamTok2Kx8',
  'X-Identity': 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnNzc3',
};
const SID = 'sidCookie2Fp8Xa';
const CSRF = 'csrfCookie9Mu1Ke';
const VALUES = [...Object.values(HEADERS), SID, CSRF];

describe('integration: credentials in headers whose names say so without auth/token/key', () => {
  const h = useHarness();

  it('isSecretHeader knows them; ordinary names stay readable', () => {
    for (const name of Object.keys(HEADERS).filter((n) => !['X-Upstream', 'X-Identity'].includes(n)))
      expect(isSecretHeader(name), name).toBe(true);
    for (const name of ['X-Trace', 'Accept-Language', 'User-Agent', 'X-Request-Id'])
      expect(isSecretHeader(name), name).toBe(false);
    // redactHeaders (public) hides by name and by value.
    expect(redactHeaders({ ...HEADERS, 'X-Trace': 'abc' })).toEqual({
      ...Object.fromEntries(Object.keys(HEADERS).map((name) => [name, '[redacted]'])),
      'X-Trace': 'abc',
    });
  });

  it("a server echoing each header value (each cookie's alone) in its close reason", async () => {
    let served = 0;
    const names = [...Object.keys(HEADERS).map((name) => name.toLowerCase()), 'cookie'];
    const server = await h.wsServer({
      onConnection: (ws, request) => {
        const name = names[served++ % names.length] ?? '';
        const cookie = String(request.headers.cookie);
        const value =
          name === 'cookie'
            ? cookie
                .split('; ')
                .map((pair) => pair.split('=')[1])
                .join(' ')
            : String(request.headers[name]);
        ws.close(4001, `you sent ${value}`.slice(0, 123));
      },
    });
    const inspector = createInspector();
    const supervisor = h.supervisor({ ...FAST, intensity: false, inspect: inspector.inspect });
    const link = supervisor.connect(`ws://127.0.0.1:${server.port}/feed`, {
      id: 'hdr',
      headers: { ...HEADERS, Cookie: `theme=dark; sid=${SID}; csrf=${CSRF}` },
    });
    const events = recordEvents(link);
    await waitFor(() => events.count('reconnecting') >= names.length, {
      message: `${names.length} reconnects`,
      timeoutMs: 10_000,
    });
    const reasons = events.of<{ reason: { message: string } }>('reconnecting').map((r) => r.reason.message);
    expect(reasons[0]).toContain('you sent');
    const texts = [
      ...reasons,
      textOf(supervisor.status()),
      ...events.events.map((e) => `${e.type} ${textOf(e.payload)}`),
      textOf(inspector.records()),
    ];
    const found = VALUES.flatMap((value) =>
      texts.filter((text) => text.includes(value)).map((text) => `${value} in ${text.slice(0, 200)}`),
    );
    expect(found).toEqual([]);
    inspector.dispose();
  });

  it("Kubernetes' bearer subprotocol: the token it carries, decoded, is a secret too", async () => {
    const token = 'k8sBearerTok3Wz7Qm';
    const offered = `base64url.bearer.authorization.k8s.io.${Buffer.from(token).toString('base64url')}`;
    const server = await h.wsServer({
      onConnection: (ws, request) => {
        const protocol = String(request.headers['sec-websocket-protocol']).split(', ').at(-1) ?? '';
        const decoded = Buffer.from(protocol.split('.').at(-1) ?? '', 'base64url').toString();
        ws.close(4001, `unknown bearer ${decoded}`.slice(0, 123));
      },
    });
    const supervisor = h.supervisor({ ...FAST, intensity: false });
    const link = supervisor.connect(`ws://127.0.0.1:${server.port}/api`, {
      id: 'k8s',
      protocols: ['channel.k8s.io', offered],
    });
    const events = recordEvents(link);
    await waitFor(() => events.count('reconnecting') >= 2, { message: 'two reconnects' });
    const reason = events.of<{ reason: { message: string } }>('reconnecting')[0]?.reason.message;
    expect(reason).toBe('closed with code 4001: unknown bearer [redacted]');
    const texts = [textOf(supervisor.status()), ...events.events.map((e) => textOf(e.payload))];
    expect(texts.filter((text) => text.includes(token))).toEqual([]);
  });

  it('a header line given as a name (a credential in it) is refused without showing the credential', () => {
    const supervisor = h.supervisor(FAST);
    const token = 'q8Rt5Lk2Vw9Zx3Mn7Pb4';
    for (const name of [`Authorization: Bearer ${token}`, `X-Api-Key ${token}`, `token=${token}`]) {
      let error: unknown;
      try {
        supervisor.connect('ws://127.0.0.1:9/feed', { headers: { [name]: '' } });
      } catch (caught) {
        error = caught;
      }
      expect(error, name).toMatchObject({ code: 'LV_ERR_INVALID_OPTION', option: 'headers' });
      expect(String((error as Error).message), name).toMatch(
        /is not a valid header name( \(a whole 'Name: value' line\?\))?$/,
      );
      expect(textOf(error), name).not.toContain(token.slice(0, 8));
    }
  });

  it("wsOptions' headers and auth (ws's Basic auth) are secrets as the headers option's are", async () => {
    const password = 'wsAuthPw6Tz1Qc';
    const apiKey = 'wsOptKey4Hd8Ns';
    let served = 0;
    const server = await h.wsServer({
      onConnection: (ws, request) => {
        const basic = String(request.headers.authorization).replace(/^Basic /, '');
        const echoes = [
          `bad credential ${basic}`,
          `bad user ${Buffer.from(basic, 'base64').toString()}`,
          `bad key ${String(request.headers['x-api-key'])}`,
        ];
        ws.close(4001, (echoes[served++ % echoes.length] ?? '').slice(0, 123));
      },
    });
    const supervisor = h.supervisor({ ...FAST, intensity: false });
    const link = supervisor.connect(`ws://127.0.0.1:${server.port}/feed`, {
      id: 'wsopt',
      wsOptions: { auth: `alice:${password}`, headers: { 'X-Api-Key': apiKey } },
    });
    const events = recordEvents(link);
    await waitFor(() => events.count('reconnecting') >= 3, { message: 'three reconnects' });
    const reasons = events.of<{ reason: { message: string } }>('reconnecting').map((r) => r.reason.message);
    expect(reasons[0]).toContain('bad credential');
    const basic = Buffer.from(`alice:${password}`).toString('base64');
    const texts = [...reasons, textOf(supervisor.status()), ...events.events.map((e) => textOf(e.payload))];
    const found = [password, apiKey, basic].flatMap((secret) =>
      texts.filter((text) => text.includes(secret)).map((text) => `${secret} in ${text.slice(0, 160)}`),
    );
    expect(found).toEqual([]);
  });
});
