/**
 * A weak password is shaped like a word (`hunter2`, `letmein`, `password123`): `shown()` quoted it
 * wherever an error refuses a string the user gave. Where the quote only helps with a typo, the
 * rule is now stricter: a refused enum value (a one-of option, `supervisor.signal`, the CLI's
 * `--jitter`, a trace's record kind or status) is quoted only with
 * its "did you mean" hint (at most two edits from a valid choice: nothing of a secret); a number's
 * place (`--max-retries`, `--backoff`, serve's `--port`, a URL's port, a trace's version, the
 * drop-in's close code) quotes only a number as typed; a taken id or watcher name is not quoted at
 * all (the caller knows the id it gave). Header names (`headers`, `wsOptions.headers`, the CLI's
 * `--header`) go through `shown`: a JWT or base64url token is a valid header name, a header line
 * pasted as a name was shown scrubbed but its first 40 characters kept a bare token.
 * Every entry here quoted the value before this change.
 */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { parseServeArgs } from '../../src/cli/serve-args.js';
import { healthHandler, ReconnectingWebSocket } from '../../src/index.js';
import { TRACE_FORMAT_VERSION } from '../../src/trace/index.js';
import { parseTrace } from '../../src/trace/trace-format.js';
import { secretForms } from '../../src/util/redact.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { traceText } from '../helpers/trace-text.js';

const WEAK = ['hunter2', 'letmein', 'password123'];
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const TOKEN = 'k7QxT2mZ9pL4vB8nR1sW6yH3jF5dC0aE+/gUoIqe';

async function refusal(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

function leaks(error: unknown, secret: string): string | null {
  if (error === undefined) return 'accepted';
  const e = error as { message?: unknown };
  const text = `${String(e.message)}\n${String(error)}\n${JSON.stringify(error)}`;
  return secretForms(secret).some((form) => text.includes(form)) ? String(e.message) : null;
}

const trace = traceText;
const EVENT = { event: { type: 'x' }, from: 'a', to: 'b', source: 'app', transitions: [] };

describe('a word-shaped weak password is not quoted where the quote only helps a typo', () => {
  const h = useHarness();

  for (const secret of WEAK) {
    it(`${secret}: refused everywhere, never shown`, async () => {
      const server = await h.wsServer();
      const supervisor = h.supervisor(FAST);
      const v = secret as never;
      supervisor.connect(server.url, { id: secret });
      supervisor.watch({ name: secret, probe: async () => {} });
      const group = `${secret}-g`;
      supervisor.connectGroup([server.url], { id: group });
      const ws = new ReconnectingWebSocket(server.url);
      h.defer(() => ws.close());
      const entries: [string, () => unknown][] = [
        ['supervisor.signal', () => supervisor.signal(v)],
        ['backoff.jitter', () => supervisor.connect(server.url, { backoff: { jitter: v } })],
        ['queue.overflow', () => supervisor.connect(server.url, { queue: { overflow: v } })],
        ['heartbeat.mode', () => supervisor.connect(server.url, { heartbeat: { mode: v } })],
        // biome-ignore lint/suspicious/noThenProperty: the option is named `then`
        ['intensity.then', () => supervisor.connect(server.url, { intensity: { then: v } })],
        ['showDetails', () => healthHandler(supervisor, { showDetails: v })],
        ['drop-in jitter', () => new ReconnectingWebSocket(server.url, [], { jitter: v })],
        ['drop-in close code', () => ws.close(v)],
        ['connect id taken', () => supervisor.connect(server.url, { id: secret })],
        ['connectGroup id taken', () => supervisor.connectGroup([server.url], { id: group })],
        ['watch name taken', () => supervisor.watch({ name: secret, probe: async () => {} })],
        ['trace version', () => parseTrace(trace(secret, EVENT))],
        ['trace record kind', () => parseTrace(trace(TRACE_FORMAT_VERSION, { ...EVENT, kind: secret }))],
        ['trace status', () => parseTrace(trace(TRACE_FORMAT_VERSION, { ...EVENT, status: secret }))],
        ['cli --jitter', () => parseArgs(['connect', 'ws://x/', '--jitter', secret])],
        ['cli --max-retries', () => parseArgs(['connect', 'ws://x/', '--max-retries', secret])],
        ['cli --backoff', () => parseArgs(['connect', 'ws://x/', '--backoff', secret])],
        ['cli URL port', () => parseArgs(['connect', `ws://alice:${secret}/feed`])],
        ['cli serve --port', () => parseServeArgs(['--port', secret])],
      ];
      const shown: string[] = [];
      for (const [entry, fn] of entries) {
        const leak = leaks(await refusal(fn), secret);
        if (leak !== null) shown.push(`${entry}: ${leak}`);
      }
      expect(shown).toEqual([]);
    });
  }

  it('a typo is still quoted, with its hint; a number as typed too', async () => {
    const supervisor = h.supervisor(FAST);
    const server = await h.wsServer();
    expect(() => supervisor.connect(server.url, { backoff: { jitter: 'ful' as never } })).toThrow(
      "got 'ful' (did you mean 'full'?)",
    );
    expect(() => supervisor.connect(server.url, { backoff: { jitter: 'lots' as never } })).toThrow(
      /got a string of 4 characters$/,
    );
    expect(() => supervisor.signal('onlin' as never)).toThrow("got 'onlin' (did you mean 'online'?)");
    expect(() => supervisor.signal(5 as never)).toThrow(/got 5$/);
    expect(() => parseArgs(['connect', 'ws://x/', '--jitter', 'ful'])).toThrow(
      "got 'ful' (did you mean 'full'?)",
    );
    expect(() => parseArgs(['connect', 'ws://x/', '--max-retries', '5s'])).toThrow("got '5s'");
    expect(() => parseArgs(['connect', 'ws://x:8o8o/'])).toThrow('port a string of 4 characters');
    expect(() => parseArgs(['connect', 'ws://x:99999/'])).toThrow('port 99999 is out of range');
    supervisor.connect(server.url, { id: 'feed' });
    expect(() => supervisor.connect(server.url, { id: 'feed' })).toThrow(
      /^connect\(\): a link or group with this id exists$/,
    );
  });
});

describe('a header name is shown by the one rule', () => {
  const h = useHarness();

  // Each refused in `headers` and in `wsOptions.headers` (whose values ws hands to Node unchecked:
  // a number is fine there, a control character made Node's ERR_INVALID_CHAR quote the name).
  const NAMES: [string, Record<string, unknown>, string][] = [
    ['a JWT as a name, value with CR', { [JWT]: 'a\r\nb' }, JWT],
    ['a JWT as a name, value with a control character', { [JWT]: 'a\u0001b' }, JWT],
    ['a JWT as a name, a list item with one', { [JWT]: ['a', 'b\u0007'] }, JWT],
    ['a token with + and / as a name', { [TOKEN]: 'x' }, TOKEN],
    ['a header line, no colon', { [`X-Api-Key ${TOKEN}`]: 'x' }, TOKEN],
    ['a header line, weak password', { 'X-Api-Key: hunter2': 'x' }, 'hunter2'],
  ];

  for (const [what, headers, secret] of NAMES) {
    it(`headers / wsOptions.headers: ${what}`, async () => {
      const server = await h.wsServer();
      const supervisor = h.supervisor({ ...FAST, intensity: false });
      const list = Object.values(headers).some(Array.isArray);
      for (const options of list ? [{ wsOptions: { headers } }] : [{ headers }, { wsOptions: { headers } }]) {
        const error = await refusal(() => supervisor.connect(server.url, options as never));
        expect(error, JSON.stringify(options)).toBeInstanceOf(Error);
        expect(leaks(error, secret)).toBeNull();
        expect(leaks(error, secret.slice(0, 24))).toBeNull();
      }
    });
  }

  it('headers: a JWT as a name with a value that is no string', async () => {
    const server = await h.wsServer();
    const error = await refusal(() =>
      h.supervisor(FAST).connect(server.url, { headers: { [JWT]: 5 } as never }),
    );
    expect(error).toBeInstanceOf(Error);
    expect(leaks(error, JWT)).toBeNull();
  });

  it('the CLI --header: a token as the name', () => {
    for (const secret of [JWT, 'k7QxT2mZ9pL4vB8nR1sW6yH3jF5dC0aE']) {
      const error = (() => {
        try {
          parseArgs(['connect', 'ws://x/', '--header', `${secret}:`]);
        } catch (e) {
          return e;
        }
      })();
      expect(leaks(error, secret)).toBeNull();
    }
    expect(() => parseArgs(['connect', 'ws://x/', '--header', 'X-Api-Key:'])).toThrow(
      "--header: 'X-Api-Key' has no value",
    );
  });

  it('a header line given as a name is named as one, by its length', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    expect(() => supervisor.connect(server.url, { headers: { 'Authorization: Bearer x': 'y' } })).toThrow(
      /^headers: a string of 23 characters is not a valid header name \(a whole 'Name: value' line\?\)$/,
    );
  });

  it('an unknown option key is named by the one rule too (a token pasted as a key)', async () => {
    const server = await h.wsServer();
    const supervisor = h.supervisor(FAST);
    for (const options of [{ [JWT]: 1 }, { backoff: { [TOKEN]: 1 } }, { heartbeat: { 'hunter2!x': 1 } }]) {
      const error = await refusal(() => supervisor.connect(server.url, options as never));
      expect(error).toMatchObject({ code: 'LV_ERR_UNKNOWN_OPTION' });
      const key = Object.keys(Object.values(options)[0] as object)[0] as string;
      for (const secret of [JWT, TOKEN, 'hunter2']) expect(leaks(error, secret), key).toBeNull();
    }
    expect(() => supervisor.connect(server.url, { backof: {} } as never)).toThrow(
      "backof: unknown option (did you mean 'backoff'?)",
    );
  });
});
