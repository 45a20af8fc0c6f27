/**
 * The supervisor's and a group's `error` events are scrubbed of the secrets of links that ended
 * in the close that led to them, however many (src/runtime/supervisor-secrets.ts), and of links
 * that have made no attempt yet (their options' values: staticSecrets in the same file).
 * Each secret is quoted in every encoding the project checks (raw, percent-encoded, base64 padded
 * and not, base64url, JSON-escaped) and none may show. Real ws servers on 127.0.0.1, port 0.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { LinkvisorError } from '../../src/index.js';
import { FAST, type Harness, useHarness } from '../helpers/harness.js';
import { encodedForms } from '../helpers/secret-forms.js';
import { waitFor } from '../helpers/wait.js';

/** Bare tokens (no `Bearer`, no `token=`): nothing but the known secrets scrubs them. */
const tokenOf = (n: number) => `Turn${String(n).padStart(2, '0')}Secret+Zq/k9w=`;

/** `secret` JSON-escaped as .NET writes it (`+` as `\u002B`) and with its first letter as `\uXXXX`. */
function jsonForms(secret: string): string[] {
  const hex = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  return [secret.replaceAll('+', '\\u002B'), `${hex(secret[0] as string)}${secret.slice(1)}`];
}

/** Every form the tests quote and look for. */
const formsOf = (secret: string) => [...encodedForms(secret), ...jsonForms(secret)];

/** The error's printed form holds none of `secrets`' forms (the first found named). */
function expectNone(error: LinkvisorError | undefined, secrets: string[]): void {
  expect(error).toBeDefined();
  const shown = inspect(error, { depth: 10 });
  for (const form of secrets.flatMap(formsOf))
    expect(shown.includes(form), `${form} shown in ${shown.slice(0, 400)}`).toBe(false);
}

const quoting = (secrets: string[]) => new Error(`quoted: ${secrets.flatMap(formsOf).join(' ')}`);

/** A ws server that stops reading every socket after the 17th (their links end at their close
 * timeout, in a later turn than the others); `accepted()`: sockets so far. */
async function pausingServer(h: Harness) {
  let accepted = 0;
  const server = await h.wsServer({
    onConnection: (_ws, request) => {
      if (++accepted > 17) request.socket.pause();
    },
  });
  return { server, accepted: () => accepted };
}

describe("supervisor error events: every link's secrets, whatever their number or progress", () => {
  const h = useHarness();

  it('close() ends 20 links over several turns: a `closed` listener quoting every token shows none of them', async () => {
    // The server stops reading the last 3 sockets: their links end at their close timeout, in a
    // later turn than the 17 others (the last 16 ended links are not enough then).
    const { server, accepted } = await pausingServer(h);
    const supervisor = h.supervisor({ ...FAST, closeTimeoutMs: 300 });
    const tokens = Array.from({ length: 20 }, (_, n) => tokenOf(n));
    const links = tokens.map((token) =>
      supervisor.connect(server.url, { headers: { Authorization: `Bearer ${token}` } }),
    );
    await Promise.all(links.map((link) => link.ready()));
    await waitFor(() => accepted() === 20, { message: 'the server accepting every socket' });
    const errors: LinkvisorError[] = [];
    supervisor.on('error', (error) => errors.push(error));
    supervisor.on('closed', () => {
      throw quoting(tokens);
    });
    await supervisor.close();
    await waitFor(() => errors.length > 0, { message: "the `closed` listener's error" });
    expect(errors[0]?.code).toBe('LV_ERR_LISTENER');
    expectNone(errors[0], tokens);
  });

  it("a group's close() ends 20 members over several turns: a supervisor error just after shows no token", async () => {
    const { server, accepted } = await pausingServer(h);
    const supervisor = h.supervisor({ ...FAST, closeTimeoutMs: 300 });
    const tokens = Array.from({ length: 20 }, (_, n) => tokenOf(n));
    // One member per token: each URL's query carries its own (the group's options are shared).
    const group = supervisor.connectGroup(
      tokens.map((token) => `${server.url}/?sid=${encodeURIComponent(token)}`),
      { id: 'svc' },
    );
    await Promise.all(group.links.map((link) => link.ready()));
    await waitFor(() => accepted() === 20, { message: 'the server accepting every socket' });
    const errors: LinkvisorError[] = [];
    supervisor.on('error', (error) => errors.push(error));
    supervisor.on('link', () => {
      throw quoting(tokens);
    });
    await group.close();
    supervisor.connect(server.url);
    expect(errors).toHaveLength(1);
    expectNone(errors[0], tokens);
  });

  it('a link that has made no attempt yet: its header, subprotocol, query and password values', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const [header, protocol, query, password] = [
      'HdrNotYet5x',
      'ProtoNotYet7q',
      'QueryNotYet3z',
      'PassNotYet9k',
    ];
    const secrets = [header, protocol, query, password] as string[];
    const errors: LinkvisorError[] = [];
    supervisor.on('error', (error) => errors.push(error));
    // `link` is told inside connect(), before the link's first attempt (it starts in a slice later).
    supervisor.on('link', (link) => {
      expect(link.state).toBe('idle');
      throw quoting(secrets);
    });
    const url = server.url.replace('ws://', `ws://user:${password}@`);
    supervisor.connect(`${url}/feed?key=${query}`, {
      headers: { Authorization: `Bearer ${header}` },
      protocols: ['token', protocol as string],
    });
    expect(errors).toHaveLength(1);
    expectNone(errors[0], secrets);
  });

  it('a link with a url() function and a static header, before its first attempt: the header value', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const key = 'ApiKeyNotYet8m';
    const errors: LinkvisorError[] = [];
    supervisor.on('error', (error) => errors.push(error));
    supervisor.on('link', () => {
      throw quoting([key]);
    });
    supervisor.connect(() => server.url, { headers: { 'X-Api-Key': key } });
    expect(errors).toHaveLength(1);
    expectNone(errors[0], [key]);
  });

  it("a group's `up` listener quoting its members' header value (members' secrets, as the supervisor's)", async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const secret = 'GroupNotYet4Member';
    const group = supervisor.connectGroup([server.url, server.url], {
      id: 'svc',
      headers: { Authorization: `Bearer ${secret}` },
    });
    const errors: LinkvisorError[] = [];
    group.on('error', (error) => errors.push(error));
    group.on('up', () => {
      throw quoting([secret]);
    });
    await waitFor(() => errors.length > 0, { message: "the group's `up` listener error" });
    expectNone(errors[0], [secret]);
  });
});
