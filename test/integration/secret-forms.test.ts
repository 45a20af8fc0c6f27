/**
 * User info in a URL takes many forms on its way back: raw (percent-encoded, as written),
 * percent-decoded, form-encoded, and the `Authorization: Basic …` credential that `ws` builds
 * from the URL (base64 of `user:password`, which a server may echo as base64, base64url or
 * decoded). A server that echoes what it received — in close reasons, in a message the
 * application handshake quotes in its error, in an HTTP rejection — must not get any of those
 * forms into reasons, `status()`, error messages, the inspector's records or the drop-in's
 * events.
 */
import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { type Link, ReconnectingWebSocket } from '../../src/index.js';
import { createInspector } from '../../src/inspector/index.js';
import { recordEvents, textOf } from '../helpers/events.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';

const USER_RAW = 'carol%40example.com';
const PASSWORD_RAW = 'Pa55%40w0rd%20zz';
const USER = 'carol@example.com';
const PASSWORD = 'Pa55@w0rd zz';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const b64url = (text: string) => Buffer.from(text).toString('base64url');

/** Every form of the secrets a scan must not find (computed here, not by the library). */
const FORMS = [
  USER_RAW,
  USER,
  PASSWORD_RAW,
  PASSWORD,
  'Pa55%40w0rd+zz', // form-encoded
  'Pa55@w0rd%20zz', // partly encoded
  b64(`${USER_RAW}:${PASSWORD_RAW}`),
  b64(`${USER}:${PASSWORD}`),
  b64url(`${USER_RAW}:${PASSWORD_RAW}`),
  b64url(`${USER}:${PASSWORD}`),
  b64(`${USER}:${PASSWORD}`).replace(/=+$/, ''),
];

/** What the hostile server echoes, one per connection (close reasons are at most 123 bytes). */
function echoes(request: http.IncomingMessage): string[] {
  const auth = String(request.headers.authorization ?? '');
  const credential = auth.replace(/^Basic /, '');
  const decoded = Buffer.from(credential, 'base64').toString();
  const plain = decodeURIComponent(decoded);
  const [user = '', password = ''] = plain.split(/:(.*)/s);
  return [
    `you sent ${auth}`,
    `credential ${credential}`,
    `decoded ${decoded}`,
    `plain ${plain}`,
    `url-safe ${b64url(decoded)} / ${b64url(plain)}`,
    `rebased ${b64(plain)}`,
    JSON.stringify({ user, password }),
    `form ${new URLSearchParams({ password }).toString()}`,
    `partly ${password.replace(/ /g, '%20')}`,
    `raw ${encodeURIComponent(user)} ${encodeURIComponent(password)}`,
  ];
}

function expectNoForms(label: string, texts: string[]): void {
  const found = new Map<string, string>();
  for (const text of texts) {
    for (const form of FORMS)
      if (text.includes(form) && !found.has(form)) found.set(form, text.slice(0, 300));
  }
  expect(
    [...found].map(([form, text]) => `${form} in ${text}`),
    `${label}: secret forms found`,
  ).toEqual([]);
}

describe('integration: every form of user info stays hidden', () => {
  const h = useHarness();

  it('raw, decoded, form-encoded, Basic base64/base64url and JSON forms echoed by a server never come back', async () => {
    // A ws server that accepts, then echoes a different form of what it received on each
    // connection: first in a message the handshake quotes, then in the close reason.
    let served = 0;
    const server = await h.wsServer({
      onConnection: (ws: WebSocket, request) => {
        const forms = echoes(request);
        const n = served++;
        ws.send(`echo ${JSON.stringify({ url: request.url, headers: request.headers })}`.slice(0, 2000));
        ws.close(4000, (forms[n % forms.length] ?? '').slice(0, 123));
      },
    });
    // An HTTP server that rejects the upgrade with 503, echoing everything in headers and body.
    const rejecting = await h.upgradeServer((request, socket) => {
      const body = JSON.stringify({ url: request.url, headers: request.headers, echoes: echoes(request) });
      socket.end(
        `HTTP/1.1 503 Unavailable\r\nX-Echo: ${request.headers.authorization}\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    });
    const url = (port: number) => `ws://${USER_RAW}:${PASSWORD_RAW}@127.0.0.1:${port}/`;

    const inspector = createInspector();
    // Every link bounces a dozen times in a second on purpose: restart intensity off.
    const supervisor = h.supervisor({ ...FAST, intensity: false, inspect: inspector.inspect });
    const errors: unknown[] = [];
    // The handshake quotes what the server sent: the echo lands in the reason's message.
    const quoting = supervisor.connect(url(server.port), {
      id: 'quoting',
      handshake: async (session) => {
        const first = await session.next();
        throw new Error(`server said ${String(first)}`);
      },
    });
    const closing = supervisor.connect(url(server.port), { id: 'closing' });
    const rejected = supervisor.connect(url(rejecting.port), { id: 'rejected' });
    // A fatal handshake error quoting the echo: the failure shows up in send() and ready() errors.
    const failing = supervisor.connect(url(server.port), {
      id: 'failing',
      handshake: async (session) => {
        const first = await session.next();
        throw Object.assign(new Error(`server said ${String(first)}`), { fatal: true });
      },
    });
    const links: Link[] = [quoting, closing, rejected];
    const logs = links.map((link) => recordEvents(link));
    const statuses: string[] = [];
    for (const link of links) link.on('state', () => statuses.push(textOf(link.status())));

    const drop = new ReconnectingWebSocket(url(server.port), undefined, {
      minReconnectionDelay: 20,
      maxReconnectionDelay: 60,
      heartbeat: false,
    });
    const dropEvents: string[] = [];
    for (const type of ['open', 'message', 'close', 'error', 'reconnecting', 'failed']) {
      drop.addEventListener(type, (event: Event) => {
        const e = event as Event & { reason?: string; detail?: unknown; code?: number };
        if (type !== 'message')
          dropEvents.push(textOf({ type, reason: e.reason, code: e.code, detail: e.detail }));
      });
    }
    h.defer(async () => {
      drop.close();
      await drop.link?.ended();
    });

    const rounds = echoes({ headers: {} } as http.IncomingMessage).length + 2;
    await waitFor(() => logs.every((log) => log.count('reconnecting') >= rounds), {
      message: `${rounds} reconnects of every link`,
      timeoutMs: 15_000,
    });
    await waitFor(() => dropEvents.filter((e) => e.includes('"close"')).length >= 3, {
      message: 'three close events of the drop-in',
    });

    // The server really saw (and echoed) the credentials: the scan is not vacuous.
    const closeReasons = logs[1]?.of<{ reason: { message: string } }>('reconnecting') ?? [];
    expect(closeReasons.some((r) => r.reason.message.includes('[redacted]'))).toBe(true);
    const handshakeReasons = logs[0]?.of<{ reason: { message: string } }>('reconnecting') ?? [];
    expect(handshakeReasons[0]?.reason.message).toContain('server said echo');

    await waitFor(() => failing.state === 'failed', { message: 'the fatal handshake' });
    for (const link of [...links, failing]) {
      try {
        link.send('x');
      } catch (error) {
        errors.push(error);
      }
    }
    errors.push(await failing.ready().catch((error: unknown) => error));
    expect(errors.length).toBe(2);
    expect(textOf(errors)).toContain('server said echo');
    const texts = [
      textOf(supervisor.status()),
      ...[...links, failing].map((link) => textOf(link.status())),
      ...links.map((link) => textOf(link.status().lastError)),
      ...statuses,
      // Messages are the application's data, delivered as the server sent them: not scanned.
      ...logs.flatMap((log) =>
        log.events.filter((e) => e.type !== 'message').map((e) => `${e.type} ${textOf(e.payload)}`),
      ),
      ...errors.map(textOf),
    ];
    expectNoForms('link events, status, errors', texts);
    expectNoForms('inspector records', [textOf(inspector.records()), textOf(inspector.actors())]);
    expectNoForms('drop-in events', dropEvents);
    expect(dropEvents.some((e) => e.includes('[redacted]'))).toBe(true);
    expect(textOf(inspector.records())).toContain('[redacted]');
    expect(quoting.status().url).toBe(`ws://[redacted]:[redacted]@127.0.0.1:${server.port}/`);
    inspector.dispose();
  });
});
