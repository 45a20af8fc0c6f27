/**
 * The errors the public API throws synchronously carry a redacted `cause`, as its events do
 * (docs/errors.md, "What `cause` is"): `link.send()`'s LV_ERR_INVALID_DATA when the socket refuses
 * the value (with and without `resume`), the drop-in's `send()`, a handshake's `session.send()`.
 * The socket's error quotes the link's URL token, bearer header and `protocols` token in every
 * form (raw, percent, base64 padded and not, base64url); none of them is shown, by the error,
 * its cause, the stack or a nested cause. Real ws server on 127.0.0.1.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { WebSocket as WS } from 'ws';
import { ReconnectingWebSocket } from '../../src/entries/ws.js';
import type { LinkvisorError } from '../../src/index.js';
import { resumable } from '../../src/server/index.js';
import { FAST as DROP_IN_FAST } from '../dropin/helpers.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { encodedForms } from '../helpers/secret-forms.js';
import { waitFor } from '../helpers/wait.js';
import { wsWithSend } from '../helpers/ws-send-hook.js';

const TOKEN = 'QueryTokenSecret42';
const BEARER = 'BearerHeaderSecret77';
const PROTOCOL = 'ProtocolTokenSecret55';
const SECRETS = [TOKEN, BEARER, PROTOCOL];
const ALL_FORMS = SECRETS.flatMap(encodedForms);

/** What a socket library throws: every secret, every form, in message and a nested cause. */
function quoting(): TypeError {
  const all = ALL_FORMS.join(' ');
  return new TypeError(`cannot write: ${all}`, { cause: new Error(`inner: ${all}`) });
}

/** ws, whose send() of 'boom' throws quoting(). */
const refusing = () =>
  wsWithSend('refusing', (_socket, write) => (data) => {
    if (data === 'boom') throw quoting();
    return write(data);
  });

function thrownBy(call: () => unknown): LinkvisorError {
  try {
    call();
  } catch (error) {
    return error as LinkvisorError;
  }
  throw new Error('it did not throw');
}

function expectNoSecrets(error: LinkvisorError, forms = ALL_FORMS): void {
  expect(error.code).toBe('LV_ERR_INVALID_DATA');
  expect((error.cause as Error).name).toBe('TypeError');
  const shown = `${inspect(error, { depth: 10 })} ${String((error.cause as Error).stack)}`;
  expect(shown).toContain('cannot write');
  for (const form of forms)
    expect(shown.includes(form), `${form} found in: ${shown.slice(0, 400)}`).toBe(false);
}

const options = {
  protocols: ['token', PROTOCOL],
  headers: { Authorization: `Bearer ${BEARER}` },
};

describe('integration: secrets stay out of the causes of errors thrown synchronously', () => {
  const h = useHarness();

  it("link.send(): the socket's refusal (LV_ERR_INVALID_DATA) has a redacted cause", async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor({ ...FAST, transport: refusing() });
    const link = supervisor.connect(`${server.url}?token=${TOKEN}`, options);
    await link.ready();
    expectNoSecrets(thrownBy(() => link.send('boom')));
  });

  it('link.send() with resume: the same', async () => {
    const server = await h.wsServer();
    const rs = resumable(server.wss, { ackEveryMessages: 1, ackDelayMs: 5 });
    h.defer(() => rs.close());
    const supervisor = h.supervisor({ ...FAST, transport: refusing() });
    const link = supervisor.connect(`${server.url}?token=${TOKEN}`, { ...options, resume: true });
    await link.ready();
    expectNoSecrets(thrownBy(() => link.send('boom')));
  });

  it("a handshake's session.send(): the same", async () => {
    const server = await h.wsServer({
      onConnection: (ws) => ws.on('message', (data) => data.toString() === 'auth' && ws.send('ok')),
    });
    const supervisor = h.supervisor({ ...FAST, transport: refusing() });
    const caught: LinkvisorError[] = [];
    const link = supervisor.connect(`${server.url}?token=${TOKEN}`, {
      ...options,
      handshake: async (session) => {
        caught.push(thrownBy(() => session.send('boom')));
        session.send('auth');
        await session.next();
      },
    });
    await link.ready();
    expect(caught.length).toBeGreaterThan(0);
    for (const error of caught) expectNoSecrets(error);
  });

  it("the drop-in's send(): the same", async () => {
    const server = await h.wsServer();
    class Refusing extends WS {
      override send(data: unknown, ...rest: unknown[]): void {
        if (data === 'boom') throw quoting();
        (super.send as (...args: unknown[]) => void)(data, ...rest);
      }
    }
    const rws = new ReconnectingWebSocket(`${server.url}?token=${TOKEN}`, ['token', PROTOCOL], {
      ...DROP_IN_FAST,
      WebSocket: Refusing,
    });
    h.defer(() => rws.close());
    await waitFor(() => rws.readyState === rws.OPEN, { message: 'open' });
    // The drop-in has no headers: its secrets are the URL's and the subprotocols'.
    expectNoSecrets(
      thrownBy(() => rws.send('boom')),
      [TOKEN, PROTOCOL].flatMap(encodedForms),
    );
  });
});
