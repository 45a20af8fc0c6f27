/**
 * No error quotes a user's string that could be a secret (a JWT, a `Bearer …` header, a 40-char
 * token, a URL with a password): every public entry that refuses a string (supervisor.signal, the
 * one-of options, ids, names, a trace's fields, the drop-in's close code, the CLI's flags and
 * arguments) is given each, and none of them, in any encoding (percent, base64, JSON-escaped),
 * appears in the error's message, String(error), its cause or its JSON. A short word is still
 * quoted (`'onlin'`: a typo is worth seeing).
 */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { parseServeArgs } from '../../src/cli/serve-args.js';
import { healthHandler, ReconnectingWebSocket } from '../../src/index.js';
import { TRACE_FORMAT_VERSION } from '../../src/trace/index.js';
import { parseTrace } from '../../src/trace/trace-format.js';
import { shown } from '../../src/util/describe.js';
import { secretForms } from '../../src/util/redact.js';
import { FAST, useHarness } from '../helpers/harness.js';
import { SECRET_SHAPES } from '../helpers/secret-shapes.js';
import { traceText } from '../helpers/trace-text.js';

const SECRETS = SECRET_SHAPES;

/** The error `fn` throws (or rejects with), or undefined when it accepts the value. */
async function refusal(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Every text the error can be read as. */
function texts(error: unknown): string[] {
  const e = error as { message?: unknown; cause?: unknown };
  const own = Object.fromEntries(Object.getOwnPropertyNames(error).map((k) => [k, (error as never)[k]]));
  return [
    String(e.message),
    String(error),
    String(e.cause),
    JSON.stringify(error) ?? '',
    JSON.stringify(own, (_, v) => (typeof v === 'symbol' || typeof v === 'function' ? String(v) : v)),
  ];
}

function expectNoSecret(error: unknown, secret: string, parts: string[]): void {
  expect(error).toBeInstanceOf(Error);
  const forms = [secret, ...parts].flatMap((s) => secretForms(s));
  for (const text of texts(error)) {
    for (const form of forms) expect(text, `shows ${JSON.stringify(form)}`).not.toContain(form);
  }
}

const trace = (version: unknown, kind: unknown): string => traceText(version, { kind });

describe('no error quotes a string that could be a secret', () => {
  const h = useHarness();

  for (const [what, secret, parts] of SECRETS) {
    it(`${what}: refused everywhere, never shown`, async () => {
      const server = await h.wsServer();
      const supervisor = h.supervisor(FAST);
      const v = secret as never;
      const entries: [string, () => unknown][] = [
        ['supervisor.signal', () => supervisor.signal(v)],
        ['backoff.jitter', () => supervisor.connect(server.url, { backoff: { jitter: v } })],
        ['queue.overflow', () => supervisor.connect(server.url, { queue: { overflow: v } })],
        ['heartbeat.mode', () => supervisor.connect(server.url, { heartbeat: { mode: v } })],
        // biome-ignore lint/suspicious/noThenProperty: the option is named `then`
        ['intensity.then', () => supervisor.connect(server.url, { intensity: { then: v } })],
        ['showDetails', () => healthHandler(supervisor, { showDetails: v })],
        ['drop-in jitter', () => new ReconnectingWebSocket(server.url, [], { jitter: v })],
        ['connect id', () => supervisor.connect(server.url, { id: secret })],
        ['connectGroup id', () => supervisor.connectGroup([server.url], { id: secret })],
        ['watch name', () => supervisor.watch({ name: secret, probe: async () => {} })],
        ['trace version', () => parseTrace(trace(secret, 'event'))],
        ['trace record kind', () => parseTrace(trace(TRACE_FORMAT_VERSION, secret))],
        ['cli --jitter', () => parseArgs(['connect', 'ws://x/', '--jitter', secret])],
        ['cli --max-retries', () => parseArgs(['connect', 'ws://x/', '--max-retries', secret])],
        ['cli --backoff', () => parseArgs(['connect', 'ws://x/', '--backoff', `${secret}:5`])],
        ['cli stray argument', () => parseArgs(['connect', 'ws://x/', secret])],
        ['cli unknown command', () => parseArgs([secret])],
        ['cli serve argument', () => parseServeArgs([secret])],
        ['cli URL port', () => parseArgs(['connect', `ws://alice:${parts[0]}/feed`])],
        ['cli unknown option', () => parseArgs(['connect', 'ws://x/', `--${secret}`])],
        ['cli inspect option', () => parseArgs(['inspect', 't.jsonl', `--${secret}`])],
        ['cli serve unknown option', () => parseServeArgs([`--${secret}`])],
        ['cli serve --port', () => parseServeArgs(['--port', secret])],
      ];
      // The taken id and name, for the duplicate's error.
      try {
        supervisor.connect(server.url, { id: secret });
      } catch {
        // Not an id (a space, a `+`): refused by the id's own check, which shows no value.
      }
      supervisor.watch({ name: secret, probe: async () => {} });
      const ws = new ReconnectingWebSocket(server.url);
      entries.push(['drop-in close code', () => ws.close(v)]);
      const shown: string[] = [];
      for (const [entry, fn] of entries) {
        const error = await refusal(fn);
        if (error === undefined) {
          shown.push(`${entry}: accepted`);
          continue;
        }
        try {
          expectNoSecret(error, secret, parts);
        } catch {
          shown.push(`${entry}: ${String(error)}`);
        }
      }
      ws.close();
      expect(shown).toEqual([]);
    });
  }

  it('a short word is still quoted (a typo is worth seeing)', async () => {
    const supervisor = h.supervisor(FAST);
    const server = await h.wsServer();
    expect(() => supervisor.connect(server.url, { backoff: { jitter: 'ful' as never } })).toThrow(
      "got 'ful'",
    );
    expect(() => parseArgs(['connect', 'ws://x/', '--max-retries', '5s'])).toThrow("got '5s'");
    expect(() => parseArgs(['connect', 'ws://x/', '--jiter', 'full'])).toThrow("unknown option '--jiter'");
    expect(() => supervisor.signal('onlin' as never)).toThrow("got 'onlin'");
  });
});

describe('shown(): the one rule', () => {
  it.each([
    ['onlin', "'onlin'"],
    ['drop-oldest', "'drop-oldest'"],
    ['link-12', "'link-12'"],
    ['5s', "'5s'"],
    ['-1', "'-1'"],
    ['alice:hunter', 'a string of 12 characters'],
    ['s3cr3tP4ss', 'a string of 10 characters'],
    ['a'.repeat(25), 'a string of 25 characters'],
    ['Bearer abc', 'a string of 10 characters'],
    ['', 'a string of 0 characters'],
    [5, '5'],
    [null, 'null'],
  ])('%j is shown as %s', (value, expected) => {
    expect(shown(value)).toBe(expected);
  });
});
