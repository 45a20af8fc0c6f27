/**
 * A link's own `error` event, when what it reports came from the application's code (a listener, a
 * `url()` function, a handshake: code the links share), is scrubbed of every secret its supervisor
 * knows (its live links', those ended this turn and the last 16 before, src/runtime/supervisor-secrets.ts),
 * not of that link's alone. Before round 46 (src/runtime/link-wire.ts `redact` only): a listener
 * shared by links A and B that quotes both tokens gave A an `error` event showing B's bare token;
 * a shared `url()` function or handshake that threw quoting both, A's status. A standalone link
 * (the drop-in's) keeps its own rule: its own secrets, and credentials by their shape. Real ws
 * server on 127.0.0.1, port 0.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type LinkvisorError, ReconnectingWebSocket, type Transport, wsTransport } from '../../src/index.js';
import { resumable } from '../../src/server/index.js';
import { recordSession } from '../../src/trace/record-session.js';
import { formatTrace } from '../../src/trace/trace-format.js';
import { FAST as DROP_IN_FAST } from '../dropin/helpers.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { BARE, ENCODED, encodedForms, RAW_TOKEN, SECRET_FORMS, SESSION } from '../helpers/secret-forms.js';
import { waitFor } from '../helpers/wait.js';
import { wsWithSend } from '../helpers/ws-send-hook.js';

const TOKEN_A = 'LinkOwnSecretA7q+w/';
const TOKEN_B = 'OtherLinkSecretB3z+k/';

const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });
/** A text quoting every token in every form of encodedForms (raw, percent, base64, base64url). */
const quoting = (...tokens: string[]) => `tokens: ${tokens.flatMap(encodedForms).join(' ')}`;
const shown = (value: unknown) => inspect(value, { depth: 10 });

/** The ws transport, whose connect() or whose connection's close() throws quoting both tokens
 * (a custom transport's bug). */
function throwingIn(method: 'connect' | 'close'): Transport {
  return {
    ...wsTransport,
    name: `throwing-${method}`,
    connect(target, handlers, context) {
      if (method === 'connect') throw new Error(quoting(TOKEN_A, TOKEN_B));
      const inner = wsTransport.connect(target, handlers, context);
      return {
        send: (data) => inner.send(data),
        ping: () => inner.ping(),
        close: () => {
          inner.terminate();
          throw new Error(quoting(TOKEN_A, TOKEN_B));
        },
        terminate: () => inner.terminate(),
        get bufferedAmount() {
          return inner.bufferedAmount;
        },
      };
    },
  };
}

/** `text` holds no form of any of `tokens`. */
function expectNone(text: string, tokens: readonly string[], what: string): void {
  for (const token of tokens)
    for (const form of encodedForms(token)) expect(text, `${what}: ${form} shown`).not.toContain(form);
}

/** What `fn` threw (undefined if nothing). */
function thrownBy(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("a link's error event: another link's secrets", () => {
  const h = useHarness();

  it("a `ready` listener shared by two links, quoting both tokens: neither link's error, status or trace shows either", async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const recorder = recordSession(supervisor);
    const shared = () => {
      throw new Error(quoting(TOKEN_A, TOKEN_B));
    };
    const a = supervisor.connect(server.url, bearer(TOKEN_A));
    const b = supervisor.connect(server.url, bearer(TOKEN_B));
    const errors: LinkvisorError[] = [];
    const errorsOfB: LinkvisorError[] = [];
    a.on('error', (error) => errors.push(error));
    b.on('error', (error) => errorsOfB.push(error));
    a.on('ready', shared);
    b.on('ready', shared);
    await Promise.all([a.ready(), b.ready()]);
    await waitFor(() => errors.length > 0 && errorsOfB.length > 0, {
      message: "both links' listener errors",
    });
    expect(errors[0]?.code).toBe('LV_ERR_LISTENER');
    expect(shown(errors[0])).toContain('[redacted]');
    expectNone(shown(errors[0]), [TOKEN_A, TOKEN_B], "A's error");
    expectNone(shown(errorsOfB[0]), [TOKEN_A, TOKEN_B], "B's error");
    expectNone(JSON.stringify(a.status()), [TOKEN_A, TOKEN_B], "A's status");
    expectNone(JSON.stringify(supervisor.status()), [TOKEN_A, TOKEN_B], "the supervisor's status");
    expectNone(formatTrace(recorder.stop()), [TOKEN_A, TOKEN_B], 'the trace');
  });

  it('the other link ended in this turn: its token is scrubbed from the error of a link that throws after', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const a = supervisor.connect(server.url, bearer(TOKEN_A));
    const b = supervisor.connect(server.url, bearer(TOKEN_B));
    await Promise.all([a.ready(), b.ready()]);
    const errors: LinkvisorError[] = [];
    let liveWhenThrown: string[] = [];
    a.on('error', (error) => errors.push(error));
    a.on('state', () => {
      liveWhenThrown = supervisor.status().links.map((link) => link.id);
      throw new Error(quoting(TOKEN_B));
    });
    // B's end is over a microtask after its `closed`: A's close, and its state listener, then.
    b.on('closed', () => queueMicrotask(() => void a.close()));
    await b.close();
    await waitFor(() => errors.length > 0, { message: "link A's listener error" });
    expect(liveWhenThrown).toEqual([a.id]);
    expectNone(shown(errors[0]), [TOKEN_B], "A's error");
  });

  it("a group's member: another link's token is scrubbed from its error", async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const group = supervisor.connectGroup([server.url, server.url], { id: 'feeds', ...bearer(TOKEN_A) });
    const b = supervisor.connect(server.url, bearer(TOKEN_B));
    const member = group.links[0] as (typeof group.links)[number];
    const errors: LinkvisorError[] = [];
    member.on('error', (error) => errors.push(error));
    b.on('error', () => {});
    const shared = () => {
      throw new Error(quoting(TOKEN_A, TOKEN_B));
    };
    member.on('ready', shared);
    b.on('ready', shared);
    await Promise.all([group.ready(), b.ready()]);
    await waitFor(() => errors.length > 0, { message: "the member's listener error" });
    expectNone(shown(errors[0]), [TOKEN_A, TOKEN_B], "the member's error");
  });

  it("every form of test/helpers/secret-forms.ts of the other links' URL secrets is scrubbed", async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const a = supervisor.connect(server.url);
    const b = supervisor.connect(
      `${server.url}/feed;jsessionid=${SESSION}?token=${RAW_TOKEN}&sig=${ENCODED}`,
    );
    const c = supervisor.connect(`${server.url}/feed?${BARE}`);
    await Promise.all([a.ready(), b.ready(), c.ready()]);
    const errors: LinkvisorError[] = [];
    a.on('error', (error) => errors.push(error));
    const secrets = [RAW_TOKEN, BARE, SESSION, decodeURIComponent(ENCODED)];
    a.on('message', () => {
      throw new Error(`${SECRET_FORMS.join(' ')} ${quoting(...secrets)}`);
    });
    for (const ws of server.clients) ws.send('hello');
    await waitFor(() => errors.length > 0, { message: "link A's listener error" });
    const text = shown(errors[0]);
    for (const form of SECRET_FORMS) expect(text, `${form} shown`).not.toContain(form);
    expectNone(text, secrets, "A's error");
  });

  it("a shared url() function or handshake that throws quoting both tokens: A's status shows neither", async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    const failing = async (): Promise<string> => {
      throw new Error(quoting(TOKEN_A, TOKEN_B));
    };
    const a = supervisor.connect(failing, bearer(TOKEN_A));
    supervisor.connect(failing, bearer(TOKEN_B));
    await waitFor(() => a.status().lastError !== null, { message: "A's first attempt failed" });
    expect(a.status().lastError?.message).toContain('[redacted]');
    expectNone(JSON.stringify(a.status()), [TOKEN_A, TOKEN_B], "A's status (url())");

    const handshake = async () => {
      throw new Error(quoting(TOKEN_A, TOKEN_B));
    };
    const c = supervisor.connect(server.url, { ...bearer(TOKEN_A), handshake });
    supervisor.connect(server.url, { ...bearer(TOKEN_B), handshake });
    await waitFor(() => c.status().lastError !== null, { message: "C's handshake failed" });
    expect(c.status().lastError?.message).toContain('handshake failed');
    expectNone(JSON.stringify(c.status()), [TOKEN_A, TOKEN_B], "C's status (handshake)");
  });

  it("a transport shared by the links that refuses a write quoting both tokens: A's thrown error and error event show neither", async () => {
    const server = await h.wsServer();
    // A custom transport is the application's code too: its refusal may quote any link's token.
    const refusing = wsWithSend('refusing', (_socket, write) => (data) => {
      if (data === 'boom') throw new TypeError(quoting(TOKEN_A, TOKEN_B));
      return write(data);
    });
    const supervisor = h.supervisor({ ...FAST, transport: refusing });
    const a = supervisor.connect(server.url, bearer(TOKEN_A));
    const b = supervisor.connect(server.url, bearer(TOKEN_B));
    const errors: LinkvisorError[] = [];
    a.on('error', (error) => errors.push(error));
    a.send('boom'); // queued: refused when the queue is flushed, an `error` event
    await Promise.all([a.ready(), b.ready()]);
    await waitFor(() => errors.length > 0, { message: "A's refused queued message" });
    expect(errors[0]?.code).toBe('LV_ERR_INVALID_DATA');
    expectNone(shown(errors[0]), [TOKEN_A, TOKEN_B], "A's error event");
    const thrown = thrownBy(() => a.send('boom'));
    expect((thrown as LinkvisorError).code).toBe('LV_ERR_INVALID_DATA');
    expectNone(`${shown(thrown)} ${(thrown as Error).message}`, [TOKEN_A, TOKEN_B], "A's send() error");
  });

  it("the runtime's own write (an app heartbeat's ping) refused quoting both tokens: A's error shows neither", async () => {
    const server = await h.wsServer();
    const refusing = wsWithSend('refusing', (_socket, write) => (data) => {
      if (data === 'ping') throw new TypeError(quoting(TOKEN_A, TOKEN_B));
      return write(data);
    });
    const heartbeat = {
      mode: 'app',
      intervalMs: 20,
      timeoutMs: 5_000,
      ping: () => 'ping',
      isPong: () => false,
    } as const;
    const supervisor = h.supervisor({ ...FAST, transport: refusing });
    const a = supervisor.connect(server.url, { ...bearer(TOKEN_A), heartbeat });
    supervisor.connect(server.url, bearer(TOKEN_B));
    const errors: LinkvisorError[] = [];
    a.on('error', (error) => errors.push(error));
    await waitFor(() => errors.length > 0, { message: "A's refused ping" });
    expect(errors[0]?.code).toBe('LV_ERR_INVALID_DATA');
    expectNone(`${shown(errors[0])} ${errors[0]?.message}`, [TOKEN_A, TOKEN_B], "A's error (ping)");
  });

  it("a custom transport's connect() or close() that throws, and a resumable link's refused send(): A shows neither token", async () => {
    const server = await h.wsServer();
    const connecting = h.supervisor({ ...FAST, transport: throwingIn('connect') });
    const a = connecting.connect(server.url, bearer(TOKEN_A));
    connecting.connect(server.url, bearer(TOKEN_B));
    await waitFor(() => a.status().lastError !== null, { message: "A's connect() threw" });
    expect(a.status().lastError?.message).toContain("the transport's connect() threw");
    expectNone(JSON.stringify(a.status()), [TOKEN_A, TOKEN_B], "A's status (connect())");

    const closing = h.supervisor({ ...FAST, transport: throwingIn('close') });
    const c = closing.connect(server.url, bearer(TOKEN_A));
    const d = closing.connect(server.url, bearer(TOKEN_B));
    const errors: LinkvisorError[] = [];
    c.on('error', (error) => errors.push(error));
    await Promise.all([c.ready(), d.ready()]);
    await c.close();
    expect(errors[0]?.code).toBe('LV_ERR_TRANSPORT');
    expectNone(`${shown(errors[0])} ${errors[0]?.message}`, [TOKEN_A, TOKEN_B], "C's error (close())");

    const rs = resumable(server.wss, { ackEveryMessages: 1, ackDelayMs: 5 });
    h.defer(() => rs.close());
    const refusing = wsWithSend('refusing', (_socket, write) => (data) => {
      if (data === 'boom') throw new TypeError(quoting(TOKEN_A, TOKEN_B));
      return write(data);
    });
    const resuming = h.supervisor({ ...FAST, transport: refusing });
    const e = resuming.connect(server.url, { ...bearer(TOKEN_A), resume: true });
    const f = resuming.connect(server.url, { ...bearer(TOKEN_B), resume: true });
    await Promise.all([e.ready(), f.ready()]);
    const thrown = thrownBy(() => e.send('boom'));
    expect((thrown as LinkvisorError).code).toBe('LV_ERR_INVALID_DATA');
    expectNone(
      `${shown(thrown)} ${(thrown as Error).message}`,
      [TOKEN_A, TOKEN_B],
      "E's send() error (resume)",
    );
  });

  it("a standalone link (the drop-in's) keeps its rule: its own secrets only (it knows no other link's)", async () => {
    const server = await h.wsServer();
    const observer = () => {
      throw new Error(quoting(TOKEN_A, TOKEN_B));
    };
    const options = { ...DROP_IN_FAST, inspect: observer };
    const rwsA = new ReconnectingWebSocket(
      `${server.url}/?token=${encodeURIComponent(TOKEN_A)}`,
      [],
      options,
    );
    const rwsB = new ReconnectingWebSocket(
      `${server.url}/?token=${encodeURIComponent(TOKEN_B)}`,
      [],
      options,
    );
    for (const rws of [rwsA, rwsB])
      h.defer(async () => {
        rws.close();
        await rws.link?.ended();
      });
    const errors: LinkvisorError[] = [];
    rwsA.link?.on('error', (error) => errors.push(error));
    rwsB.link?.on('error', () => {});
    await waitFor(() => errors.length > 0, { message: "rwsA's observer error" });
    const text = shown(errors[0]);
    expectNone(text, [TOKEN_A], "rwsA's error");
    expect(text).toContain(TOKEN_B);
  });
});
